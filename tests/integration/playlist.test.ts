import { describe, expect, it } from 'vitest';
import type { CommunityView, MeetingView } from '../../shared/year/api.ts';
import type { MemberPlaylists, PlaylistView, ResourceView } from '../../shared/year/playlist.ts';
import { connectControl, rowCount, startTestServer, useCleanup, waitFor, type TestServer } from './helpers.ts';
import { call, createCohort, enter, joinCohort, ok, type TestMember } from './yearSetup.ts';

useCleanup();

/** Issue 14, the playlist: a cohort with two communities, Ana and Ben in the first, Cleo in the second. */
async function cohortWithPlaylists(server: TestServer) {
  const created = await createCohort(server);
  const cohortId = created.cohort.id;
  const staffToken = created.facilitatorToken;
  const staff = <T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', rest: string, body?: unknown) =>
    call<T>(server, method, `/api/cohorts/${cohortId}${rest}`, staffToken, body);
  const funds = await ok(staff<CommunityView>('POST', '/communities', { name: 'Funds for need' }), 201);
  const reading = await ok(staff<CommunityView>('POST', '/communities', { name: 'Reading first' }), 201);
  const ana = await joinCohort(server, created.joinCode, 'Ana');
  const ben = await joinCohort(server, created.joinCode, 'Ben');
  const cleo = await joinCohort(server, created.joinCode, 'Cleo');
  for (const [m, c] of [[ana, funds], [ben, funds], [cleo, reading]] as const) {
    await ok(staff('PUT', `/members/${m.memberId}/community`, { communityId: c.id }), 204);
  }
  const me = <T = unknown>(m: TestMember, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', rest: string, body?: unknown) =>
    call<T>(server, method, `/api/me/playlist${rest}`, m.token, body);
  return { created, cohortId, staffToken, staff, funds, reading, ana, ben, cleo, me };
}

const RESOURCE = { title: 'Coaching for equity', url: 'https://example.org/coaching', type: 'reading', why: 'Names the moves a coach makes', tags: ['skills'] };

describe('the playlist', () => {
  it('staff add, order and pin; one pinned per playlist', async () => {
    const server = await startTestServer();
    const { staff, funds } = await cohortWithPlaylists(server);
    const add = (title: string) => ok(staff<ResourceView>('POST', `/playlists/${funds.id}/resources`, { ...RESOURCE, title }), 201);
    const a = await add('A');
    const b = await add('B');
    const c = await add('C');
    expect(a).toMatchObject({ communityId: funds.id, addedBy: 'Fran (facilitator)', usedCount: 0, usedByYou: null, position: 0 });
    const titles = (list: PlaylistView) => list.resources.map((r) => r.title);
    expect(titles(await ok(staff<PlaylistView>('GET', `/playlists/${funds.id}`)))).toEqual(['A', 'B', 'C']);

    expect(titles(await ok(staff<PlaylistView>('POST', `/resources/${c.id}/move`, { position: 0 })))).toEqual(['C', 'A', 'B']);
    expect(titles(await ok(staff<PlaylistView>('POST', `/resources/${c.id}/move`, { position: 1 })))).toEqual(['A', 'C', 'B']);
    expect(titles(await ok(staff<PlaylistView>('POST', `/resources/${a.id}/move`, { position: 50 })))).toEqual(['C', 'B', 'A']);

    const pinned = (list: PlaylistView) => list.resources.filter((r) => r.pinned).map((r) => r.title);
    expect(pinned(await ok(staff<PlaylistView>('POST', `/resources/${b.id}/pin`, { pinned: true })))).toEqual(['B']);
    expect(pinned(await ok(staff<PlaylistView>('POST', `/resources/${a.id}/pin`, { pinned: true })))).toEqual(['A']);
    expect(pinned(await ok(staff<PlaylistView>('POST', `/resources/${a.id}/pin`, { pinned: false })))).toEqual([]);

    // The cohort's own playlist is another playlist: its pin does not touch the community's.
    const own = await ok(staff<ResourceView>('POST', '/playlists/cohort/resources', { ...RESOURCE, title: 'For all' }), 201);
    await ok(staff('POST', `/resources/${b.id}/pin`, { pinned: true }));
    await ok(staff('POST', `/resources/${own.id}/pin`, { pinned: true }));
    expect(pinned(await ok(staff<PlaylistView>('GET', `/playlists/${funds.id}`)))).toEqual(['B']);
    expect(pinned(await ok(staff<PlaylistView>('GET', '/playlists/cohort')))).toEqual(['For all']);

    await ok(staff('PATCH', `/resources/${b.id}`, { title: 'B, renamed', tags: ['dispositions', 'knowledge'] }));
    await ok(staff('DELETE', `/resources/${c.id}`), 204);
    const after = await ok(staff<PlaylistView>('GET', `/playlists/${funds.id}`));
    expect(after.resources.map((r) => [r.title, r.tags])).toEqual([['B, renamed', ['knowledge', 'dispositions']], ['A', ['skills']]]);

    // Downloads: the same list as a file, in each text format.
    const csv = await staff<string>('GET', `/playlists/${funds.id}.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="funds-for-need-playlist-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = csv.body.split('\r\n');
    expect(rows[1]).toMatch(/^Funds for need,1,"B, renamed",https:\/\/example\.org\/coaching,reading,knowledge dispositions,/);
    expect(rows[2]).toMatch(/^Funds for need,2,A,/);
    const json = await ok(staff<{ format: string; playlists: PlaylistView[] }>('GET', '/playlists/cohort.json'));
    expect(json.format).toBe('howmight-playlist');
    expect(json.playlists[0]!.resources.map((r) => r.title)).toEqual(['For all']);
    expect((await staff('GET', `/playlists/${funds.id}.pdf`)).status).toBe(404);
  });

  it('a member adds to their community and shares to the cohort; another community sees only what was shared', async () => {
    const server = await startTestServer();
    const { staff, funds, ana, ben, cleo, me } = await cohortWithPlaylists(server);
    const mine = await ok(me<ResourceView>(ana, 'POST', '/resources', { ...RESOURCE, title: 'Ana’s pick' }), 201);
    const kept = await ok(me<ResourceView>(ana, 'POST', '/resources', { ...RESOURCE, title: 'Kept in Funds' }), 201);
    expect(mine).toMatchObject({ communityId: funds.id, addedBy: 'Ana', yours: true, sharedToCohort: false, usedByYou: false, usedCount: null });

    // Ben, same community, reads both but may not change Ana's.
    const bens = await ok(me<MemberPlaylists>(ben, 'GET', ''));
    expect(bens.community?.resources.map((r) => [r.title, r.yours])).toEqual([['Ana’s pick', false], ['Kept in Funds', false]]);
    expect((await me(ben, 'PATCH', `/resources/${mine.id}`, { title: 'Ben was here' })).status).toBe(403);
    expect((await me(ben, 'DELETE', `/resources/${mine.id}`)).status).toBe(403);

    // Cleo, another community: not in her lists, and "not found" when asked by id.
    const cleos = await ok(me<MemberPlaylists>(cleo, 'GET', ''));
    expect(JSON.stringify(cleos)).not.toContain('Ana’s pick');
    expect((await me(cleo, 'PUT', `/resources/${mine.id}/used`, { used: true })).status).toBe(404);
    expect((await me(cleo, 'PUT', `/resources/${mine.id}/takeaway`, { text: 'peek' })).status).toBe(404);
    expect((await me(cleo, 'DELETE', `/resources/${mine.id}`)).status).toBe(404);
    const cleoDownload = await call<string>(server, 'GET', '/api/me/playlist.md', cleo.token);
    expect(cleoDownload.status).toBe(200);
    expect(cleoDownload.body).not.toContain('Ana’s pick');

    // Shared to the cohort: in the cohort list for everyone, still only Ana's to edit.
    await ok(me(ana, 'PATCH', `/resources/${mine.id}`, { sharedToCohort: true }));
    const shared = await ok(me<MemberPlaylists>(cleo, 'GET', ''));
    expect(shared.cohort.resources.map((r) => [r.title, r.communityName])).toEqual([['Ana’s pick', 'Funds for need']]);
    expect(JSON.stringify(shared)).not.toContain('Kept in Funds');
    expect((await me(cleo, 'PATCH', `/resources/${mine.id}`, { title: 'mine now' })).status).toBe(403);
    expect((await ok(staff<PlaylistView>('GET', '/playlists/cohort'))).resources.map((r) => r.title)).toEqual(['Ana’s pick']);
    // Staff edit anyone's; Ana deletes her own.
    await ok(staff('PATCH', `/resources/${kept.id}`, { why: 'Edited by Fran' }));
    await ok(me(ana, 'DELETE', `/resources/${kept.id}`), 204);
    expect((await ok(staff<PlaylistView>('GET', `/playlists/${funds.id}`))).resources.map((r) => r.title)).toEqual(['Ana’s pick']);
  });

  it('used marks are private: each member sees only their own, staff a count; takeaways and pairs show on the resource', async () => {
    const server = await startTestServer();
    const { staff, funds, ana, ben, cleo, me } = await cohortWithPlaylists(server);
    const r = await ok(staff<ResourceView>('POST', `/playlists/${funds.id}/resources`, RESOURCE), 201);
    await ok(me(ana, 'PUT', `/resources/${r.id}/used`, { used: true }));
    await ok(me(ana, 'PUT', `/resources/${r.id}/takeaway`, { text: 'Ask before telling' }));
    await ok(me(ana, 'PUT', `/resources/${r.id}/pair`, { partnerId: ben.memberId }));

    const anas = (await ok(me<MemberPlaylists>(ana, 'GET', ''))).community!.resources[0]!;
    const bens = (await ok(me<MemberPlaylists>(ben, 'GET', ''))).community!.resources[0]!;
    expect(anas).toMatchObject({ usedByYou: true, usedCount: null });
    expect(bens).toMatchObject({ usedByYou: false, usedCount: null });
    expect(bens.takeaways).toEqual([{ author: 'Ana', text: 'Ask before telling', yours: false }]);
    // The mark is Ana's: Ben sees it, but it is not his to change.
    expect(bens.pairs).toEqual([{ member: 'Ana', partner: 'Ben', yours: false }]);
    expect(anas.pairs).toEqual([{ member: 'Ana', partner: 'Ben', yours: true }]);
    const staffs = (await ok(staff<PlaylistView>('GET', `/playlists/${funds.id}`))).resources[0]!;
    expect(staffs).toMatchObject({ usedCount: 1, usedByYou: null });

    // Shared to the cohort, Cleo sees the resource and the pair, but not the community's takeaways.
    await ok(staff('PATCH', `/resources/${r.id}`, { sharedToCohort: true }));
    const cleos = (await ok(me<MemberPlaylists>(cleo, 'GET', ''))).cohort.resources[0]!;
    expect(cleos).toMatchObject({ usedByYou: false, takeaways: [] });
    expect(JSON.stringify(cleos)).not.toContain('Ask before telling');

    await ok(me(ana, 'PUT', `/resources/${r.id}/used`, { used: false }));
    expect((await ok(staff<PlaylistView>('GET', `/playlists/${funds.id}`))).resources[0]!.usedCount).toBe(0);
    expect(rowCount(server, 'playlist_used')).toBe(0);
  });

  it('bad input is refused with a 400 naming the field', async () => {
    const server = await startTestServer();
    const { staff, funds, ana, me } = await cohortWithPlaylists(server);
    const refusal = async (result: Promise<{ status: number; body: unknown }>) => {
      const r = await result;
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      return (r.body as { error: { message: string } }).error.message;
    };
    const add = (body: unknown) => staff('POST', `/playlists/${funds.id}/resources`, body);
    expect(await refusal(add({ ...RESOURCE, url: 'javascript:alert(document.cookie)' }))).toBe('url must start with http:// or https://');
    expect(await refusal(add({ ...RESOURCE, url: 'data:text/html,hi' }))).toBe('url must start with http:// or https://');
    expect(await refusal(add({ ...RESOURCE, url: 'https://user:pw@example.org/' }))).toBe('url must not contain a user name or password');
    expect(await refusal(add({ ...RESOURCE, url: `https://example.org/${'x'.repeat(2000)}` }))).toBe('url must be at most 2000 characters');
    expect(await refusal(add({ ...RESOURCE, title: ' ' }))).toBe('title must not be blank');
    expect(await refusal(add({ ...RESOURCE, type: 'podcast' }))).toBe('type must be one of reading, video, protocol, tool, other');
    expect(await refusal(add({ ...RESOURCE, tags: ['vibes'] }))).toMatch(/^tags\.0: tags must be among structures/);
    expect(await refusal(add({ ...RESOURCE, questionVersionId: 'abcdefgh' }))).toBe('questionVersionId is not a version of this community’s question.');
    expect(await refusal(me(ana, 'POST', '/resources', { ...RESOURCE, url: 'ftp://example.org/a' }))).toBe('url must start with http:// or https://');
    const r = await ok(me<ResourceView>(ana, 'POST', '/resources', RESOURCE), 201);
    expect(await refusal(me(ana, 'PATCH', `/resources/${r.id}`, { url: 'vbscript:msgbox' }))).toBe('url must start with http:// or https://');
    expect(await refusal(me(ana, 'PUT', `/resources/${r.id}/takeaway`, { text: 'x'.repeat(201) }))).toBe('text must be at most 200 characters');
    expect(await refusal(me(ana, 'PUT', `/resources/${r.id}/pair`, { partnerId: ana.memberId }))).toBe('partnerId must be another member, not you.');
    expect(await refusal(staff('POST', `/resources/${r.id}/move`, { position: -1 }))).toBe('position must be 0 or more');
    // Without a key of this cohort: nothing, before any body is read.
    expect((await call(server, 'GET', `/api/cohorts/${(await createCohort(server)).cohort.id}/playlists/cohort`, ana.token)).status).toBe(401);
  });

  it("removing a member (remove) leaves none of their resources or marks; the cohort's deletion leaves no playlist row", async () => {
    const server = await startTestServer();
    const { cohortId, staffToken, staff, funds, ana, ben, me } = await cohortWithPlaylists(server);
    const fran = await ok(staff<ResourceView>('POST', `/playlists/${funds.id}/resources`, RESOURCE), 201);
    await ok(me(ana, 'POST', '/resources', { ...RESOURCE, title: 'Ana’s', sharedToCohort: true }), 201);
    await ok(me(ana, 'PUT', `/resources/${fran.id}/used`, { used: true }));
    await ok(me(ana, 'PUT', `/resources/${fran.id}/takeaway`, { text: 'Ana’s takeaway' }));
    await ok(me(ben, 'PUT', `/resources/${fran.id}/pair`, { partnerId: ana.memberId }));
    await ok(staff('DELETE', `/members/${ana.memberId}`, { mode: 'remove' }), 204);

    const left = await ok(staff<PlaylistView>('GET', `/playlists/${funds.id}`));
    expect(left.resources.map((r) => r.title)).toEqual([RESOURCE.title]);
    expect(left.resources[0]).toMatchObject({ usedCount: 0, takeaways: [], pairs: [] });
    expect((await ok(staff<PlaylistView>('GET', '/playlists/cohort'))).resources).toEqual([]);
    expect([rowCount(server, 'playlist_used'), rowCount(server, 'playlist_takeaways'), rowCount(server, 'playlist_pairs')]).toEqual([0, 0, 0]);

    await ok(call(server, 'DELETE', `/api/cohorts/${cohortId}`, staffToken), 204);
    expect(rowCount(server, 'playlist_resources')).toBe(0);
  });

  it("anonymise keeps what they added and their takeaway, signed A former member", async () => {
    const server = await startTestServer();
    const { staff, funds, ana, me } = await cohortWithPlaylists(server);
    const r = await ok(me<ResourceView>(ana, 'POST', '/resources', RESOURCE), 201);
    await ok(me(ana, 'PUT', `/resources/${r.id}/takeaway`, { text: 'Ask before telling' }));
    await ok(staff('DELETE', `/members/${ana.memberId}`, { mode: 'anonymise' }), 204);
    const list = await ok(staff<PlaylistView>('GET', `/playlists/${funds.id}`));
    expect(list.resources[0]).toMatchObject({ addedBy: 'A former member', takeaways: [{ author: 'A former member', text: 'Ask before telling', yours: false }] });
    expect(JSON.stringify(list)).not.toContain('Ana');
  });

  it("the playlist step: the facilitator reads the meeting's playlists with its key and features one; a participant's socket receives it", async () => {
    const server = await startTestServer();
    const { cohortId, staffToken, staff, funds, reading, ana } = await cohortWithPlaylists(server);
    const pick = await ok(call<ResourceView>(server, 'POST', '/api/me/playlist/resources', ana.token, RESOURCE), 201);
    const elsewhere = await ok(staff<ResourceView>('POST', `/playlists/${reading.id}/resources`, { ...RESOURCE, title: 'Reading first only' }), 201);
    const meeting = await ok(staff<MeetingView>('POST', '/meetings', { communityId: funds.id, startsAt: '2026-10-13T16:00', template: 'monthly-success' }), 201);
    const { token } = await ok(call<{ token: string }>(server, 'POST', `/api/cohorts/${cohortId}/meetings/${meeting.sessionId}/facilitate`, staffToken), 201);
    const joined = await enter(server, ana, meeting.sessionId);

    // What the step's controls list: the community's playlist and the cohort's; a participant's key may not read it.
    const lists = await ok(call<{ playlists: PlaylistView[] }>(server, 'GET', `/api/sessions/${meeting.sessionId}/year/playlist`, token));
    expect(lists.playlists.map((l) => [l.name, l.resources.map((r) => r.title)])).toEqual([['Funds for need', [RESOURCE.title]], ['Whole cohort', []]]);
    expect((await call(server, 'GET', `/api/sessions/${meeting.sessionId}/year/playlist`, joined.participantToken)).status).toBe(403);
    expect((await call(server, 'GET', `/api/sessions/${meeting.sessionId}/year/playlist`, staffToken)).status).toBe(401);

    const facilitator = await connectControl(server, token);
    const participant = await connectControl(server, joined.participantToken);
    const featured = { id: pick.id, title: pick.title, why: pick.why, url: pick.url, type: pick.type };
    // Only at the playlist step.
    expect(await facilitator.command({ type: 'feature', resource: featured })).toMatchObject({ ok: false });
    expect(await facilitator.command({ type: 'goto', step: 'playlist' })).toMatchObject({ ok: true });
    // The link rule holds here too, and only a resource of this meeting's playlists, as stored, goes up.
    const bad = await facilitator.command({ type: 'feature', resource: { ...featured, url: 'javascript:alert(1)' } });
    expect(JSON.stringify(bad)).toContain('url must start with http:// or https://');
    const other = await facilitator.command({ type: 'feature', resource: { ...featured, id: elsewhere.id, title: elsewhere.title } });
    expect(JSON.stringify(other)).toContain('The resource could not be featured: it is not in this meeting’s playlists');
    for (const edited of [{ url: 'https://example.org/elsewhere' }, { why: 'Words nobody stored' }, { type: 'video' }]) {
      const changed = await facilitator.command({ type: 'feature', resource: { ...featured, ...edited } });
      expect(JSON.stringify(changed), JSON.stringify(edited)).toContain('it changed since the list was loaded');
    }
    // A participant cannot feature.
    expect(await participant.command({ type: 'feature', resource: featured })).toMatchObject({ ok: false });

    expect(await facilitator.command({ type: 'feature', resource: featured })).toMatchObject({ ok: true });
    await waitFor(() => participant.controls.some((c) => c.control.featured?.id === pick.id), 5_000, 'the featured resource on the participant socket');
    expect(participant.controls.at(-1)!.control.featured).toEqual(featured);
    // The resource remembers the meeting that showed it.
    expect((await ok(staff<PlaylistView>('GET', `/playlists/${funds.id}`))).resources[0]!.featuredAt).toBe(meeting.sessionId);

    expect(await facilitator.command({ type: 'feature', resource: null })).toMatchObject({ ok: true });
    await waitFor(() => participant.controls.at(-1)?.control.featured === null, 5_000, 'the projector cleared');
    facilitator.close();
    participant.close();
  });
});
