import crypto from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { CommitmentView, CommunityView, MemberHome } from '../../shared/year/api.ts';
import { YEAR_NAMESPACE, type LogActivity, type LogEntryInput, type LogEntryView, type MyLog, type PeerNoteView } from '../../shared/year/practiceLog.ts';
import { toClose } from './cleanup.ts';
import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import { connectControl, connectYjs, recordYjsFrames, restartServer, sleep, startTestServer, useCleanup, waitFor, type TestServer } from './helpers.ts';
import { call, createCohort, enter, holdCommunityMeeting, joinCohort, ok, type TestMember } from './yearSetup.ts';

useCleanup();

const marker = (what: string) => `${what}-${crypto.randomBytes(6).toString('hex')}`;
const entryId = () => crypto.randomBytes(12).toString('base64url');

/** A member's home page's push socket, keeping every packet it received as text: what reached this browser. */
interface YearSocket {
  socket: Socket;
  received: string[];
  events: Array<{ event: string; args: unknown[] }>;
  heard(text: string): boolean;
}

function yearSocket(server: TestServer, token: string): Promise<YearSocket> {
  const socket = io(server.baseUrl + YEAR_NAMESPACE, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  toClose(() => socket.disconnect());
  const received: string[] = [];
  const events: Array<{ event: string; args: unknown[] }> = [];
  // Below socket.io's events: the engine's packets, as the network delivered them.
  socket.io.on('packet', (packet) => received.push(JSON.stringify(packet)));
  socket.onAny((event: string, ...args: unknown[]) => events.push({ event, args }));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, received, events, heard: (text) => received.some((r) => r.includes(text)) }));
    socket.once('connect_error', reject);
  });
}

interface Cohort {
  id: string;
  staffToken: string;
  ana: TestMember;
  ben: TestMember;
  cleo: TestMember;
  dev: TestMember;
  staff: <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', urlPath: string, body?: unknown, status?: number) => Promise<T>;
  community: CommunityView;
}

/** Ana, Ben and Cleo in one community, Dev in another; Ana has a commitment from meeting 1. */
async function aCohort(server: TestServer): Promise<Cohort> {
  const created = await createCohort(server);
  const id = created.cohort.id;
  const staffToken = created.facilitatorToken;
  const staff = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', urlPath: string, body?: unknown, status = 200) =>
    ok(call<T>(server, method, `/api/cohorts/${id}${urlPath}`, staffToken, body), status);
  const [ana, ben, cleo, dev] = [
    await joinCohort(server, created.joinCode, 'Ana'),
    await joinCohort(server, created.joinCode, 'Ben'),
    await joinCohort(server, created.joinCode, 'Cleo'),
    await joinCohort(server, created.joinCode, 'Dev'),
  ];
  const community = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need', challenge: 'PTA funds' }, 201);
  const other = await staff<CommunityView>('POST', '/communities', { name: 'Every day counts', challenge: 'Attendance' }, 201);
  for (const m of [ana, ben, cleo]) await staff('PUT', `/members/${m.memberId}/community`, { communityId: community.id }, 204);
  await staff('PUT', `/members/${dev.memberId}/community`, { communityId: other.id }, 204);
  return { id, staffToken, ana, ben, cleo, dev, staff, community };
}

const entry = (patch: Partial<LogEntryInput> = {}): LogEntryInput => ({
  tried: 'A family-voice slot at every PTA meeting',
  what: 'Two families came',
  soWhat: 'Being asked matters more than the agenda',
  nowWhat: 'Ask in their language next time',
  actual: 'Fewer than I predicted',
  decision: null,
  visibility: 'private',
  peerId: null,
  editedAt: Date.now(),
  ...patch,
});

const save = (server: TestServer, member: TestMember, id: string, body: LogEntryInput, status = 200) =>
  ok(call<LogEntryView>(server, 'PUT', `/api/me/log/${id}`, member.token, body), status);
const myLog = (server: TestServer, member: TestMember) => ok(call<MyLog>(server, 'GET', '/api/me/log', member.token));

describe('the practice log on the real server', () => {
  it('an entry reaches exactly its audience: private nobody, peer the partner, community the community, and narrowing withdraws it', async () => {
    const server = await startTestServer();
    const c = await aCohort(server);
    const sockets = {
      ana: await yearSocket(server, c.ana.token),
      ben: await yearSocket(server, c.ben.token),
      cleo: await yearSocket(server, c.cleo.token),
      dev: await yearSocket(server, c.dev.token),
    };
    const secret = marker('WHAT');
    const id = entryId();

    await save(server, c.ana, id, entry({ what: secret }));
    // The last thing sent reaches its audience after this; give a stray packet the same chance.
    await sleep(200);
    for (const s of [sockets.ben, sockets.cleo, sockets.dev]) expect(s.heard(secret)).toBe(false);
    expect((await myLog(server, c.ben)).sharedWithMe).toEqual([]);

    await save(server, c.ana, id, entry({ what: secret, visibility: 'peer', peerId: c.ben.memberId }));
    await waitFor(() => sockets.ben.heard(secret), 5_000, 'the entry at Ben’s socket');
    const benGot = sockets.ben.events.find((e) => e.event === 'log:entry')!.args[0] as LogEntryView;
    expect(benGot).toMatchObject({ id, authorName: 'Ana', what: secret, visibility: 'peer', isNew: true });
    await sleep(200);
    expect(sockets.cleo.heard(secret)).toBe(false);
    expect(sockets.dev.heard(secret)).toBe(false);
    const benLog = await myLog(server, c.ben);
    expect(benLog.sharedWithMe.map((e) => [e.id, e.isNew])).toEqual([[id, true]]);
    expect((await myLog(server, c.cleo)).sharedWithMe).toEqual([]);

    // Seen: the badge goes, for Ben only.
    await ok(call(server, 'POST', '/api/me/log/seen', c.ben.token, { ids: [id] }), 204);
    expect((await myLog(server, c.ben)).sharedWithMe[0]!.isNew).toBe(false);

    // Ben answers; Ana hears of it at once; nobody else does.
    const reply = marker('REPLY');
    await ok(call<PeerNoteView>(server, 'POST', `/api/me/log/${id}/notes`, c.ben.token, { text: reply }), 201);
    await waitFor(() => sockets.ana.heard(reply), 5_000, 'the note at Ana’s socket');
    const anaLog = await myLog(server, c.ana);
    expect(anaLog.mine[0]!.notes.map((n) => [n.text, n.authorName, n.isNew])).toEqual([[reply, 'Ben', true]]);
    // Cleo cannot answer what she cannot see: the entry does not exist for her.
    expect((await call(server, 'POST', `/api/me/log/${id}/notes`, c.cleo.token, { text: 'hi' })).status).toBe(404);

    // Widened to the community: Cleo gains it, Dev (another community) does not; Ben's note stays Ana's and Ben's.
    await save(server, c.ana, id, entry({ what: secret, visibility: 'community' }));
    await waitFor(() => sockets.cleo.heard(secret), 5_000, 'the entry at Cleo’s socket');
    await sleep(200);
    expect(sockets.dev.heard(secret)).toBe(false);
    expect(sockets.cleo.heard(reply)).toBe(false);
    const cleoLog = await myLog(server, c.cleo);
    expect(cleoLog.sharedWithMe[0]!.notes).toEqual([]);
    // Whom Ana named as her peer is not Cleo's to learn.
    expect(cleoLog.sharedWithMe[0]!.peerId).toBeNull();

    // Narrowed to private: Ben and Cleo are told it is withdrawn, and their lists no longer hold it.
    await save(server, c.ana, id, entry({ what: secret, visibility: 'private' }));
    await waitFor(
      () => [sockets.ben, sockets.cleo].every((s) => s.events.some((e) => e.event === 'log:withdrawn')),
      5_000,
      'the withdrawal',
    );
    expect((await myLog(server, c.ben)).sharedWithMe).toEqual([]);
    expect((await myLog(server, c.cleo)).sharedWithMe).toEqual([]);
    expect(sockets.dev.events).toEqual([]);
  });

  it('the facilitator sees who logged and how many were shared, never the text of an entry', async () => {
    const server = await startTestServer();
    const c = await aCohort(server);
    const hidden = marker('PRIVATE');
    const shared = marker('SHARED');
    await save(server, c.ana, entryId(), entry({ what: hidden }));
    await save(server, c.ana, entryId(), entry({ what: shared, visibility: 'community' }));
    await save(server, c.cleo, entryId(), entry({ what: marker('CLEO') }));
    const res = await call<LogActivity[]>(server, 'GET', `/api/cohorts/${c.id}/log-activity`, c.staffToken);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(hidden);
    expect(JSON.stringify(res.body)).not.toContain(shared);
    const mine = res.body.find((a) => a.communityId === c.community.id)!;
    expect(mine.members.map((m) => [m.name, m.entries, m.sharedWithCommunity])).toEqual([
      ['Ana', 2, 1],
      ['Ben', 0, 0],
      ['Cleo', 1, 0],
    ]);
    expect(mine.members[0]!.lastAt).toEqual(expect.any(Number));
    // A member's key opens none of it.
    expect((await call(server, 'GET', `/api/cohorts/${c.id}/log-activity`, c.ana.token)).status).toBe(401);
  });

  it('a removed member loses access at once: their home socket closes, their key stops, their entries leave everyone', async () => {
    const server = await startTestServer();
    const c = await aCohort(server);
    const ben = await yearSocket(server, c.ben.token);
    const cleo = await yearSocket(server, c.cleo.token);
    const fromAna = marker('ANA');
    await save(server, c.ana, entryId(), entry({ what: fromAna, visibility: 'community' }));
    await waitFor(() => ben.heard(fromAna), 5_000, 'the entry at Ben’s socket');
    const fromBen = marker('BEN');
    await save(server, c.ben, entryId(), entry({ what: fromBen, visibility: 'community' }));
    await waitFor(() => cleo.heard(fromBen), 5_000, 'Ben’s entry at Cleo’s socket');

    const closed = new Promise<string>((resolve) => ben.socket.once('disconnect', (reason) => resolve(reason)));
    await c.staff('DELETE', `/members/${c.ben.memberId}`, { mode: 'anonymise' }, 204);
    expect(await closed).toBe('io server disconnect');
    expect(ben.events.some((e) => e.event === 'problem')).toBe(true);
    expect((await call(server, 'GET', '/api/me/log', c.ben.token)).status).toBe(401);
    // Their shared entry is withdrawn from whoever had it, and gone from the store.
    await waitFor(() => cleo.events.some((e) => e.event === 'log:withdrawn'), 5_000, 'the withdrawal at Cleo’s socket');
    expect((await myLog(server, c.cleo)).sharedWithMe.map((e) => e.what)).toEqual([fromAna]);
    // What Ana shares next never reaches the removed member: a new socket with the old key is refused.
    await expect(yearSocket(server, c.ben.token)).rejects.toThrow(/unauthorized/);
  });

  it('saves are idempotent and the later edit wins, across a restart: an offline client’s outbox merges', async () => {
    let server = await startTestServer();
    const c = await aCohort(server);
    const laptop = entryId();
    const phone = entryId();
    const t0 = Date.now();
    await save(server, c.ana, laptop, entry({ what: 'laptop draft', editedAt: t0 }));
    server = await restartServer(server);
    // The phone was offline through the restart: its outbox holds an entry of its own and an older edit of the laptop's.
    await save(server, c.ana, phone, entry({ what: 'written on the bus', editedAt: t0 + 5 }));
    const stale = await save(server, c.ana, laptop, entry({ what: 'older phone edit', editedAt: t0 - 1_000 }));
    expect(stale.what).toBe('laptop draft');
    // A retry of the same save stores it once.
    await save(server, c.ana, phone, entry({ what: 'written on the bus', editedAt: t0 + 5 }));
    await save(server, c.ana, laptop, entry({ what: 'laptop, edited later', editedAt: t0 + 10 }));
    const log = await myLog(server, c.ana);
    expect(log.mine.map((e) => e.what).sort()).toEqual(['laptop, edited later', 'written on the bus']);
  });

  it('refuses what breaks the rules, with a clear message, and changes nothing', async () => {
    const server = await startTestServer();
    const c = await aCohort(server);
    const other = await createCohort(server);
    const stranger = await joinCohort(server, other.joinCode, 'Stranger');
    const id = entryId();
    const refused = async (body: unknown, pattern: RegExp, status = 400, member = c.ana, at = id) => {
      const res = await call<{ error: { message: string } }>(server, 'PUT', `/api/me/log/${at}`, member.token, body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(pattern);
    };
    await refused(entry({ visibility: 'everyone' as never }), /visibility must be one of/);
    await refused(entry({ visibility: 'peer' }), /choose the peer partner/);
    await refused(entry({ visibility: 'peer', peerId: stranger.memberId }), /another member of your cohort/);
    await refused(entry({ visibility: 'peer', peerId: c.ana.memberId }), /another member of your cohort/);
    await refused(entry({ what: 'x'.repeat(2001) }), /at most 2000/);
    await refused(entry({ tried: '', what: '', soWhat: '', nowWhat: '', actual: '' }), /write something first/);
    await refused(entry({ decision: 'maybe' as never }), /adopt, adapt or abandon/);
    await refused(entry(), /Not an entry id/, 400, c.ana, 'no');
    await refused(entry({ commitmentId: 'abcdefghij' }), /your own commitments/);
    // Someone else's entry id is not theirs to write.
    await save(server, c.ana, id, entry());
    await refused(entry({ what: 'overwritten' }), /No such entry of yours/, 404, c.ben);
    expect((await myLog(server, c.ana)).mine[0]!.what).toBe('Two families came');
    // No key, no log.
    expect((await call(server, 'GET', '/api/me/log')).status).toBe(401);
  });

  it('"adapt" opens the next commitment, pre-filled by the member, and closes the one it follows', async () => {
    const server = await startTestServer();
    const c = await aCohort(server);
    const m1 = (await c.staff<{ sessionId: string }>('POST', '/meetings', { communityId: c.community.id, startsAt: '2026-09-08T16:00' }, 201)).sessionId;
    await holdCommunityMeeting(server, c, m1, [c.ana, c.ben, c.cleo], { commitments: { Ana: 'Invite two families to the budget meeting' } });
    await c.staff('POST', `/meetings/${m1}/finish`);
    const home = await ok(call<MemberHome>(server, 'GET', '/api/me', c.ana.token));
    const commitment = home.commitment!;
    const id = entryId();
    await save(server, c.ana, id, entry({ commitmentId: commitment.id, decision: 'adopt' }));
    expect((await call(server, 'POST', `/api/me/log/${id}/next-commitment`, c.ana.token, { action: 'x' })).status).toBe(409);
    const saved = await save(server, c.ana, id, entry({ commitmentId: commitment.id, decision: 'adapt' }));
    expect(saved.commitment).toEqual({ action: commitment.action, notice: commitment.notice });
    const next = await ok(
      call<CommitmentView>(server, 'POST', `/api/me/log/${id}/next-commitment`, c.ana.token, { action: 'Ask in their language', notice: commitment.notice }),
      201,
    );
    expect(next).toMatchObject({ action: 'Ask in their language', status: 'open', memberId: c.ana.memberId });
    const after = await ok(call<MemberHome>(server, 'GET', '/api/me', c.ana.token));
    expect(after.commitment!.id).toBe(next.id);
    expect(after.commitments.find((x) => x.id === commitment.id)!.status).toBe('done');
    // Only the author's own entries open commitments.
    expect((await call(server, 'POST', `/api/me/log/${id}/next-commitment`, c.ben.token, { action: 'x' })).status).toBe(404);
  });

  it('the next meeting’s log round shows what each member present shared with the community, and nothing narrower', async () => {
    const server = await startTestServer();
    const c = await aCohort(server);
    const m1 = (await c.staff<{ sessionId: string }>('POST', '/meetings', { communityId: c.community.id, startsAt: '2026-09-08T16:00' }, 201)).sessionId;
    await c.staff('POST', `/meetings/${m1}/finish`);
    const shared = marker('SHARED');
    const toPeer = marker('PEER');
    const mine = marker('PRIVATE');
    const anaEntry = entryId();
    await save(server, c.ana, entryId(), entry({ what: 'an older one', visibility: 'community', editedAt: 1 }));
    await save(server, c.ana, anaEntry, entry({ what: shared, visibility: 'community' }));
    await save(server, c.ben, entryId(), entry({ what: toPeer, visibility: 'peer', peerId: c.cleo.memberId }));
    await save(server, c.cleo, entryId(), entry({ what: mine }));
    const m2 = (await c.staff<{ sessionId: string }>('POST', '/meetings', { communityId: c.community.id, startsAt: '2026-10-13T16:00', template: 'monthly-tuning' }, 201)).sessionId;
    const key = await ok(call<{ token: string }>(server, 'POST', `/api/cohorts/${c.id}/meetings/${m2}/facilitate`, c.staffToken), 201);
    const facilitator = await connectControl(server, key.token);
    const joined = { ana: await enter(server, c.ana, m2), ben: await enter(server, c.ben, m2), cleo: await enter(server, c.cleo, m2) };
    const controls = [await connectControl(server, joined.ana.participantToken), await connectControl(server, joined.ben.participantToken), await connectControl(server, joined.cleo.participantToken)];
    const frames = await recordYjsFrames(server, m2, joined.cleo.participantToken);
    const cleoBoard = await connectYjs(server, m2, joined.cleo.participantToken);
    expect((await facilitator.command({ type: 'goto', step: 'logRound' })).ok).toBe(true);
    const started = await facilitator.command({ type: 'turns', action: 'start' });
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true });
    await waitFor(() => cleoBoard.board.list('logShares').length === 1, 5_000, 'the shared entry on Cleo’s board');
    const [share] = cleoBoard.board.list('logShares');
    expect(share).toMatchObject({ authorId: joined.ana.participantId, entryId: anaEntry, what: shared });
    await sleep(200);
    const seen = Buffer.concat(frames.frames.map((f) => Buffer.from(f))).toString('utf8');
    expect(seen).toContain(shared);
    expect(seen).not.toContain(toPeer);
    expect(seen).not.toContain(mine);

    // Ana narrows hers before her turn: the next turn takes it off the board, and her earlier shared one is her latest.
    await save(server, c.ana, anaEntry, entry({ what: shared, visibility: 'private' }));
    expect((await facilitator.command({ type: 'speaker', participantId: joined.ana.participantId })).ok).toBe(true);
    await waitFor(() => cleoBoard.board.list('logShares')[0]?.what === 'an older one', 5_000, 'the narrowed entry off the board');
    expect(cleoBoard.board.list('logShares')).toHaveLength(1);

    // The board is the server's to write: a participant, or the facilitator, cannot put an entry up.
    const onServer = () => server.rooms.withDoc(boardRef(m2), (room) => new Board(room.doc).list('logShares').map((x) => x.what));
    cleoBoard.board.putLogShares({ actor: joined.cleo.participantId }, [
      { authorId: joined.cleo.participantId, entryId: 'forgedentry1', tried: '', what: 'forged', soWhat: '', nowWhat: '', actual: '', decision: null },
    ]);
    await sleep(300);
    expect(await onServer()).toEqual(['an older one']);
    for (const s of controls) s.close();
    frames.close();
    cleoBoard.destroy();
    facilitator.close();
  });
});
