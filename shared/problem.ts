/**
 * How the server says no, wherever it says it: a command's answer and the
 * control socket's `problem` event, every HTTP error body (`{ error: Problem }`),
 * and the control socket's refused handshake (`connect_error`, the problem as
 * its `data`). Clients switch on `code`; `message` is for people and may change.
 * A board socket is refused by a close code instead (closeCodes.ts).
 */

/** Refusals of a command or control event (shared/events.ts). */
export type CommandProblemCode = 'invalid' | 'forbidden' | 'rejected' | 'rate-limited';

/** Why a join is refused. */
export type JoinProblemCode = 'unknown-code' | 'joining-closed' | 'session-full' | 'name-taken' | 'name-reserved' | 'rate-limited';

/** What else an HTTP route or a handshake answers; each goes with its status (docs/security.md). */
export type HttpProblemCode =
  | 'invalid' // 400: the body or a field
  | 'unauthorized' // 401, and a refused control handshake: no valid token
  | 'forbidden' // 403: the token's role may not, or a foreign Origin
  | 'not-found' // 404
  | 'misdirected' // 421: a Host this server does not answer for
  | 'too-large' // 413
  | 'rate-limited' // 429, with Retry-After
  | 'failed' // 500
  | 'unavailable'; // 503: the PDF renderer is busy or gave up; Retry-After when waiting helps

export type ProblemCode = CommandProblemCode | JoinProblemCode | HttpProblemCode;

export interface Problem<C extends ProblemCode = ProblemCode> {
  code: C;
  message: string;
}

/** The body of every HTTP error answer. */
export interface ProblemBody<C extends ProblemCode = ProblemCode> {
  error: Problem<C>;
}
