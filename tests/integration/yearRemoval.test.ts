import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Board } from '../../shared/board/Board.ts';
import { boardRef, draftsRef } from '../../shared/board/DocRef.ts';
import { isCarriedActor, personOrigin } from '../../shared/board/origins.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { REMOVED_NOTE } from '../../server/year/removeMember.ts';
import { FORMER_MEMBER, type CohortOverview, type CommunityView, type MeetingView } from '../../shared/year/api.ts';
import { configFromEnv } from '../../server/config.ts';
import {
  connectControl,
  connectYjs,
  controlHandshakeError,
  restartServer,
  rowCount,
  sqliteOf,
  startTestServer,
  upgradeStatus,
  useCleanup,
  waitFor,
  type TestServer,
} from './helpers.ts';
import { call, createCohort, enter, holdCommunityMeeting, joinCohort, ok, type TestMember } from './yearSetup.ts';

useCleanup();

const marker = (what: string) => `${what}-${crypto.randomBytes(8).toString('hex')}`;

/** Whether `text` occurs anywhere in the database file or its WAL, as bytes. */
function onDisk(server: TestServer, text: string): boolean {
  const file = path.join(server.dataDir, 'howmight.sqlite');
  const needle = Buffer.from(text, 'utf8');
  return [file, `${file}-wal`].some((f) => fs.existsSync(f) && fs.readFileSync(f).includes(needle));
}

interface Year {
  cohort: { id: string; staffToken: string };
  ana: TestMember;
  ben: TestMember;
  m1: string;
  m2: string;
  texts: { lineageNote: string; looseNote: string; draft: string; commitment: string; benNote: string };
  staff: <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', urlPath: string, body?: unknown, status?: number) => Promise<T>;
}

/**
 * A community of three with one finished meeting and the next one planned:
 * Ana wrote a note in the final question's category (so it is in the
 * lineage), a loose note, a private draft, the final question and a
 * commitment, which is carried onto meeting 2's board. Ben wrote a note and a commitment.
 */
async function aYear(server: TestServer): Promise<Year> {
  const created = await createCohort(server, { name: marker('Cohort') });
  const cohort = { id: created.cohort.id, staffToken: created.facilitatorToken };
  const staff = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', urlPath: string, body?: unknown, status = 200) =>
    ok(call<T>(server, method, `/api/cohorts/${cohort.id}${urlPath}`, cohort.staffToken, body), status);
  const ana = await joinCohort(server, created.joinCode, marker('Ana'));
  const ben = await joinCohort(server, created.joinCode, 'Ben');
  const cleo = await joinCohort(server, created.joinCode, 'Cleo');
  const community = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need', challenge: 'PTA funds' }, 201);
  for (const m of [ana, ben, cleo]) await staff('PUT', `/members/${m.memberId}/community`, { communityId: community.id }, 204);
  const m1 = (await staff<MeetingView>('POST', '/meetings', { communityId: community.id, startsAt: '2026-09-08T16:00' }, 201)).sessionId;
  // A monthly series: finishing meeting 1 plans meeting 2, with the open commitments on its board.
  await staff('PATCH', `/communities/${community.id}`, { series: { kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' } });

  const texts = { lineageNote: marker('LINEAGE'), looseNote: marker('LOOSE'), draft: marker('DRAFT'), commitment: marker('COMMIT'), benNote: marker('BEN') };
  const anaIn1 = await enter(server, ana, m1);
  const benIn1 = await enter(server, ben, m1);
  await server.rooms.withDoc(boardRef(m1), (room) => {
    const board = new Board(room.doc);
    const anaNote = board.addNote(personOrigin(anaIn1.participantId), { text: texts.lineageNote, x: 0, y: 0 });
    board.sortNote(personOrigin(anaIn1.participantId), anaNote, 'structures');
    board.addNote(personOrigin(anaIn1.participantId), { text: texts.looseNote, x: 10, y: 0 });
    const benNote = board.addNote(personOrigin(benIn1.participantId), { text: texts.benNote, x: 20, y: 0 });
    board.sortNote(personOrigin(benIn1.participantId), benNote, 'structures');
  });
  await server.rooms.withDoc(draftsRef(m1, anaIn1.participantId), (room) => {
    new PrivateBoard(room.doc).addCauseDraft(personOrigin(anaIn1.participantId), texts.draft, null);
  });
  // Ana is first, so she writes the final question.
  await holdCommunityMeeting(server, cohort, m1, [ana, ben, cleo], {
    final: 'How might we aim PTA funds at the students who need them most?',
    category: 'structures',
    commitments: { [ana.name]: texts.commitment, Ben: 'Map who uses the after-school fund' },
  });
  const { next } = await staff<{ next: MeetingView | null }>('POST', `/meetings/${m1}/finish`);
  const m2 = next!.sessionId;
  return { cohort, ana, ben, m1, m2, texts, staff };
}

/** A fresh client's view of a board: a new facilitator key, a new y-websocket client. */
async function freshBoard(server: TestServer, year: Year, sessionId: string) {
  const { token } = await year.staff<{ token: string }>('POST', `/meetings/${sessionId}/facilitate`, undefined, 201);
  const client = await connectYjs(server, sessionId, token);
  const board = {
    notes: client.board.notes().map((n) => n.text),
    questions: client.board.list('questions').map((q) => q.text),
    commitments: client.board.list('commitments').map((c) => c.action),
    carried: client.board.list('commitments').filter((c) => isCarriedActor(c.authorId)).map((c) => c.action),
  };
  client.destroy();
  return board;
}

/** Ana inside meeting 2, live on both sockets, and Ben watching the roster. */
async function liveInMeeting2(server: TestServer, year: Year) {
  const anaIn2 = await enter(server, year.ana, year.m2);
  const benIn2 = await enter(server, year.ben, year.m2);
  const anaControl = await connectControl(server, anaIn2.participantToken);
  const anaBoard = await connectYjs(server, year.m2, anaIn2.participantToken);
  const benControl = await connectControl(server, benIn2.participantToken);
  await waitFor(() => (benControl.rosters.at(-1) ?? []).some((e) => e.name === year.ana.name && e.online), 5_000, 'Ana online in the roster');
  return { anaIn2, anaControl, anaBoard, benControl };
}

async function expectLockedOut(server: TestServer, year: Year, live: Awaited<ReturnType<typeof liveInMeeting2>>) {
  // The live sockets are closed, and not by the client.
  await waitFor(() => !live.anaControl.socket.connected, 5_000, "Ana's control socket to close");
  expect(live.anaControl.problems.map((p) => p.code)).toContain('forbidden');
  await waitFor(() => !live.anaBoard.provider.wsconnected, 5_000, "Ana's board socket to close");
  // The personal link and the session key are refused from now on, on every door.
  expect((await call(server, 'GET', '/api/me', year.ana.token)).status).toBe(401);
  expect(await upgradeStatus(server, year.m2, live.anaIn2.participantToken)).toBe(401);
  expect(await controlHandshakeError(server, live.anaIn2.participantToken)).toBe('unauthorized');
  expect((await call(server, 'POST', `/api/me/meetings/${year.m2}/enter`, year.ana.token)).status).toBe(401);
}

describe('removing a member', () => {
  it('remove: deletes what they wrote from every board, their drafts, commitments and name, and locks them out', async () => {
    const server = await startTestServer();
    const year = await aYear(server);
    const before = await freshBoard(server, year, year.m1);
    expect(before.notes).toEqual(expect.arrayContaining([year.texts.lineageNote, year.texts.looseNote, year.texts.benNote]));
    expect((await freshBoard(server, year, year.m2)).carried.sort()).toEqual([year.texts.commitment, 'Map who uses the after-school fund'].sort());
    const live = await liveInMeeting2(server, year);
    sqliteOf(server).pragma('wal_checkpoint(TRUNCATE)');
    for (const text of [year.ana.name, year.texts.looseNote, year.texts.draft, year.texts.commitment]) expect(onDisk(server, text), text).toBe(true);

    await year.staff('DELETE', `/members/${year.ana.memberId}`, { mode: 'remove' }, 204);

    await expectLockedOut(server, year, live);
    // Ben's roster no longer names her.
    await waitFor(() => !(live.benControl.rosters.at(-1) ?? []).some((e) => e.name === year.ana.name), 5_000, 'Ana off the roster');

    const board1 = await freshBoard(server, year, year.m1);
    expect(board1.notes).toEqual([year.texts.benNote]);
    expect(board1.questions).toEqual([]);
    expect(board1.commitments).toEqual(['Map who uses the after-school fund']);
    const board2 = await freshBoard(server, year, year.m2);
    expect(board2.carried).toEqual(['Map who uses the after-school fund']);

    const overview = await year.staff<CohortOverview>('GET', '');
    expect(overview.members.map((m) => m.name)).toEqual(['Ben', 'Cleo']);
    expect(overview.commitments.map((c) => c.owner)).toEqual(['Ben']);
    // The lineage keeps a tombstone where her note was: "a former member", without her words.
    expect(overview.questions[0]!.source!.notes.map((n) => [n.author, n.text]).sort()).toEqual(
      [['Ben', year.texts.benNote], [FORMER_MEMBER, REMOVED_NOTE]].sort(),
    );
    expect(sqliteOf(server).prepare('SELECT count(*) AS n FROM participants WHERE name = ?').get(year.ana.name)).toEqual({ n: 0 });
    expect(rowCount(server, 'cohort_members')).toBe(2);
    // Nothing else of hers is left in the file: her name, her loose note, her draft, her commitment.
    for (const text of [year.ana.name, year.texts.lineageNote, year.texts.looseNote, year.texts.draft, year.texts.commitment]) {
      expect(onDisk(server, text), text).toBe(false);
    }
  });

  it('anonymise: keeps what they wrote, signed "a former member", and locks them out', async () => {
    const server = await startTestServer();
    const year = await aYear(server);
    const live = await liveInMeeting2(server, year);

    await year.staff('DELETE', `/members/${year.ana.memberId}`, { mode: 'anonymise' }, 204);

    await expectLockedOut(server, year, live);
    await waitFor(() => (live.benControl.rosters.at(-1) ?? []).some((e) => e.name === FORMER_MEMBER), 5_000, 'the roster to say a former member');
    expect((live.benControl.rosters.at(-1) ?? []).some((e) => e.name === year.ana.name)).toBe(false);

    const board1 = await freshBoard(server, year, year.m1);
    expect(board1.notes).toEqual(expect.arrayContaining([year.texts.lineageNote, year.texts.looseNote, year.texts.benNote]));
    expect(board1.questions).toEqual(['How might we aim PTA funds at the students who need them most?']);
    const overview = await year.staff<CohortOverview>('GET', '');
    expect(overview.members.map((m) => m.name)).toEqual(['Ben', 'Cleo']);
    expect(overview.commitments.map((c) => c.owner).sort()).toEqual(['Ben', FORMER_MEMBER].sort());
    expect(overview.questions[0]!.source!.notes.map((n) => n.author).sort()).toEqual(['Ben', FORMER_MEMBER].sort());
    const names = sqliteOf(server).prepare('SELECT name FROM participants').all() as Array<{ name: string }>;
    expect(names.map((n) => n.name)).not.toContain(year.ana.name);
    expect(names.map((n) => n.name)).toContain(FORMER_MEMBER);
    // Her keys are gone, not only refused: no personal link or calendar feed row, no session key.
    expect(sqliteOf(server).prepare('SELECT count(*) AS n FROM cohort_tokens WHERE holder_id = ?').get(year.ana.memberId)).toEqual({ n: 0 });
    expect(sqliteOf(server).prepare('SELECT count(*) AS n FROM tokens WHERE holder_id = ?').get(year.ana.memberId)).toEqual({ n: 0 });
    // Removed once is removed: a second request finds no such member.
    expect((await call(server, 'DELETE', `/api/cohorts/${year.cohort.id}/members/${year.ana.memberId}`, year.cohort.staffToken, { mode: 'remove' })).status).toBe(404);
  });
});

describe('deleting a cohort', () => {
  it('deletes every session of it and every row, leaves no text on disk, and keeps other cohorts', async () => {
    const server = await startTestServer();
    const year = await aYear(server);
    const other = await createCohort(server, { name: marker('Other') });
    const live = await liveInMeeting2(server, year);
    const facilitate = await year.staff<{ token: string }>('POST', `/meetings/${year.m1}/facilitate`, undefined, 201);
    const overview = await year.staff<CohortOverview>('GET', '');
    sqliteOf(server).pragma('wal_checkpoint(TRUNCATE)');
    const texts = [overview.cohort.name, year.ana.name, year.texts.lineageNote, year.texts.looseNote, year.texts.draft, year.texts.commitment];
    for (const text of texts) expect(onDisk(server, text), text).toBe(true);

    await year.staff('DELETE', '', undefined, 204);

    await waitFor(() => !live.anaBoard.provider.wsconnected && !live.anaControl.socket.connected, 5_000, 'the sockets to close');
    expect(await upgradeStatus(server, year.m1, facilitate.token)).toBe(401);
    expect(await upgradeStatus(server, year.m2, live.anaIn2.participantToken)).toBe(401);
    expect((await call(server, 'GET', `/api/cohorts/${year.cohort.id}`, year.cohort.staffToken)).status).toBe(401);
    expect((await call(server, 'GET', '/api/me', year.ana.token)).status).toBe(401);
    for (const table of ['sessions', 'participants', 'tokens', 'doc_updates', 'doc_snapshots', 'meetings', 'meeting_members', 'cohort_members', 'communities', 'question_versions', 'year_commitments']) {
      expect(rowCount(server, table), table).toBe(0);
    }
    // Only the other cohort's rows are left.
    expect(rowCount(server, 'cohorts')).toBe(1);
    expect(rowCount(server, 'cohort_staff')).toBe(1);
    for (const text of texts) expect(onDisk(server, text), text).toBe(false);
    expect(onDisk(server, other.cohort.name)).toBe(true);
    expect((await call(server, 'GET', `/api/cohorts/${other.cohort.id}`, other.facilitatorToken)).status).toBe(200);
  });

  it('is a facilitator’s to do, not a coach’s', async () => {
    const server = await startTestServer();
    const created = await createCohort(server);
    const coach = await ok(call<{ url: string }>(server, 'POST', `/api/cohorts/${created.cohort.id}/staff`, created.facilitatorToken, { name: 'Cory', role: 'coach' }), 201);
    const coachToken = coach.url.split('#')[1]!;
    expect((await call(server, 'DELETE', `/api/cohorts/${created.cohort.id}`, coachToken)).status).toBe(403);
    const ana = await joinCohort(server, created.joinCode, 'Ana');
    expect((await call(server, 'DELETE', `/api/cohorts/${created.cohort.id}/members/${ana.memberId}`, coachToken, { mode: 'remove' })).status).toBe(403);
    expect(rowCount(server, 'cohorts')).toBe(1);
    expect(rowCount(server, 'cohort_members')).toBe(1);
  });
});

describe('retention', () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  it('deletes a cohort once its last day is more than the retention behind, at start and on each sweep, and keeps one within it', async () => {
    let server = await startTestServer();
    const ended = await createCohort(server, { name: marker('Ended'), startsOn: day(-300), endsOn: day(-31) });
    const endedMeeting = await ok(
      call<MeetingView>(server, 'POST', `/api/cohorts/${ended.cohort.id}/meetings`, ended.facilitatorToken, { communityId: null, startsAt: `${day(-40)}T16:00` }),
      201,
    );
    // Its last day exactly 30 days ago: not more than 30, so it stays today.
    const lastDay = await createCohort(server, { startsOn: day(-300), endsOn: day(-30) });
    const recent = await createCohort(server, { startsOn: day(-300), endsOn: day(-10) });

    const recentView = await ok(call<CohortOverview>(server, 'GET', `/api/cohorts/${recent.cohort.id}`, recent.facilitatorToken));
    expect(recentView).toMatchObject({ retentionDays: 30, deletesOn: day(21), endingSoon: true });

    expect(await server.sweepRetention()).toEqual([ended.cohort.id]);
    expect((await call(server, 'GET', `/api/cohorts/${ended.cohort.id}`, ended.facilitatorToken)).status).toBe(401);
    expect(sqliteOf(server).prepare('SELECT count(*) AS n FROM sessions WHERE id = ?').get(endedMeeting.sessionId)).toEqual({ n: 0 });
    for (const kept of [lastDay, recent]) {
      expect((await call(server, 'GET', `/api/cohorts/${kept.cohort.id}`, kept.facilitatorToken)).status).toBe(200);
    }
    expect(onDisk(server, ended.cohort.name)).toBe(false);

    // At start: a cohort that ended long ago is gone once the server is back, with no sweep asked for.
    const old = await createCohort(server, { startsOn: '2020-09-01', endsOn: '2021-06-30' });
    server = await restartServer(server);
    await waitFor(async () => (await call(server, 'GET', `/api/cohorts/${old.cohort.id}`, old.facilitatorToken)).status === 401, 5_000, 'the sweep at start');
    expect((await call(server, 'GET', `/api/cohorts/${recent.cohort.id}`, recent.facilitatorToken)).status).toBe(200);
  });

  it('takes COHORT_RETENTION_DAYS from the environment and refuses nonsense', async () => {
    expect(configFromEnv({}).cohortRetentionDays).toBe(30);
    expect(configFromEnv({ COHORT_RETENTION_DAYS: '90' }).cohortRetentionDays).toBe(90);
    expect(() => configFromEnv({ COHORT_RETENTION_DAYS: 'forever' })).toThrow(/COHORT_RETENTION_DAYS/);
    expect(() => configFromEnv({ COHORT_RETENTION_DAYS: '-1' })).toThrow(/COHORT_RETENTION_DAYS/);
    const server = await startTestServer(undefined, {}, { cohortRetentionDays: 7 });
    const created = await createCohort(server, { startsOn: '2026-09-01', endsOn: '2027-06-30' });
    const view = await ok(call<CohortOverview>(server, 'GET', `/api/cohorts/${created.cohort.id}`, created.facilitatorToken));
    expect(view).toMatchObject({ retentionDays: 7, deletesOn: '2027-07-08' });
  });
});

describe('a new personal link and a move between communities', () => {
  it('a new link closes the old one’s open sockets at once, and the new link enters again', async () => {
    const server = await startTestServer();
    const year = await aYear(server);
    const live = await liveInMeeting2(server, year);
    const { url } = await year.staff<{ url: string }>('POST', `/members/${year.ana.memberId}/link`, undefined, 201);
    // The lost laptop's sockets close, and nothing it holds opens a door again.
    await expectLockedOut(server, year, live);
    const fresh = url.split('#')[1]!;
    expect((await call(server, 'POST', `/api/me/meetings/${year.m2}/enter`, fresh)).status).toBe(200);
  });

  it('moving a member out of a community closes their sockets in its meetings', async () => {
    const server = await startTestServer();
    const year = await aYear(server);
    const live = await liveInMeeting2(server, year);
    await year.staff('PUT', `/members/${year.ana.memberId}/community`, { communityId: null }, 204);
    await waitFor(() => !live.anaControl.socket.connected, 5_000, "Ana's control socket to close");
    await waitFor(() => !live.anaBoard.provider.wsconnected, 5_000, "Ana's board socket to close");
    expect(await upgradeStatus(server, year.m2, live.anaIn2.participantToken)).toBe(401);
    // Her personal link still works: she is still a member, just of no community now.
    expect((await call(server, 'GET', '/api/me', year.ana.token)).status).toBe(200);
  });
});
