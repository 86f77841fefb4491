import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { JoinSessionResponse } from '../../shared/api.ts';
import { Board } from '../../shared/board/Board.ts';
import type { CommunityView, CreateCohortResponse, JoinCohortResponse, MeetingView } from '../../shared/year/api.ts';
import { controlSocket, E2E_ORIGIN, PHONE } from './helpers.ts';
import { yjsProtocols } from '../../shared/yjsProtocols.ts';

/**
 * A year set up through the API for the specs about it: a cohort, three
 * members in one community, and meeting 1 held by real clients (Ana's final
 * question and commitment) and finished, which planned meeting 2.
 */

export const QUESTION = 'How might we aim PTA funds at the students who need them most?';
export const REVISED = 'How might we aim PTA funds at the students furthest from opportunity?';
export const COMMITMENT = 'Ask the PTA chair for last year’s spending';

export async function api<T>(request: APIRequestContext, method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, token: string | null, body?: unknown, status = 200): Promise<T> {
  const res = await request.fetch(path, { method, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body === undefined ? {} : { data: body }) });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBe(status);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

/** A participant's board, synced with the server. */
export async function board(sessionId: string, token: string): Promise<{ board: Board; close: () => void }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${E2E_ORIGIN.replace('http', 'ws')}/yjs`, sessionId, doc, {
    protocols: yjsProtocols(token),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve) => (provider.synced ? resolve() : provider.on('sync', (synced: boolean) => synced && resolve())));
  return { board: new Board(doc), close: () => (provider.destroy(), doc.destroy()) };
}

/** Waits until a fresh client sees what `read` looks for: the server holds it. */
export async function onServer(sessionId: string, token: string, read: (b: Board) => boolean, what: string): Promise<void> {
  await expect
    .poll(async () => {
      const fresh = await board(sessionId, token);
      try {
        return read(fresh.board);
      } finally {
        fresh.close();
      }
    }, { message: what })
    .toBe(true);
}

export interface Year {
  cohortId: string;
  staffToken: string;
  joinCode: string;
  joinSecret: string;
  community: CommunityView;
  members: Record<string, { memberId: string; token: string }>;
  /** The meeting the first one's finish scheduled. */
  next: MeetingView;
}

/** A cohort, three members in one community, meeting 1 held with Ana's final question and commitment, and finished. */
export async function yearWithOneMeeting(request: APIRequestContext): Promise<Year> {
  const created = await api<CreateCohortResponse>(request, 'POST', '/api/cohorts', null, {
    name: 'Equity cohort 2026-27', startsOn: '2026-09-01', endsOn: '2027-06-30', lengthMinutes: 90, yourName: 'Fran',
  }, 201);
  const cohortId = created.cohort.id;
  const staffToken = created.facilitatorToken;
  const staff = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, status = 200) =>
    api<T>(request, method, `/api/cohorts/${cohortId}${path}`, staffToken, body, status);
  const members: Year['members'] = {};
  for (const name of ['Ana', 'Ben', 'Cleo']) {
    const joined = await api<JoinCohortResponse>(request, 'POST', '/api/cohorts/join', null, { joinCode: created.joinCode, name, challenge: 'PTA funds' }, 201);
    members[name] = { memberId: joined.memberId, token: joined.memberToken };
  }
  const community = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need', challenge: 'PTA funds' }, 201);
  for (const m of Object.values(members)) await staff('PUT', `/members/${m.memberId}/community`, { communityId: community.id }, 204);
  await staff('PATCH', `/communities/${community.id}`, { series: { kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' } });
  const m1 = await staff<MeetingView>('POST', '/meetings', { communityId: community.id, startsAt: '2026-09-08T16:00' }, 201);

  // Meeting 1, through real clients: Ana writes the final question and her commitment.
  const { token: facilitatorToken } = await staff<{ token: string }>('POST', `/meetings/${m1.sessionId}/facilitate`, undefined, 201);
  const facilitator = await controlSocket(facilitatorToken);
  const ana = await api<JoinSessionResponse>(request, 'POST', `/api/me/meetings/${m1.sessionId}/enter`, members.Ana!.token);
  const anaBoard = await board(m1.sessionId, ana.participantToken);
  try {
    await facilitator.run({ type: 'goto', step: 'hmw' });
    const questionId = anaBoard.board.addQuestion({ actor: ana.participantId }, QUESTION, 'structures');
    await onServer(m1.sessionId, ana.participantToken, (b) => b.get('questions', questionId) !== null, 'the question on the server');
    await facilitator.run({ type: 'final', questionId, final: true });
    await facilitator.run({ type: 'goto', step: 'commit' });
    anaBoard.board.saveCommitment({ actor: ana.participantId }, { action: COMMITMENT, notice: 'Where the money went', partner: '', date: '' });
    await onServer(m1.sessionId, ana.participantToken, (b) => b.list('commitments').length === 1, 'the commitment on the server');
  } finally {
    anaBoard.close();
    facilitator.close();
  }
  const { next } = await staff<{ next: MeetingView | null }>('POST', `/meetings/${m1.sessionId}/finish`);
  expect(next).toMatchObject({ index: 2, startsAt: '2026-10-13T16:00' });
  return { cohortId, staffToken, joinCode: created.joinCode, joinSecret: created.joinSecret, community, members, next: next! };
}

/** A page on a phone-sized touch screen; `baseURL` reaches the app another way (through a link a test cuts). */
export async function phone(browser: Browser, baseURL?: string): Promise<Page> {
  // Without one, the config's baseURL (an explicit undefined would drop it).
  return (await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, ...(baseURL ? { baseURL } : {}) })).newPage();
}
