import { Router } from 'express';
import { z } from 'zod';
import { logEntryBody, markSeenBody, peerNoteBody } from '../../shared/year/practiceLog.ts';
import type { CohortService } from '../year/CohortService.ts';
import { nextCommitmentBody, type PracticeLog } from '../year/PracticeLog.ts';
import { sendProblem } from './sendProblem.ts';
import { yearGates } from './yearGates.ts';

/** An entry's id, chosen by the author's browser so that a retried save stores it once. */
const entryId = z.string().regex(/^[A-Za-z0-9_-]{12,32}$/);

/**
 * The practice log's routes: a member's own entries, notes on what was
 * shared with them and "seen" marks under `/me/log`, with their personal
 * key; the facilitator's counts under `/cohorts/:cohortId/log-activity`,
 * with a staff key. What reached a member is also pushed to their open home
 * page (year/yearSocket.ts).
 */
export function logRouter(cohorts: CohortService, log: PracticeLog): Router {
  const router = Router();
  const { staff, member, memberWith } = yearGates(cohorts);
  // A malformed id is refused before the key is even looked at.
  router.param('entryId', (_req, res, next, value) => {
    if (!entryId.safeParse(value).success) return sendProblem(res, 400, 'invalid', 'Not an entry id.');
    next();
  });

  router.get('/me/log', ...member(async (grant, _req, res) => {
    res.json(await log.myLog(grant));
  }));
  router.post('/me/log/seen', ...memberWith(markSeenBody, async (grant, body, _req, res) => {
    await log.markSeen(grant, body.ids);
    res.status(204).end();
  }));
  router.put('/me/log/:entryId', ...memberWith(logEntryBody, async (grant, body, req, res) => {
    res.json(await log.save(grant, String(req.params.entryId), body));
  }));
  router.delete('/me/log/:entryId', ...member(async (grant, req, res) => {
    await log.remove(grant, String(req.params.entryId));
    res.status(204).end();
  }));
  router.post('/me/log/:entryId/notes', ...memberWith(peerNoteBody, async (grant, body, req, res) => {
    res.status(201).json(await log.addNote(grant, String(req.params.entryId), body.text));
  }));
  router.post('/me/log/:entryId/next-commitment', ...memberWith(nextCommitmentBody, async (grant, body, req, res) => {
    res.status(201).json(await log.nextCommitment(grant, String(req.params.entryId), body));
  }));

  router.get('/cohorts/:cohortId/log-activity', ...staff(async (grant, _req, res) => {
    res.json(await log.activity(grant));
  }));
  return router;
}
