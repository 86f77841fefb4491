import type { CreateSessionBody, CreateSessionResponse, JoinProblem, JoinSessionBody, JoinSessionResponse } from '../../shared/api.ts';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The join route's reason, to switch on. */
    readonly code?: JoinProblem,
  ) {
    super(message);
  }
}

async function post<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new ApiError('Cannot reach the Howmight server. Check your connection and try again.', 0);
  }
  const data = (await res.json().catch(() => ({}))) as T & { error?: string; code?: JoinProblem };
  if (!res.ok) throw new ApiError(data.error ?? `The server answered ${res.status}.`, res.status, data.code);
  return data;
}

export const api = {
  createSession: (body: CreateSessionBody) => post<CreateSessionResponse>('/api/sessions', body),
  join: (body: JoinSessionBody) => post<JoinSessionResponse>('/api/sessions/join', body),
};
