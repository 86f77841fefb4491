import type { CreateSessionResponse, JoinSessionResponse } from '../shared/api.ts';

/** The public HTTP API, as a facilitator's and a participant's browser call it. */

async function post<T>(baseUrl: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export function createSession(baseUrl: string, title: string): Promise<CreateSessionResponse> {
  return post(baseUrl, '/api/sessions', { title });
}

export function joinSession(baseUrl: string, joinCode: string, name: string): Promise<JoinSessionResponse> {
  return post(baseUrl, '/api/sessions/join', { joinCode, name });
}
