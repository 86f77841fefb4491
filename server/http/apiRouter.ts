import { Router, type Request, type RequestHandler, type Response } from 'express';
import {
  createSessionBody,
  joinSessionBody,
  lookupSessionBody,
  paths,
  type CreateSessionResponse,
  type JoinProblem,
  type JoinSessionResponse,
  type LookupSessionResponse,
} from '../../shared/api.ts';
import { bearerToken } from '../../shared/bearer.ts';
import type { DeleteOutcome } from '../sessions/deleteSession.ts';
import { carryForwardPlan, type CarryForwardPlan } from '../../shared/export/carryForward.ts';
import { parseInquiry } from '../../shared/export/jsonSchema.ts';
import type { JoinGuesses } from '../sessions/JoinGuesses.ts';
import { MAX_PARTICIPANTS, type JoinRefusal, type SessionService } from '../sessions/SessionService.ts';
import { LIMITS_BODY } from './bodyLimits.ts';
import { jsonBody } from './jsonBody.ts';
import { RateLimiter } from './RateLimiter.ts';
import { parseBody } from './parseBody.ts';
import { sendProblem } from './sendProblem.ts';
import { logRouter } from './logRouter.ts';
import { playlistRouter } from './playlistRouter.ts';
import { portfolioRouter } from './portfolioRouter.ts';
import { pulseRouter } from './pulseRouter.ts';
import { breakoutRouter } from './breakoutRouter.ts';
import { yearRouter, type YearDeps } from './yearRouter.ts';

export interface ApiDeps {
  sessions: SessionService;
  /** Base URL for links; by default the request's own origin. */
  publicUrl?: string;
  /** Deletes a session if `token` is its facilitator's (see sessions/deleteSession.ts). */
  deleteSession?: (sessionId: string, token: string | null) => Promise<DeleteOutcome>;
  /** Seeds a new session's board and control state from last meeting's export (`from`). */
  carryForward?: (sessionId: string, plan: CarryForwardPlan) => Promise<void>;
  /** Reports wrong join codes to the facilitators of sessions joined from the same address. */
  guesses?: JoinGuesses;
  /** The join and miss budgets; tests slow the refill so a drained budget stays drained. */
  joinLimits?: Partial<typeof JOIN_LIMITS>;
  /** The year's routes (cohorts, members, meetings); see yearRouter.ts. */
  year?: YearDeps;
}

/**
 * Join limits: 120 attempts a minute per address so a whole school behind one
 * NAT gets in, and 20 unknown codes a minute per device (per address for a
 * client that sends no device id), which makes guessing one of 31^6 codes
 * hopeless for a browser (docs/security.md). A client that makes up a new
 * device id for every guess is held to the 120 by its address.
 */
export const JOIN_LIMITS = {
  joins: { burst: 120, perMinute: 120 },
  misses: { burst: 20, perMinute: 20 },
};
const CREATES = { burst: 30, perMinute: 30 };

export function apiRouter({ sessions, publicUrl, deleteSession, carryForward, guesses, joinLimits, year }: ApiDeps): Router {
  const { joins: JOINS, misses: MISSES } = { ...JOIN_LIMITS, ...joinLimits };
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
  router.post('/sessions', createLimit, jsonBody(LIMITS_BODY.createSession), async (req, res) => {
    const body = parseBody(createSessionBody, req, res);
    if (!body) return;
    let plan: CarryForwardPlan | null = null;
    if (body.from !== undefined) {
      const from = parseInquiry(body.from, 'from');
      if (!from.ok) {
        sendProblem(res, 400, 'invalid', from.error);
        return;
      }
      plan = carryForwardPlan(from.data);
    }
    const { session, facilitatorToken, projectorToken, joinSecret } = await sessions.create(body.title, body.lengthMinutes);
    if (plan) await carryForward?.(session.id, plan);
    const base = publicUrl ?? `${req.protocol}://${req.get('host')}`;
    const out: CreateSessionResponse = {
      id: session.id,
      joinCode: session.joinCode,
      facilitatorToken,
      projectorToken,
      joinSecret,
      urls: {
        facilitator: `${base}${paths.facilitator(session.id)}#${facilitatorToken}`,
        participant: `${base}${paths.join(session.joinCode, joinSecret)}`,
        projector: `${base}${paths.projector(session.id)}#${projectorToken}`,
      },
    };
    res.status(201).json(out);
  });

  // Every attempt, right or wrong, from one address shares the join limit; it runs before the body is read.
  const joinLimit = limitBy(joins);
  /** The session a join code names, or null once the refusal is sent: a join and a lookup are judged alike. */
  const judgeCode = codeJudge(misses, guesses);
  const sessionForCode = (req: Request, res: Response, body: CodeBody) =>
    judgeCode(req, res, body, {
      find: (code) => sessions.findByCode(code),
      hasSecret: (session, secret) => sessions.hasJoinSecret(session, secret),
      unknown: 'No session has that join code. Check the code on the projector and try again.',
    });

  router.post('/sessions/lookup', joinLimit, jsonBody(LIMITS_BODY.join), async (req, res) => {
    const body = parseBody(lookupSessionBody, req, res);
    if (!body) return;
    const session = await sessionForCode(req, res, body);
    if (!session) return;
    const out: LookupSessionResponse = { title: session.title };
    res.status(200).json(out);
  });

  router.post('/sessions/join', joinLimit, jsonBody(LIMITS_BODY.join), async (req, res) => {
    const ip = req.ip ?? 'unknown';
    const body = parseBody(joinSessionBody, req, res);
    if (!body) return;
    const session = await sessionForCode(req, res, body);
    if (!session) return;
    const admitted = await sessions.admit(session, body.name);
    if (!admitted.ok) return refuseAdmission(res, admitted.refusal);
    guesses?.joined(ip, admitted.joined.sessionId);
    const out: JoinSessionResponse = admitted.joined;
    res.status(200).json(out);
  });

  // The token travels in the Authorization header, never in the URL, so it stays out of logs.
  router.delete('/sessions/:id', async (req, res) => {
    if (!deleteSession) return sendProblem(res, 404, 'not-found', 'Not found.');
    const outcome = await deleteSession(req.params.id, bearerToken(req.get('authorization')));
    if (outcome === 'unauthorized') {
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendProblem(res, 401, 'unauthorized', 'This needs the facilitator link of the session.');
      return;
    }
    if (outcome === 'forbidden') return sendProblem(res, 403, 'forbidden', 'Only the facilitator can delete this session.');
    res.status(204).end();
  });

  if (year) router.use(yearRouter(year, { createLimit, joinLimit, judgeCode }));
  if (year) router.use(portfolioRouter(year));
  if (year?.log) router.use(logRouter(year.cohorts, year.log));
  if (year?.breakouts) router.use(breakoutRouter({ cohorts: year.cohorts, cohortStore: year.cohortStore, sessionStore: year.sessionStore, breakouts: year.breakouts }));
  if (year?.pulse) router.use(pulseRouter({ cohorts: year.cohorts, cohortStore: year.cohortStore, meetings: year.meetings, sessionStore: year.sessionStore, pulse: year.pulse }));
  if (year) router.use(playlistRouter(year));

  router.use((_req, res) => {
    sendProblem(res, 404, 'not-found', 'Not found.');
  });

  return router;
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

export interface CodeBody {
  joinCode: string;
  joinSecret?: string;
  deviceId?: string;
}

/**
 * Judges a join code, for sessions and cohorts alike: a wrong code counts
 * against the device's miss budget (and is reported to the facilitators of
 * sessions joined from the same address); a right secret skips the budget.
 * Answers the thing the code names, or null once the refusal is sent.
 */
export function codeJudge(misses: RateLimiter, guesses?: JoinGuesses) {
  return async <T>(
    req: Request,
    res: Response,
    body: CodeBody,
    how: { find: (code: string) => Promise<T | null>; hasSecret: (found: T, secret: unknown) => Promise<boolean>; unknown: string },
  ): Promise<T | null> => {
    const ip = req.ip ?? 'unknown';
    const found = await how.find(body.joinCode);
    // Misses are counted per device, so a neighbour's guessing never locks this device out.
    const device = body.deviceId ? `${ip} ${body.deviceId}` : ip;
    // The QR code and the join link carry the secret: no miss limit applies to them.
    // A wrong secret counts for nothing: the join is then judged by its code like any other.
    if (!(found && (await how.hasSecret(found, body.joinSecret)))) {
      // A device that kept guessing is refused whatever it sends now, so a lucky guess gains it nothing.
      const wait = misses.retryAfter(device);
      if (wait > 0) {
        tooMany(res, wait, 'Too many wrong join codes from this device.');
        return null;
      }
    }
    if (!found) {
      misses.take(device);
      guesses?.miss(ip);
      sendProblem(res, 404, 'unknown-code', how.unknown);
      return null;
    }
    return found;
  };
}

export function tooMany(res: Response, retryAfter: number, why = 'Too many attempts.'): void {
  const seconds = Math.max(1, retryAfter);
  res.setHeader('Retry-After', String(seconds));
  sendProblem(res, 429, 'rate-limited', `${why} Try again in ${seconds} seconds.`);
}

const REFUSALS: Readonly<Record<JoinRefusal, { status: number; code: JoinProblem; message: string }>> = {
  closed: { status: 403, code: 'joining-closed', message: 'Joining is closed for this session. Ask the facilitator to open it.' },
  full: {
    status: 403,
    code: 'session-full',
    message: `This session is full: ${MAX_PARTICIPANTS} people have joined. Ask the facilitator.`,
  },
  'name-taken': {
    status: 409,
    code: 'name-taken',
    message: 'Someone in this session already has that name (or one that looks the same). Add an initial or use another name.',
  },
  'name-reserved': {
    status: 409,
    code: 'name-reserved',
    message: 'That name is reserved for a role (facilitator, projector, host…). Use your own name.',
  },
};

function refuseAdmission(res: Response, refusal: JoinRefusal): void {
  const { status, code, message } = REFUSALS[refusal];
  sendProblem(res, status, code, message);
}
