import type { CreateSessionBody, CreateSessionResponse, JoinSessionResponse } from '../../shared/api.ts';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
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
  const data = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new ApiError(data.error ?? `The server answered ${res.status}.`, res.status);
  return data;
}

export const api = {
  createSession: (body: CreateSessionBody) => post<CreateSessionResponse>('/api/sessions', body),
  join: (joinCode: string, name: string) => post<JoinSessionResponse>('/api/sessions/join', { joinCode, name }),
};
