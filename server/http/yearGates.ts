import type { Request, RequestHandler, Response } from 'express';
import type { ZodType } from 'zod';
import { bearerToken } from '../../shared/bearer.ts';
import { verifyToken } from '../auth/tokens.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import { YearError, type CohortService, type MemberGrant, type StaffGrant } from '../year/CohortService.ts';
import { LIMITS_BODY } from './bodyLimits.ts';
import { jsonBody } from './jsonBody.ts';
import { parseBody } from './parseBody.ts';
import { sendProblem } from './sendProblem.ts';

export type Handler<G> = (grant: G, req: Request, res: Response) => Promise<void>;
export type BodyHandler<G, B> = (grant: G, body: B, req: Request, res: Response) => Promise<void>;

/** The year's JSON bodies are small: at most a join's. */
export const readJson = jsonBody(LIMITS_BODY.join);

/** The handler of a gated route, with the grant its gate left in res.locals. */
export function granted<G>(handler: Handler<G>): RequestHandler {
  return (req, res) => run(res, () => handler(res.locals.grant as G, req, res));
}

/** The same, with the body checked against `schema` first. */
export function withBody<G, B>(schema: ZodType<B>, handler: BodyHandler<G, B>): RequestHandler {
  return async (req, res) => {
    const body = parseBody(schema, req, res);
    if (body !== null) await run(res, () => handler(res.locals.grant as G, body, req, res));
  };
}

/**
 * The year's two gates, for every router of the year: staff routes
 * (`/cohorts/:cohortId/…`) take a staff cohort token, member routes (`/me/…`)
 * a member's personal token, both as `Authorization: Bearer`. The token is
 * checked before any body is read: a request without a key of this cohort
 * costs a header parse, never a JSON parse.
 */
export function yearGates(cohorts: CohortService) {
  const staffGate: RequestHandler = async (req, res, next) => {
    const grant = await cohorts.staffGrant(bearerToken(req.get('authorization')), String(req.params.cohortId));
    if (!grant) return unauthorized(res, 'This needs a facilitator link of this cohort.');
    res.locals.grant = grant;
    next();
  };
  const memberGate: RequestHandler = async (req, res, next) => {
    const grant = await cohorts.memberGrant(bearerToken(req.get('authorization')));
    if (!grant) return unauthorized(res, 'This needs your personal link. If it stopped working, ask your facilitator for a new one.');
    res.locals.grant = grant;
    next();
  };
  return {
    staff: (handler: Handler<StaffGrant>): RequestHandler[] => [staffGate, granted(handler)],
    member: (handler: Handler<MemberGrant>): RequestHandler[] => [memberGate, granted(handler)],
    staffWith: <B>(schema: ZodType<B>, handler: BodyHandler<StaffGrant, B>) => [staffGate, readJson, withBody(schema, handler)],
    memberWith: <B>(schema: ZodType<B>, handler: BodyHandler<MemberGrant, B>) => [memberGate, readJson, withBody(schema, handler)],
  };
}

/**
 * A route taking a session's own key (`/sessions/:id/year/…`): the key's grant
 * in res.locals.grant, or a 401 / 404 sent.
 */
export function sessionKeyGate(sessionStore: SessionStore): RequestHandler {
  return async (req, res, next) => {
    const grant = await verifyToken(sessionStore, bearerToken(req.get('authorization')));
    if (!grant) return unauthorized(res, 'This needs your session key.');
    if (grant.sessionId !== req.params.id) return sendProblem(res, 404, 'not-found', 'No session with that id for this key.');
    res.locals.grant = grant;
    next();
  };
}

/** Runs a handler, turning a YearError into its problem answer. */
export async function run(res: Response, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (!(err instanceof YearError)) throw err;
    const code = err.status === 400 ? 'invalid' : err.status === 403 ? 'forbidden' : err.status === 404 ? 'not-found' : 'rejected';
    sendProblem(res, err.status, code, err.message);
  }
}

export function unauthorized(res: Response, message: string): void {
  res.setHeader('WWW-Authenticate', 'Bearer');
  sendProblem(res, 401, 'unauthorized', message);
}
