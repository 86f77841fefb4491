import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import { bearerHeader } from '../../shared/bearer.ts';
import type { JoinSessionResponse } from '../../shared/api.ts';
import type { CreateCohortResponse, JoinCohortResponse } from '../../shared/year/api.ts';
import { connectControl, connectYjs, waitFor, type HttpResult, type TestServer } from './helpers.ts';

/** Any HTTP call of the year's API, with a Bearer token when given. */
export async function call<T = unknown>(
  server: TestServer,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  urlPath: string,
  token?: string | null,
  body?: unknown,
): Promise<HttpResult<T>> {
  const res = await fetch(server.baseUrl + urlPath, {
    method,
    headers: { ...(token ? bearerHeader(token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (an .ics file): the text itself.
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** The call's body, after checking its status. */
export async function ok<T>(result: Promise<HttpResult<T>>, status = 200): Promise<T> {
  const r = await result;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export const SCHOOL_YEAR = { name: 'Equity cohort 2026-27', startsOn: '2026-09-01', endsOn: '2027-06-30', lengthMinutes: 90, yourName: 'Fran' };

export function createCohort(server: TestServer, patch: Record<string, unknown> = {}): Promise<CreateCohortResponse> {
  return ok(call<CreateCohortResponse>(server, 'POST', '/api/cohorts', null, { ...SCHOOL_YEAR, ...patch }), 201);
}

export interface TestMember {
  name: string;
  memberId: string;
  token: string;
}

export async function joinCohort(server: TestServer, joinCode: string, name: string, challenge = ''): Promise<TestMember> {
  const joined = await ok(call<JoinCohortResponse>(server, 'POST', '/api/cohorts/join', null, { joinCode, name, challenge }), 201);
  return { name, memberId: joined.memberId, token: joined.memberToken };
}

export function enter(server: TestServer, member: TestMember, sessionId: string): Promise<JoinSessionResponse> {
  return ok(call<JoinSessionResponse>(server, 'POST', `/api/me/meetings/${sessionId}/enter`, member.token));
}

export interface HeldMeeting {
  /** Each member's participant in the meeting. */
  joined: Map<string, JoinSessionResponse>;
}

/**
 * A community meeting through real clients, as short as the server allows:
 * every member enters with their personal link, `final` (when given) is
 * written by the first member at the HMW step and marked final, and each
 * member in `commitments` saves theirs at the commit step.
 */
export async function holdCommunityMeeting(
  server: TestServer,
  cohort: { id: string; staffToken: string },
  sessionId: string,
  members: TestMember[],
  plan: { final?: string; category?: 'structures' | 'knowledge' | 'skills' | 'dispositions'; commitments?: Record<string, string> },
): Promise<HeldMeeting> {
  const facilitate = await ok(
    call<{ token: string }>(server, 'POST', `/api/cohorts/${cohort.id}/meetings/${sessionId}/facilitate`, cohort.staffToken),
    201,
  );
  const facilitator = await connectControl(server, facilitate.token);
  const joined = new Map<string, JoinSessionResponse>();
  for (const m of members) joined.set(m.name, await enter(server, m, sessionId));
  const run = async (command: unknown) => {
    const result = await facilitator.command(command);
    if (!result.ok) throw new Error(`command refused: ${JSON.stringify(result)}`);
  };
  const onServer = <T>(read: (board: Board) => T) => server.rooms.withDoc(boardRef(sessionId), (room) => read(new Board(room.doc)));
  const first = members[0]!;
  const firstJoined = joined.get(first.name)!;
  const clients = [];
  if (plan.final) {
    await run({ type: 'goto', step: 'hmw' });
    const client = await connectYjs(server, sessionId, firstJoined.participantToken);
    clients.push(client);
    const id = client.board.addQuestion({ actor: firstJoined.participantId }, plan.final, plan.category ?? null);
    await waitFor(async () => (await onServer((b) => b.get('questions', id))) !== null, 5_000, 'the question on the server');
    await run({ type: 'final', questionId: id, final: true });
  }
  if (plan.commitments) {
    await run({ type: 'goto', step: 'commit' });
    for (const [name, action] of Object.entries(plan.commitments)) {
      const p = joined.get(name)!;
      const client = await connectYjs(server, sessionId, p.participantToken);
      clients.push(client);
      client.board.saveCommitment({ actor: p.participantId }, { action, notice: `${name} expects to notice something`, partner: '', date: '' });
    }
    const count = Object.keys(plan.commitments).length;
    await waitFor(
      async () => (await onServer((b) => b.list('commitments').filter((c) => !c.authorId.startsWith('carried-')).length)) === count,
      5_000,
      'the commitments on the server',
    );
  }
  for (const c of clients) c.destroy();
  facilitator.close();
  return { joined };
}
