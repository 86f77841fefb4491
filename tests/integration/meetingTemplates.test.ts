import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_IDS, templatePlan, type TemplateId } from '../../shared/protocol/agendas.ts';
import type { ControlState } from '../../shared/protocol/control.ts';
import type { AgendaShape, CohortOverview, CommunityView, MeetingView, SessionYear } from '../../shared/year/api.ts';
import { connectControl, startTestServer, useCleanup, waitFor, type TestServer } from './helpers.ts';
import { call, createCohort, enter, joinCohort, ok } from './yearSetup.ts';

useCleanup();

/** Issue 13 items 1-2: a meeting starts on its template, the year's plan or its community's kept shape. */

async function setUp() {
  const server = await startTestServer();
  const created = await createCohort(server);
  const cohortId = created.cohort.id;
  const staffToken = created.facilitatorToken;
  const staff = <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, status = 200) =>
    ok(call<T>(server, method, `/api/cohorts/${cohortId}${path}`, staffToken, body), status);
  const community = await staff<CommunityView>('POST', '/communities', { name: 'Every day counts' }, 201);
  let day = 1;
  const schedule = (body: Record<string, unknown> = {}) =>
    staff<MeetingView>('POST', '/meetings', { communityId: community.id, startsAt: `2026-10-${String(day++).padStart(2, '0')}T16:00`, ...body }, 201);
  const facilitatorKey = async (sessionId: string) =>
    (await staff<{ token: string }>('POST', `/meetings/${sessionId}/facilitate`, undefined, 201)).token;
  return { server, created, cohortId, staffToken, staff, community, schedule, facilitatorKey };
}

async function controlOf(server: TestServer, sessionId: string): Promise<ControlState> {
  return (await server.store.sessions.getSession(sessionId))!.control;
}

describe('meeting templates', () => {
  it('a meeting made with each template starts on its plan: agenda, minutes, first step, its time box paused', async () => {
    const { server, schedule, facilitatorKey } = await setUp();
    for (const template of TEMPLATE_IDS) {
      for (const lengthMinutes of [60, 120] as const) {
        const made = await schedule({ template, lengthMinutes });
        expect(made.template).toBe(template);
        const plan = templatePlan(template, lengthMinutes);
        const control = await controlOf(server, made.sessionId);
        expect(control.agenda, template).toEqual(plan.steps);
        expect(control.minutes).toEqual(plan.minutes);
        expect(control.step).toBe(plan.steps[0]);
        expect(control.timer).toEqual({ durationMs: plan.minutes[plan.steps[0]!]! * 60_000, elapsedMs: 0, runningSince: null });
        // Members come in with their links: the code stays closed, as before templates.
        expect(control.joining).toBe(false);
      }
    }
    // The facilitator's socket is welcomed onto the same plan.
    const made = await schedule({ template: 'monthly-consultancy' });
    const facilitator = await connectControl(server, await facilitatorKey(made.sessionId));
    expect(facilitator.welcome.control.agenda).toEqual(templatePlan('monthly-consultancy', 90).steps);
    expect(facilitator.welcome.control.step).toBe('checkin');
    facilitator.close();
  });

  it('with no template, a community follows the year plan: the inquiry, Success Analysis, then Consultancy and Tuning in turn', async () => {
    const { server, schedule, staff } = await setUp();
    const made: MeetingView[] = [];
    for (let i = 0; i < 4; i++) made.push(await schedule());
    const want: TemplateId[] = ['inquiry', 'monthly-success', 'monthly-consultancy', 'monthly-tuning'];
    expect(made.map((m) => m.template)).toEqual(want);
    for (const [i, m] of made.entries()) expect((await controlOf(server, m.sessionId)).agenda).toEqual(templatePlan(want[i]!, 90).steps);
    // The cohort page lists each with its template.
    expect((await staff<CohortOverview>('GET', '')).meetings.map((m) => m.template)).toEqual(want);
  });

  it("a community's kept shape is what its next meeting starts on; a template asked for still wins", async () => {
    const { server, schedule, staff, community, facilitatorKey } = await setUp();
    const shape: AgendaShape = {
      template: 'monthly-consultancy',
      steps: ['checkin', 'consultFrame', 'consultClarify', 'consultProbe', 'consultDiscuss', 'consultRespond', 'commit', 'close'],
      minutes: { checkin: 10, consultFrame: 10, consultClarify: 5, consultProbe: 10, consultDiscuss: 20, consultRespond: 10, commit: 15, close: 10 },
    };
    const patched = await staff<CommunityView>('PATCH', `/communities/${community.id}`, { agenda: shape });
    expect(patched.agenda).toEqual(shape);
    await schedule(); // meeting 1
    const second = await schedule();
    expect(second.template).toBe('monthly-consultancy');
    const control = await controlOf(server, second.sessionId);
    expect([control.agenda, control.minutes, control.step, control.timer.durationMs]).toEqual([shape.steps, shape.minutes, 'checkin', 10 * 60_000]);
    expect((await schedule({ template: 'monthly-tuning' })).template).toBe('monthly-tuning');

    // In the meeting: the facilitator reshapes it and keeps that shape with the meeting's own key.
    const key = await facilitatorKey(second.sessionId);
    const facilitator = await connectControl(server, key);
    const reshaped = ['checkin', 'consultFrame', 'consultDiscuss', 'consultRespond', 'revise', 'commit', 'close'] as const;
    expect((await facilitator.command({ type: 'agenda', steps: reshaped, minutes: { consultDiscuss: 25, revise: 5 } })).ok).toBe(true);
    facilitator.close();
    const kept = await ok(call<{ agenda: AgendaShape }>(server, 'POST', `/api/sessions/${second.sessionId}/year/agenda-default`, key, {}));
    // Every step's time box is written out: the kept ones, the registry's for the rest.
    expect(kept.agenda).toMatchObject({ template: 'monthly-consultancy', steps: reshaped, minutes: { checkin: 10, consultDiscuss: 25, revise: 5, close: 10 } });
    expect(Object.keys(kept.agenda.minutes).sort()).toEqual([...reshaped].sort());
    const overview = await staff<CohortOverview>('GET', '');
    expect(overview.communities[0]!.agenda).toEqual(kept.agenda);
    const year = await ok(call<{ year: SessionYear }>(server, 'GET', `/api/sessions/${second.sessionId}/year`, key));
    expect([year.year.template, year.year.defaultAgenda]).toEqual(['monthly-consultancy', kept.agenda]);
    const fourth = await schedule();
    expect((await controlOf(server, fourth.sessionId)).agenda).toEqual(reshaped);

    // null forgets it: the year plan again (meeting 5: Consultancy).
    expect((await staff<CommunityView>('PATCH', `/communities/${community.id}`, { agenda: null })).agenda).toBeNull();
    const fifth = await schedule();
    expect([fifth.index, fifth.template]).toEqual([5, 'monthly-consultancy']);
    expect((await controlOf(server, fifth.sessionId)).agenda).toEqual(templatePlan('monthly-consultancy', 90).steps);
  });

  it('refuses bad shapes and templates with a 400 that says what is wrong', async () => {
    const { server, cohortId, staffToken, community, schedule, facilitatorKey, created } = await setUp();
    const patch = (agenda: unknown) => call<{ error: { message: string } }>(server, 'PATCH', `/api/cohorts/${cohortId}/communities/${community.id}`, staffToken, { agenda });
    const good = { template: 'monthly-success', steps: ['checkin', 'commit'], minutes: { checkin: 5 } };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, steps: ['checkin', 'dance'] }, /"dance" is not a step of Howmight/],
      [{ ...good, steps: ['checkin', 'checkin'] }, /steps must name each step once/],
      [{ ...good, steps: [] }, /steps must name at least one step/],
      [{ ...good, minutes: { checkin: 181 } }, /minutes must be 0 to 180/],
      [{ ...good, minutes: { checkin: -1 } }, /minutes must be 0 to 180/],
      [{ ...good, minutes: { checkin: 2.5 } }, /minutes must be whole numbers/],
      [{ ...good, minutes: { close: 5 } }, /minutes names a step that is not in steps/],
      [{ ...good, template: 'monthly-yoga' }, /template must be one of inquiry, monthly-success/],
      ['checkin, commit', /agenda/],
    ];
    for (const [agenda, message] of cases) {
      const r = await patch(agenda);
      expect([r.status, r.body.error.message], JSON.stringify(agenda)).toEqual([400, expect.stringMatching(message)]);
    }
    // Nothing was kept by the refused ones.
    expect((await ok(call<CohortOverview>(server, 'GET', `/api/cohorts/${cohortId}`, staffToken))).communities[0]!.agenda).toBeNull();
    expect((await patch(good)).status).toBe(200);

    const badMeeting = await call<{ error: { message: string } }>(server, 'POST', `/api/cohorts/${cohortId}/meetings`, staffToken, {
      communityId: community.id, startsAt: '2026-10-01T16:00', template: 'monthly-yoga',
    });
    expect([badMeeting.status, badMeeting.body.error.message]).toEqual([400, expect.stringMatching(/^template must be one of/)]);

    // Keeping the shape: the facilitator's key only, and a community meeting only.
    const m = await schedule();
    const ana = await joinCohort(server, created.joinCode, 'Ana');
    await ok(call(server, 'PUT', `/api/cohorts/${cohortId}/members/${ana.memberId}/community`, staffToken, { communityId: community.id }), 204);
    const anaIn = await enter(server, ana, m.sessionId);
    const byParticipant = await call<{ error: { message: string } }>(server, 'POST', `/api/sessions/${m.sessionId}/year/agenda-default`, anaIn.participantToken, {});
    expect([byParticipant.status, byParticipant.body.error.message]).toEqual([403, 'Only the facilitator can keep the meeting’s shape.']);
    const key = await facilitatorKey(m.sessionId);
    const badTemplate = await call<{ error: { message: string } }>(server, 'POST', `/api/sessions/${m.sessionId}/year/agenda-default`, key, { template: 'x' });
    expect(badTemplate.status).toBe(400);
    const wide = await ok(call<MeetingView>(server, 'POST', `/api/cohorts/${cohortId}/meetings`, staffToken, { communityId: null, startsAt: '2026-10-20T16:00' }), 201);
    const wideKey = (await ok(call<{ token: string }>(server, 'POST', `/api/cohorts/${cohortId}/meetings/${wide.sessionId}/facilitate`, staffToken), 201)).token;
    const cohortWide = await call<{ error: { message: string } }>(server, 'POST', `/api/sessions/${wide.sessionId}/year/agenda-default`, wideKey, {});
    expect([cohortWide.status, cohortWide.body.error.message]).toEqual([409, expect.stringMatching(/cohort-wide meeting belongs to no community/)]);
  });

  it('a kept shape that no longer checks when read back is treated as none: the year plan', async () => {
    const { server, community, schedule } = await setUp();
    const db = (server.store as unknown as { db: Database.Database }).db;
    db.prepare('UPDATE communities SET agenda = ? WHERE id = ?').run(JSON.stringify({ template: 'inquiry', steps: ['renamedStep'], minutes: {} }), community.id);
    expect((await schedule()).template).toBe('inquiry');
    db.prepare('UPDATE communities SET agenda = ? WHERE id = ?').run('{not json', community.id);
    expect((await schedule()).template).toBe('monthly-success');
  });

  it("`presented` names who presented in the community's earlier meetings, for the facilitator only", async () => {
    const { server, created, cohortId, staffToken, community, schedule, facilitatorKey } = await setUp();
    const members = [];
    for (const name of ['Ana', 'Ben', 'Cleo']) {
      const m = await joinCohort(server, created.joinCode, name);
      await ok(call(server, 'PUT', `/api/cohorts/${cohortId}/members/${m.memberId}/community`, staffToken, { communityId: community.id }), 204);
      members.push(m);
    }
    await schedule(); // 1: the inquiry, nobody presents
    const second = await schedule();
    const benIn = await enter(server, members[1]!, second.sessionId);
    const ben = await connectControl(server, benIn.participantToken);
    const facilitator = await connectControl(server, await facilitatorKey(second.sessionId));
    await waitFor(async () => (await facilitator.command({ type: 'presenter', participantId: benIn.participantId })).ok, 5_000, 'Ben chosen to present');
    ben.close();
    facilitator.close();

    const third = await schedule();
    const key = await facilitatorKey(third.sessionId);
    const year = (await ok(call<{ year: SessionYear }>(server, 'GET', `/api/sessions/${third.sessionId}/year`, key))).year;
    expect(year.presented).toEqual(['Ben']);
    // The second meeting's own view lists only the meetings before it.
    const inSecond = (await ok(call<{ year: SessionYear }>(server, 'GET', `/api/sessions/${second.sessionId}/year`, await facilitatorKey(second.sessionId)))).year;
    expect(inSecond.presented).toEqual([]);
    const anaIn = await enter(server, members[0]!, third.sessionId);
    const asAna = (await ok(call<{ year: SessionYear }>(server, 'GET', `/api/sessions/${third.sessionId}/year`, anaIn.participantToken))).year;
    expect([asAna.presented, asAna.defaultAgenda]).toEqual([[], null]);
  });
});
