import { Router } from 'express';
import { openWindowBody, pulseAnswerBody, windowNotesBody } from '../../shared/year/pulse.ts';
import { EXPORT_CONTENT_TYPES, slugify } from '../../shared/export/fileName.ts';
import { renderPulseCsv, renderPulseJson, renderPulseMarkdown, type PulseExport } from '../../shared/year/renderPulse.ts';
import type { Grant } from '../auth/tokens.ts';
import type { CohortStore } from '../storage/CohortStore.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import { YearError, type CohortService } from '../year/CohortService.ts';
import type { MeetingService } from '../year/MeetingService.ts';
import type { PulseService } from '../year/PulseService.ts';
import { granted, readJson, sessionGate, withBody, yearGates } from './yearGates.ts';

const PULSE_FORMATS = ['md', 'csv', 'json'] as const;
const PULSE_RENDERERS = { md: renderPulseMarkdown, csv: renderPulseCsv, json: renderPulseJson } as const;

/**
 * The trust pulse's routes: the facilitators open, close and annotate
 * windows (`/cohorts/:cohortId/pulse`), members answer and read results
 * (`/me/pulse`), and a meeting's screens read the results with any key of the
 * meeting (`/sessions/:id/year/pulse`), where a participant may also answer.
 * No route returns an answer, and none returns a result before its window
 * closes.
 */
export function pulseRouter(deps: { cohorts: CohortService; cohortStore: CohortStore; meetings: MeetingService; sessionStore: SessionStore; pulse: PulseService }): Router {
  const { pulse } = deps;
  const router = Router();
  const { staff, staffWith, member, memberWith } = yearGates(deps.cohorts);
  const sessionKey = sessionGate(deps.sessionStore);

  router.get('/cohorts/:cohortId/pulse', ...staff(async (grant, _req, res) => {
    res.json(await pulse.list(grant));
  }));
  // The results as a download: closed windows only, never an answer.
  router.get('/cohorts/:cohortId/pulse/results.:format', ...staff(async (grant, req, res) => {
    const format = PULSE_FORMATS.find((f) => f === req.params.format);
    if (!format) throw new YearError(404, 'Not found.');
    const communities = await deps.cohortStore.listCommunities(grant.cohort.id);
    const data: PulseExport = {
      cohort: grant.cohort.name,
      date: new Date().toISOString().slice(0, 10),
      windows: (await pulse.list(grant)).filter((w) => w.status === 'closed'),
      communityNames: Object.fromEntries(communities.map((c) => [c.id, c.name])),
    };
    res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${slugify(grant.cohort.name)}-trust-pulse-${data.date}.${format}"`);
    res.send(PULSE_RENDERERS[format](data));
  }));
  router.post('/cohorts/:cohortId/pulse', ...staffWith(openWindowBody, async (grant, body, _req, res) => {
    res.status(201).json(await pulse.open(grant, body));
  }));
  router.post('/cohorts/:cohortId/pulse/:windowId/close', ...staff(async (grant, req, res) => {
    res.json(await pulse.closeNow(grant, String(req.params.windowId)));
  }));
  router.put('/cohorts/:cohortId/pulse/:windowId/notes', ...staffWith(windowNotesBody, async (grant, body, req, res) => {
    res.json(await pulse.setNotes(grant, String(req.params.windowId), body.notes));
  }));

  router.get('/me/pulse', ...member(async (grant, _req, res) => {
    res.json(await pulse.mine(grant));
  }));
  router.post('/me/pulse/:windowId', ...memberWith(pulseAnswerBody, async (grant, body, req, res) => {
    await pulse.answer(grant, String(req.params.windowId), body);
    res.status(204).end();
  }));

  router.get('/sessions/:id/year/pulse', sessionKey, granted(async (grant: Grant, _req, res) => {
    const member = grant.participantId ? await deps.meetings.memberOfParticipant(grant.sessionId, grant.participantId) : null;
    res.json(await pulse.forMeeting(grant.sessionId, member));
  }));
  // From the meeting's closing step, with the participant's key of the meeting.
  router.post('/sessions/:id/year/pulse/:windowId', sessionKey, readJson, withBody(pulseAnswerBody, async (grant: Grant, body, req, res) => {
    const memberGrant = grant.participantId ? await deps.meetings.memberOfParticipant(grant.sessionId, grant.participantId) : null;
    if (!memberGrant) throw new YearError(403, 'Only a member of the cohort answers its pulse.');
    await pulse.answer(memberGrant, String(req.params.windowId), body);
    res.status(204).end();
  }));
  return router;
}
