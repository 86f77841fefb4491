import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ZodType } from 'zod';
import {
  createSessionBody,
  joinSessionBody,
  paths,
  type CreateSessionResponse,
  type JoinSessionResponse,
} from '../../shared/api.ts';
import type { DeleteOutcome } from '../sessions/deleteSession.ts';
import { carryForwardPlan, type CarryForwardPlan } from '../../shared/export/carryForward.ts';
import { parseInquiry } from '../../shared/export/jsonSchema.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import { LIMITS_BODY } from './bodyLimits.ts';
import { jsonBody } from './jsonBody.ts';
import { RateLimiter } from './RateLimiter.ts';

export interface ApiDeps {
  sessions: SessionService;
  /** Base URL for links; by default the request's own origin. */
  publicUrl?: string;
  /** Deletes a session if `token` is its facilitator's (see sessions/deleteSession.ts). */
  deleteSession?: (sessionId: string, token: string | null) => DeleteOutcome;
  /** Seeds a new session's board and control state from last meeting's export (`from`). */
  carryForward?: (sessionId: string, plan: CarryForwardPlan) => void;
}

/**
 * Join limits: 120 a minute per address so a whole school behind one NAT gets
 * in, but only 20 unknown codes a minute, which makes guessing one of 31^6
 * codes hopeless (docs/security.md).
 */
const JOINS = { burst: 120, perMinute: 120 };
const MISSES = { burst: 20, perMinute: 20 };
const CREATES = { burst: 30, perMinute: 30 };

export function apiRouter({ sessions, publicUrl, deleteSession, carryForward }: ApiDeps): Router {
  const router = Router();
  // Answers carry tokens and session data: no cache (browser or proxy) may keep them.
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const joins = new RateLimiter(JOINS.burst, JOINS.perMinute);
  const misses = new RateLimiter(MISSES.burst, MISSES.perMinute);
  const creates = new RateLimiter(CREATES.burst, CREATES.perMinute);

  // Rate limits run before the body is read: a client over its limit costs a header parse.
  const createLimit = limitBy(creates);
  router.post('/sessions', createLimit, jsonBody(LIMITS_BODY.createSession), (req, res) => {
    const body = parse(createSessionBody, req, res);
    if (!body) return;
    let plan: CarryForwardPlan | null = null;
    if (body.from !== undefined) {
      const from = parseInquiry(body.from, 'from');
      if (!from.ok) {
        res.status(400).json({ error: from.error });
        return;
      }
      plan = carryForwardPlan(from.data);
    }
    const { session, facilitatorToken, projectorToken } = sessions.create(body.title, body.lengthMinutes);
    if (plan) carryForward?.(session.id, plan);
    const base = publicUrl ?? `${req.protocol}://${req.get('host')}`;
    const out: CreateSessionResponse = {
      id: session.id,
      joinCode: session.joinCode,
      facilitatorToken,
      projectorToken,
      urls: {
        facilitator: `${base}${paths.facilitator(session.id)}#${facilitatorToken}`,
        participant: `${base}${paths.join(session.joinCode)}`,
        projector: `${base}${paths.projector(session.id)}#${projectorToken}`,
      },
    };
    res.status(201).json(out);
  });

  const joinLimit: RequestHandler = (req, res, next) => {
    const wait = misses.retryAfter(req.ip ?? 'unknown');
    if (wait > 0) return tooMany(res, wait);
    if (limited(joins, req, res)) next();
  };
  router.post('/sessions/join', joinLimit, jsonBody(LIMITS_BODY.join), (req, res) => {
    const ip = req.ip ?? 'unknown';
    const body = parse(joinSessionBody, req, res);
    if (!body) return;
    const joined = sessions.join(body.joinCode, body.name);
    if (!joined) {
      misses.take(ip);
      res.status(404).json({ error: 'No session has that join code. Check the code on the projector and try again.' });
      return;
    }
    const out: JoinSessionResponse = joined;
    res.status(200).json(out);
  });

  // The token travels in the Authorization header, never in the URL, so it stays out of logs.
  router.delete('/sessions/:id', (req, res) => {
    if (!deleteSession) return void res.status(404).json({ error: 'Not found.' });
    const outcome = deleteSession(req.params.id, bearer(req));
    if (outcome === 'unauthorized') {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json({ error: 'This needs the facilitator link of the session.' });
      return;
    }
    if (outcome === 'forbidden') return void res.status(403).json({ error: 'Only the facilitator can delete this session.' });
    res.status(204).end();
  });

  router.use((_req, res) => {
    res.status(404).json({ error: 'Not found.' });
  });

  return router;
}

function parse<T>(schema: ZodType<T>, req: Request, res: Response): T | null {
  const result = schema.safeParse(req.body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const message = issue?.code === 'invalid_type' && issue.path.length === 0 ? 'Expected a JSON object body.' : issue?.message;
  res.status(400).json({ error: message ?? 'Invalid request body.' });
  return null;
}

function bearer(req: Request): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return match ? match[1]! : null;
}

function limited(limiter: RateLimiter, req: Request, res: Response): boolean {
  const key = req.ip ?? 'unknown';
  if (limiter.take(key)) return true;
  tooMany(res, limiter.retryAfter(key));
  return false;
}

function limitBy(limiter: RateLimiter): RequestHandler {
  return (req, res, next) => {
    if (limited(limiter, req, res)) next();
  };
}

function tooMany(res: Response, retryAfter: number): void {
  res.setHeader('Retry-After', String(Math.max(1, retryAfter)));
  res.status(429).json({ error: `Too many attempts. Try again in ${Math.max(1, retryAfter)} seconds.` });
}
