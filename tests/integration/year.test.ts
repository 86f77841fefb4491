import { describe, expect, it } from 'vitest';
import { isCarriedActor } from '../../shared/export/carryForward.ts';
import type { CohortOverview, CommunityView, MeetingView, MemberHome, SessionYear } from '../../shared/year/api.ts';
import { connectYjs, restartServer, startTestServer, useCleanup } from './helpers.ts';
import { call, createCohort, enter, holdCommunityMeeting, joinCohort, ok, type TestMember } from './yearSetup.ts';

useCleanup();

const CHALLENGES = ['PTA funds', 'Chronic absence', 'Family voice', 'Discipline gaps'];

describe('a cohort through three monthly meetings', () => {
  it('keeps one identity per member, carries the question and commitments, and survives a restart', async () => {
    let server = await startTestServer();
    const created = await createCohort(server);
    const cohort = { id: created.cohort.id, staffToken: created.facilitatorToken };
    const staff = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, status = 200) =>
      ok(call<T>(server, method, `/api/cohorts/${cohort.id}${path}`, cohort.staffToken, body), status);

    // Eight principals join once, each with the challenge they bring.
    const names = ['Ana', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana'];
    const members: TestMember[] = [];
    for (const [i, name] of names.entries()) members.push(await joinCohort(server, created.joinCode, name, CHALLENGES[i % 2]!));

    // Two communities, grouped by shared challenge.
    const pta = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need', challenge: CHALLENGES[0] }, 201);
    const absence = await staff<CommunityView>('POST', '/communities', { name: 'Every day counts', challenge: CHALLENGES[1] }, 201);
    for (const [i, m] of members.entries()) {
      await staff('PUT', `/members/${m.memberId}/community`, { communityId: i % 2 === 0 ? pta.id : absence.id }, 204);
    }
    await staff('PATCH', `/communities/${pta.id}`, { series: { kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' } });
    const ptaMembers = members.filter((_, i) => i % 2 === 0);

    // Meeting 1: the inquiry; Ana's question is final; everyone commits.
    const m1 = await staff<MeetingView>('POST', '/meetings', { communityId: pta.id, startsAt: '2026-09-08T16:00' }, 201);
    expect(m1).toMatchObject({ index: 1, title: 'Funds for need · Meeting 1' });
    // Members need no code; the code lets no guest in until the facilitator opens joining.
    const { joinCode } = (await server.store.sessions.getSession(m1.sessionId))!;
    const guest = await call<{ error: { code: string } }>(server, 'POST', '/api/sessions/join', null, { joinCode, name: 'Guest' });
    expect([guest.status, guest.body.error.code]).toEqual([403, 'joining-closed']);
    const first = await holdCommunityMeeting(server, cohort, m1.sessionId, ptaMembers, {
      final: 'How might we aim PTA funds at the students who need them most?',
      category: 'structures',
      commitments: { Ana: 'Ask the PTA chair for last year’s spending', Cleo: 'Map who uses the after-school fund' },
    });
    const { next: m2 } = await staff<{ next: MeetingView | null }>('POST', `/meetings/${m1.sessionId}/finish`);
    // The series schedules the next one: the 2nd Tuesday of October.
    expect(m2).toMatchObject({ index: 2, startsAt: '2026-10-13T16:00' });

    // The next board already has the question and the open commitments.
    const ana = members[0]!;
    const anaIn2 = await enter(server, ana, m2!.sessionId);
    // Same person, new session key: the member link needs no code.
    expect(anaIn2.participantId).not.toBe(first.joined.get('Ana')!.participantId);
    const board2 = await connectYjs(server, m2!.sessionId, anaIn2.participantToken);
    expect(board2.board.list('questions').map((q) => q.text)).toEqual(['How might we aim PTA funds at the students who need them most?']);
    expect(board2.board.list('commitments').filter((c) => isCarriedActor(c.authorId)).map((c) => c.action).sort()).toEqual(
      ['Ask the PTA chair for last year’s spending', 'Map who uses the after-school fund'].sort(),
    );
    board2.destroy();
    const year2 = await ok(call<{ year: SessionYear }>(server, 'GET', `/api/sessions/${m2!.sessionId}/year`, anaIn2.participantToken));
    expect(year2.year.question).toEqual({ version: 1, text: 'How might we aim PTA funds at the students who need them most?' });
    // Ana sees her own open commitment to review, nobody else's.
    expect(year2.year.openCommitments.map((c) => c.owner)).toEqual(['Ana']);

    // Meeting 2: Ana marks hers done from inside the meeting, Cleo carries hers; the question is revised once.
    await ok(call(server, 'POST', `/api/sessions/${m2!.sessionId}/year/commitments/${year2.year.openCommitments[0]!.id}/review`, anaIn2.participantToken, { status: 'done' }));
    const cleoHome = await ok(call<MemberHome>(server, 'GET', '/api/me', members[2]!.token));
    expect(cleoHome.nextMeeting?.sessionId).toBe(m2!.sessionId);
    await ok(call(server, 'POST', `/api/me/commitments/${cleoHome.commitment!.id}/review`, members[2]!.token, { status: 'carried' }));
    await holdCommunityMeeting(server, cohort, m2!.sessionId, ptaMembers.slice(0, 3), { commitments: { Ana: 'Present the spending map to the PTA' } });
    await staff('POST', `/communities/${pta.id}/question`, { text: 'How might we aim PTA funds at students furthest from opportunity?', reason: 'The map showed need is not where we thought' }, 201);
    const { next: m3 } = await staff<{ next: MeetingView | null }>('POST', `/meetings/${m2!.sessionId}/finish`);
    expect(m3).toMatchObject({ index: 3, startsAt: '2026-11-10T16:00' });

    // Meeting 3, after a restart: everything is there.
    server = await restartServer(server);
    const overview = await staff<CohortOverview>('GET', '');
    expect(overview.members.map((m) => m.name)).toEqual(names);
    expect(overview.communities.map((c) => c.name)).toEqual(['Funds for need', 'Every day counts']);
    expect(overview.questions.map((q) => [q.version, q.text])).toEqual([
      [1, 'How might we aim PTA funds at the students who need them most?'],
      [2, 'How might we aim PTA funds at students furthest from opportunity?'],
    ]);
    // Version 1 keeps where it came from.
    expect(overview.questions[0]!.source).toMatchObject({ category: 'structures' });
    const byOwner = (owner: string) => overview.commitments.filter((c) => c.owner === owner).map((c) => c.status);
    expect(byOwner('Ana')).toEqual(['done', 'open']);
    expect(byOwner('Cleo')).toEqual(['carried', 'open']);
    expect(overview.meetings.map((m) => [m.index, m.finishedAt !== null, m.attendance])).toEqual([
      [1, true, 4],
      [2, true, 3],
      [3, false, 0],
    ]);

    const anaIn3 = await enter(server, ana, m3!.sessionId);
    const board3 = await connectYjs(server, m3!.sessionId, anaIn3.participantToken);
    expect(board3.board.list('questions').map((q) => q.text)).toEqual(['How might we aim PTA funds at students furthest from opportunity?']);
    expect(board3.board.list('commitments').map((c) => c.action).sort()).toEqual(['Map who uses the after-school fund', 'Present the spending map to the PTA']);
    board3.destroy();
    const home = await ok(call<MemberHome>(server, 'GET', '/api/me', ana.token));
    expect(home).toMatchObject({ me: { name: 'Ana' }, community: { name: 'Funds for need' }, nextMeeting: { index: 3 }, question: { version: 2 } });
    expect(home.history.map((h) => [h.index, h.attended])).toEqual([[2, true], [1, true]]);
    // The lineage, back to the first meeting, from the member's home.
    expect(home.questions.map((q) => [q.version, q.source?.category ?? null])).toEqual([[1, 'structures'], [2, null]]);
    expect(home.commitment?.action).toBe('Present the spending map to the PTA');
  });
});
