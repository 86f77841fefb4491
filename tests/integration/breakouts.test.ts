import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JoinSessionResponse } from '../../shared/api.ts';
import type { CommunityView, MeetingView } from '../../shared/year/api.ts';
import { suggestMixedGroups, type BreakoutsView } from '../../shared/year/breakouts.ts';
import { connectControl, connectYjs, recordYjsFrames, startTestServer, upgradeStatus, useCleanup, waitFor, type TestServer, type YjsClient } from './helpers.ts';
import { call, createCohort, enter, joinCohort, ok, type TestMember } from './yearSetup.ts';

useCleanup();

const marker = (what: string) => `${what}-${crypto.randomBytes(5).toString('hex')}`;

interface Cohort {
  id: string;
  staffToken: string;
  members: Array<TestMember & { communityId: string }>;
  communities: CommunityView[];
  coach: { token: string; id: string };
  staff: <T>(method: 'GET' | 'POST' | 'PUT', urlPath: string, body?: unknown, status?: number) => Promise<T>;
}

/** Sixteen members in four communities of four, a coach, and a cohort meeting everyone is in. */
async function aCohortMeeting(server: TestServer): Promise<Cohort & { plenary: string; facilitator: string; inPlenary: Map<string, JoinSessionResponse> }> {
  const created = await createCohort(server);
  const id = created.cohort.id;
  const staff = <T>(method: 'GET' | 'POST' | 'PUT', urlPath: string, body?: unknown, status = 200) =>
    ok(call<T>(server, method, `/api/cohorts/${id}${urlPath}`, created.facilitatorToken, body), status);
  const communities: CommunityView[] = [];
  const members: Cohort['members'] = [];
  for (const name of ['Funds', 'Days', 'Voice', 'Reading']) {
    const community = await staff<CommunityView>('POST', '/communities', { name }, 201);
    communities.push(community);
    for (let i = 1; i <= 4; i++) {
      const m = await joinCohort(server, created.joinCode, `${name} ${i}`);
      await staff('PUT', `/members/${m.memberId}/community`, { communityId: community.id }, 204);
      members.push({ ...m, communityId: community.id });
    }
  }
  const invite = await staff<{ url: string }>('POST', '/staff', { name: 'Cora', role: 'coach' }, 201);
  const coachToken = invite.url.split('#')[1]!;
  const overview = await ok(call<{ staff: Array<{ id: string; name: string }> }>(server, 'GET', `/api/cohorts/${id}`, coachToken));
  const coachId = overview.staff.find((s) => s.name === 'Cora')!.id;
  const plenary = (await staff<MeetingView>('POST', '/meetings', { communityId: null, startsAt: '2026-10-20T16:00' }, 201)).sessionId;
  const facilitator = (await staff<{ token: string }>('POST', `/meetings/${plenary}/facilitate`, undefined, 201)).token;
  const inPlenary = new Map<string, JoinSessionResponse>();
  for (const m of members) inPlenary.set(m.name, await enter(server, m, plenary));
  return { id, staffToken: created.facilitatorToken, members, communities, coach: { token: coachToken, id: coachId }, staff, plenary, facilitator, inPlenary };
}

describe('breakouts on the real server', () => {
  it('four community groups and then four mixed groups: each board converges, nobody reaches another group, the coach runs only theirs', async () => {
    const server = await startTestServer();
    const c = await aCohortMeeting(server);
    const breakouts = (method: 'GET' | 'POST', path = '', body?: unknown, token = c.facilitator) =>
      call<BreakoutsView & { error?: { message: string } }>(server, method, `/api/sessions/${c.plenary}/breakouts${path}`, token, body);
    const plenaryControls = await Promise.all(c.members.map((m) => connectControl(server, c.inPlenary.get(m.name)!.participantToken)));

    // The plenary is at "What did you need", where everyone writes; the groups start there.
    const plenaryFacilitator = await connectControl(server, c.facilitator);
    expect((await plenaryFacilitator.command({ type: 'goto', step: 'need' })).ok).toBe(true);
    plenaryFacilitator.close();
    // A participant cannot send the groups out; the facilitator can.
    const groups = c.communities.map((community, i) => ({
      name: community.name,
      communityId: community.id,
      memberIds: c.members.filter((m) => m.communityId === community.id).map((m) => m.memberId),
      coachId: i === 0 ? c.coach.id : null,
    }));
    expect((await breakouts('POST', '', { groups }, c.inPlenary.get('Funds 1')!.participantToken)).status).toBe(403);
    const opened = await breakouts('POST', '', { groups, lockstep: true });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.groups.map((g) => [g.name, g.people.length])).toEqual(c.communities.map((k) => [k.name, 4]));
    // Every plenary device is told, with its state, that the groups are out.
    await waitFor(() => plenaryControls.every((p) => p.controls.at(-1)?.control.breakouts.open === true), 5_000, 'the plenary told');

    const writeInGroups = async (round: string) => {
      const joined = new Map<string, { join: JoinSessionResponse; client: YjsClient; text: string }>();
      for (const m of c.members) {
        const group = await ok(call<{ group: (JoinSessionResponse & { name: string }) | null }>(server, 'POST', `/api/sessions/${c.plenary}/breakouts/enter`, c.inPlenary.get(m.name)!.participantToken));
        const join = group.group!;
        const client = await connectYjs(server, join.sessionId, join.participantToken);
        const text = marker(`${round}-${m.name}`);
        client.board.addNeed({ actor: join.participantId }, text);
        joined.set(m.name, { join, client, text });
      }
      const bySession = new Map<string, string[]>();
      for (const { join, text } of joined.values()) bySession.set(join.sessionId, [...(bySession.get(join.sessionId) ?? []), text]);
      expect([...bySession.values()].map((t) => t.length)).toEqual([4, 4, 4, 4]);
      // Each group's four boards converge on its four notes, and only those.
      for (const { join, client } of joined.values()) {
        const expected = [...bySession.get(join.sessionId)!].sort();
        await waitFor(() => client.board.list('needs').length === 4, 5_000, `the needs of ${join.sessionId}`);
        expect(client.board.list('needs').map((n) => n.text).sort()).toEqual(expected);
      }
      return { joined, bySession };
    };

    const first = await writeInGroups('community');
    // Same community, same group.
    for (const m of c.members) expect(first.joined.get(m.name)!.join.sessionId).toBe(first.joined.get(c.members.find((x) => x.communityId === m.communityId)!.name)!.join.sessionId);
    // A member's key opens their group's board and no other; what reaches them is their group's only.
    const funds1 = first.joined.get('Funds 1')!;
    const days1 = first.joined.get('Days 1')!;
    expect(await upgradeStatus(server, days1.join.sessionId, funds1.join.participantToken)).toBe(401);
    const frames = await recordYjsFrames(server, funds1.join.sessionId, funds1.join.participantToken);
    // A raw socket on Funds' board: what the server relays to it from now on, as bytes.
    const later = { funds: marker('FUNDS'), days: marker('DAYS') };
    funds1.client.board.addNeed({ actor: funds1.join.participantId }, later.funds);
    days1.client.board.addNeed({ actor: days1.join.participantId }, later.days);
    const seen = () => Buffer.concat(frames.frames.map((f) => Buffer.from(f))).toString('utf8');
    await waitFor(() => seen().includes(later.funds), 5_000, 'the group’s own writing');
    await waitFor(() => days1.client.board.list('needs').some((n) => n.text === later.days), 5_000, 'Days’ own writing');
    expect(seen()).not.toContain(later.days);
    frames.close();

    // The coach takes their group's controls and no other's.
    const coach = (sessionId: string) => call<{ token: string }>(server, 'POST', `/api/cohorts/${c.id}/meetings/${sessionId}/facilitate`, c.coach.token);
    expect((await coach(funds1.join.sessionId)).status).toBe(201);
    const refused = await coach(days1.join.sessionId);
    expect(refused.status).toBe(403);
    const coachControl = await connectControl(server, (await coach(funds1.join.sessionId)).body.token);
    expect((await coachControl.command({ type: 'timer', action: 'start' })).ok).toBe(true);
    // The coach's key is that group's session's: another group's control socket needs another key.
    expect(coachControl.welcome.sessionId).toBe(funds1.join.sessionId);
    coachControl.close();

    // Lockstep: the plenary's step moves every group; a message reaches every group.
    const facilitator = await connectControl(server, c.facilitator);
    const groupControls = await Promise.all([...first.bySession.keys()].map(async (sessionId) => {
      const m = [...first.joined.values()].find((j) => j.join.sessionId === sessionId)!;
      return connectControl(server, m.join.participantToken);
    }));
    expect((await facilitator.command({ type: 'goto', step: 'assumptions' })).ok).toBe(true);
    await waitFor(() => groupControls.every((g) => g.controls.at(-1)?.control.step === 'assumptions'), 5_000, 'the groups on the plenary’s step');
    expect((await call(server, 'POST', `/api/sessions/${c.plenary}/breakouts/announce`, c.facilitator, { text: 'Five minutes left' })).status).toBe(204);
    await waitFor(() => groupControls.every((g) => g.controls.at(-1)?.control.announcement?.text === 'Five minutes left'), 5_000, 'the message');
    const overview = (await breakouts('GET')).body;
    expect(overview.groups.map((g) => [g.step, g.notes, g.people.every((p) => p.joined)])).toEqual([['assumptions', 5, true], ['assumptions', 5, true], ['assumptions', 4, true], ['assumptions', 4, true]]);
    expect(overview.groups[0]!.coach).toBe('Cora');
    // The staff page lists the same groups for the coach to find theirs.
    expect((await ok(call<BreakoutsView>(server, 'GET', `/api/cohorts/${c.id}/meetings/${c.plenary}/breakouts`, c.coach.token))).groups).toHaveLength(4);

    // Everyone back: the groups are told to return, and the plenary shows each group's result.
    const back = await breakouts('POST', '/close');
    expect(back.body.open).toBe(false);
    await waitFor(() => groupControls.every((g) => g.controls.at(-1)?.control.plenary?.recalled === true), 5_000, 'the groups recalled');
    expect(back.body.groups.map((g) => g.result.commitments)).toEqual([0, 0, 0, 0]);
    // The cohort's record of every group, for the facilitator.
    const file = await call<string>(server, 'GET', `/api/sessions/${c.plenary}/breakouts/groups.md`, c.facilitator);
    expect(file.status).toBe(200);
    for (const community of c.communities) expect(file.body).toContain(`## ${community.name}`);
    expect((await call(server, 'GET', `/api/sessions/${c.plenary}/breakouts/groups.json`, c.inPlenary.get('Funds 1')!.participantToken)).status).toBe(404);
    // Nobody goes to a group now.
    expect((await ok(call<{ group: unknown }>(server, 'POST', `/api/sessions/${c.plenary}/breakouts/enter`, c.inPlenary.get('Funds 1')!.participantToken))).group).toBeNull();
    for (const { client } of first.joined.values()) client.destroy();

    // Mixed groups for one block, from "What did you need" again: four groups of four, one from each community each.
    expect((await facilitator.command({ type: 'goto', step: 'need' })).ok).toBe(true);
    const mixed = suggestMixedGroups(c.members.map((m) => ({ id: m.memberId, communityId: m.communityId })), 4);
    const reopened = await breakouts('POST', '', { groups: mixed.map((memberIds, i) => ({ name: `Mixed ${i + 1}`, memberIds })), lockstep: false });
    expect(reopened.status).toBe(201);
    const second = await writeInGroups('mixed');
    for (const texts of second.bySession.values()) expect(new Set(texts.map((t) => t.split('-')[1]!.split(' ')[0])).size).toBe(4);
    // The old groups' keys are not the new ones': a member's community group is closed to them now, their new group open.
    expect(second.joined.get('Funds 1')!.join.sessionId).not.toBe(funds1.join.sessionId);
    for (const { client } of second.joined.values()) client.destroy();
    for (const s of [...plenaryControls, ...groupControls, facilitator]) s.close();
  });

  it('refuses what breaks the rules, with a clear message', async () => {
    const server = await startTestServer();
    const c = await aCohortMeeting(server);
    const post = (body: unknown) => call<{ error: { message: string } }>(server, 'POST', `/api/sessions/${c.plenary}/breakouts`, c.facilitator, body);
    const one = c.members[0]!.memberId;
    expect((await post({ groups: [{ name: 'A', memberIds: [one] }, { name: 'B', memberIds: [one] }] })).body.error.message).toMatch(/one group only/);
    expect((await post({ groups: [{ name: 'A', memberIds: ['notamember1'] }] })).body.error.message).toMatch(/not a member of this cohort/);
    expect((await post({ groups: [] })).status).toBe(400);
    // A member does not reach a group directly from their home.
    expect((await post({ groups: [{ name: 'A', memberIds: [one] }] })).status).toBe(201);
    expect((await post({ groups: [{ name: 'B', memberIds: [one] }] })).body.error.message).toMatch(/out already/);
    const overview = (await ok(call<BreakoutsView>(server, 'GET', `/api/sessions/${c.plenary}/breakouts`, c.facilitator)));
    const direct = await call(server, 'POST', `/api/me/meetings/${overview.groups[0]!.sessionId}/enter`, c.members[0]!.token);
    expect(direct.status).toBe(403);
  });

  it('a removed member’s words leave the groups’ boards, and deleting the cohort deletes every group with it', async () => {
    const server = await startTestServer();
    const c = await aCohortMeeting(server);
    await ok(call(server, 'POST', `/api/sessions/${c.plenary}/breakouts`, c.facilitator, { groups: [{ name: 'All', memberIds: c.members.map((m) => m.memberId) }] }), 201);
    const plenaryFacilitator = await connectControl(server, c.facilitator);
    expect((await plenaryFacilitator.command({ type: 'goto', step: 'need' })).ok).toBe(true);
    plenaryFacilitator.close();
    const leaving = c.members[0]!;
    const group = (await ok(call<{ group: JoinSessionResponse }>(server, 'POST', `/api/sessions/${c.plenary}/breakouts/enter`, c.inPlenary.get(leaving.name)!.participantToken))).group;
    const client = await connectYjs(server, group.sessionId, group.participantToken);
    const words = marker('LEAVING');
    client.board.addNeed({ actor: group.participantId }, words);
    await waitFor(async () => (await ok(call<BreakoutsView>(server, 'GET', `/api/sessions/${c.plenary}/breakouts`, c.facilitator))).groups[0]!.notes === 1, 5_000, 'the need on the server');
    client.destroy();
    await c.staff('DELETE' as 'POST', `/members/${leaving.memberId}`, { mode: 'remove' }, 204);
    const other = (await ok(call<{ group: JoinSessionResponse }>(server, 'POST', `/api/sessions/${c.plenary}/breakouts/enter`, c.inPlenary.get(c.members[1]!.name)!.participantToken))).group;
    const reader = await connectYjs(server, other.sessionId, other.participantToken);
    expect(reader.board.list('needs').map((n) => n.text)).not.toContain(words);
    reader.destroy();

    const sessionsBefore = await server.store.sessions.getSession(group.sessionId);
    expect(sessionsBefore).not.toBeNull();
    await c.staff('DELETE' as 'POST', '', undefined, 204);
    expect(await server.store.sessions.getSession(group.sessionId)).toBeNull();
    expect(await server.store.sessions.getSession(c.plenary)).toBeNull();
  });

  it('finishing the cohort meeting brings the groups’ work home: a community group’s final question and everyone’s commitments', async () => {
    const server = await startTestServer();
    const c = await aCohortMeeting(server);
    const funds = c.communities[0]!;
    const fundsMembers = c.members.filter((m) => m.communityId === funds.id);
    await ok(call(server, 'POST', `/api/sessions/${c.plenary}/breakouts`, c.facilitator, { groups: [{ name: funds.name, communityId: funds.id, memberIds: fundsMembers.map((m) => m.memberId) }] }), 201);
    const first = fundsMembers[0]!;
    const group = (await ok(call<{ group: JoinSessionResponse }>(server, 'POST', `/api/sessions/${c.plenary}/breakouts/enter`, c.inPlenary.get(first.name)!.participantToken))).group;
    const groupFacilitator = await connectControl(server, (await ok(call<{ token: string }>(server, 'POST', `/api/sessions/${c.plenary}/breakouts/${group.sessionId}/facilitate`, c.facilitator), 201)).token);
    const client = await connectYjs(server, group.sessionId, group.participantToken);
    expect((await groupFacilitator.command({ type: 'goto', step: 'hmw' })).ok).toBe(true);
    const questionId = client.board.addQuestion({ actor: group.participantId }, 'How might we aim PTA funds at need?', 'structures');
    await waitFor(async () => (await server.rooms.withDoc({ kind: 'board', sessionId: group.sessionId }, (room) => room.doc.getMap('questions').size)) === 1, 5_000, 'the question');
    expect((await groupFacilitator.command({ type: 'final', questionId, final: true })).ok).toBe(true);
    expect((await groupFacilitator.command({ type: 'goto', step: 'commit' })).ok).toBe(true);
    client.board.saveCommitment({ actor: group.participantId }, { action: 'Show the chair the spending map', notice: 'A question about it', partner: '', date: '' });
    await waitFor(async () => (await server.rooms.withDoc({ kind: 'board', sessionId: group.sessionId }, (room) => room.doc.getMap('commitments').size)) === 1, 5_000, 'the commitment');
    client.destroy();
    groupFacilitator.close();
    await ok(call(server, 'POST', `/api/sessions/${c.plenary}/breakouts/close`, c.facilitator));
    await c.staff('POST', `/meetings/${c.plenary}/finish`);
    const home = await ok(call<{ question: { text: string } | null; commitment: { action: string; communityId: string | null } | null }>(server, 'GET', '/api/me', first.token));
    expect(home.question?.text).toBe('How might we aim PTA funds at need?');
    expect(home.commitment).toMatchObject({ action: 'Show the chair the spending map', communityId: funds.id });
  });
});
