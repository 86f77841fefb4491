import { Router, type Request } from 'express';
import { EXPORT_CONTENT_TYPES, slugify } from '../../shared/export/fileName.ts';
import { announceBody, breakoutStepBody, openBreakoutsBody, showResultsBody } from '../../shared/year/breakouts.ts';
import { renderBreakoutsCsv, renderBreakoutsJson, renderBreakoutsMarkdown } from '../../shared/year/renderBreakouts.ts';
import type { Grant } from '../auth/tokens.ts';
import type { CohortStore } from '../storage/CohortStore.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { BreakoutService } from '../year/BreakoutService.ts';
import { YearError, type CohortService } from '../year/CohortService.ts';
import { granted, readJson, sessionGate, withBody, yearGates } from './yearGates.ts';

/**
 * A cohort meeting's breakouts, with the plenary's own keys
 * (`/sessions/:id/breakouts…`): its facilitator sends the groups out, moves
 * them, messages them, looks in and takes a group's controls, and calls
 * everyone back; a participant's device asks where its group is; the
 * projector reads the overview. The staff read it on the cohort page
 * (`/cohorts/:cohortId/meetings/:sessionId/breakouts`), where a coach finds
 * the group whose controls they were given.
 */
export function breakoutRouter(deps: { cohorts: CohortService; cohortStore: CohortStore; sessionStore: SessionStore; breakouts: BreakoutService }): Router {
  const { breakouts } = deps;
  const router = Router();
  const key = sessionGate(deps.sessionStore);
  const { staff } = yearGates(deps.cohorts);
  const child = (req: Request) => String(req.params.childId);

  router.get('/sessions/:id/breakouts', key, granted(async (grant: Grant, _req, res) => {
    res.json(await breakouts.overview(grant));
  }));
  // Every group's result as a file, for the cohort's records: the plenary's facilitator's.
  router.get('/sessions/:id/breakouts/groups.:format', key, granted(async (grant: Grant, req, res) => {
    const format = (['md', 'csv', 'json'] as const).find((f) => f === req.params.format);
    if (!format || grant.role !== 'facilitator') throw new YearError(404, 'Not found.');
    const session = await deps.sessionStore.getSession(grant.sessionId);
    const date = new Date().toISOString().slice(0, 10);
    const data = { meeting: session?.title ?? 'Cohort meeting', date, view: await breakouts.overview(grant) };
    const render = { md: renderBreakoutsMarkdown, csv: renderBreakoutsCsv, json: renderBreakoutsJson }[format];
    res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${slugify(data.meeting)}-groups-${date}.${format}"`);
    res.send(render(data));
  }));
  router.get('/sessions/:id/breakouts/people', key, granted(async (grant: Grant, _req, res) => {
    res.json(await breakouts.people(grant));
  }));
  router.post('/sessions/:id/breakouts', key, readJson, withBody(openBreakoutsBody, async (grant: Grant, body, _req, res) => {
    res.status(201).json(await breakouts.open(grant, body));
  }));
  router.post('/sessions/:id/breakouts/close', key, granted(async (grant: Grant, _req, res) => {
    res.json(await breakouts.close(grant));
  }));
  router.post('/sessions/:id/breakouts/announce', key, readJson, withBody(announceBody, async (grant: Grant, body, _req, res) => {
    await breakouts.announce(grant, body.text);
    res.status(204).end();
  }));
  router.post('/sessions/:id/breakouts/step', key, readJson, withBody(breakoutStepBody, async (grant: Grant, body, _req, res) => {
    res.json({ refused: await breakouts.moveAll(grant, body.step) });
  }));
  router.post('/sessions/:id/breakouts/results', key, readJson, withBody(showResultsBody, async (grant: Grant, body, _req, res) => {
    await breakouts.showResults(grant, body.show);
    res.status(204).end();
  }));
  router.post('/sessions/:id/breakouts/enter', key, granted(async (grant: Grant, _req, res) => {
    res.json({ group: await breakouts.enter(grant) });
  }));
  router.post('/sessions/:id/breakouts/:childId/facilitate', key, granted(async (grant: Grant, req, res) => {
    res.status(201).json(await breakouts.facilitateGroup(grant, child(req)));
  }));
  router.post('/sessions/:id/breakouts/:childId/project', key, granted(async (grant: Grant, req, res) => {
    res.status(201).json(await breakouts.projectGroup(grant, child(req)));
  }));

  router.get('/cohorts/:cohortId/meetings/:sessionId/breakouts', ...staff(async (grant, req, res) => {
    const meeting = await deps.cohortStore.getMeeting(String(req.params.sessionId));
    if (!meeting || meeting.cohortId !== grant.cohort.id || meeting.parentSessionId) throw new YearError(404, 'No such meeting in this cohort.');
    res.json(await breakouts.overviewOf(meeting));
  }));
  return router;
}
