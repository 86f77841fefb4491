import type {
  CreateSessionBody,
  CreateSessionResponse,
  JoinSessionBody,
  JoinSessionResponse,
  LookupSessionBody,
  LookupSessionResponse,
} from '../../shared/api.ts';
import type { Problem, ProblemBody, ProblemCode } from '../../shared/problem.ts';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The problem's code, to switch on (the join route's say why: JoinProblem). */
    readonly code?: ProblemCode,
  ) {
    super(message);
  }
}

/** The problem an HTTP error answer carries (`{ error: { code, message } }`), or null when its body is not one. */
export async function problemOf(res: Response): Promise<Problem | null> {
  const body = (await res.json().catch(() => null)) as Partial<ProblemBody> | null;
  const problem = body?.error;
  return problem && typeof problem.message === 'string' ? problem : null;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new ApiError('Cannot reach the Howmight server. Check your connection and try again.', 0);
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    throw new ApiError(problem?.message ?? `The server answered ${res.status}.`, res.status, problem?.code);
  }
  return (await res.json().catch(() => ({}))) as T;
}

export const api = {
  createSession: (body: CreateSessionBody) => post<CreateSessionResponse>('/api/sessions', body),
  join: (body: JoinSessionBody) => post<JoinSessionResponse>('/api/sessions/join', body),
  /** The title of the session a join code names (the join page shows it before anyone joins). */
  lookup: (body: LookupSessionBody) => post<LookupSessionResponse>('/api/sessions/lookup', body),
};
