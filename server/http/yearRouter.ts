import { Router, type Request, type Response } from 'express';
import {
  createCohortBody,
  createMeetingBody,
  communityBody,
  editCommunityBody,
  inviteStaffBody,
  joinCohortBody,
  keepAgendaBody,
  lookupCohortBody,
  placeMemberBody,
  reviewCommitmentBody,
  removeMemberBody,
  reviseQuestionBody,
  yearPaths,
  type CreateCohortResponse,
  type JoinCohortResponse,
} from '../../shared/year/api.ts';
import { parseCarry, type CarriedCommunity } from '../../shared/year/portfolioCarry.ts';
import type { Grant } from '../auth/tokens.ts';
import type { PdfRenderer } from '../export/PdfRenderer.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import { YearError, type CohortService, type StaffGrant } from '../year/CohortService.ts';
import type { MeetingService } from '../year/MeetingService.ts';
import type { PlaylistService } from '../year/PlaylistService.ts';
import type { PracticeLog } from '../year/PracticeLog.ts';
import type { PulseService } from '../year/PulseService.ts';
import type { BreakoutService } from '../year/BreakoutService.ts';
import { views } from '../year/views.ts';
import type { CohortStore } from '../storage/CohortStore.ts';
import type { LogStore } from '../storage/LogStore.ts';
import type { CodeBody } from './apiRouter.ts';
import { LIMITS_BODY } from './bodyLimits.ts';
import { jsonBody } from './jsonBody.ts';
import { parseBody } from './parseBody.ts';
import { sendProblem } from './sendProblem.ts';
import { granted, readJson, run, sessionGate, withBody, yearGates } from './yearGates.ts';

export interface YearDeps {
  cohorts: CohortService;
  meetings: MeetingService;
  cohortStore: CohortStore;
  /** The practice log's rows, for the portfolios (portfolioRouter.ts). */
  logStore: LogStore;
  sessionStore: SessionStore;
  /** Deletes a cohort and every session of it (year/deleteCohort.ts). */
  deleteCohort?: (grant: StaffGrant) => Promise<void>;
  /** Removes a member, deleting or anonymising what they wrote (year/removeMember.ts). */
  removeMember?: (grant: StaffGrant, memberId: string, mode: 'remove' | 'anonymise') => Promise<void>;
  publicUrl?: string;
  /** The PDF workers, for the portfolio's PDF (portfolioRouter.ts). */
  pdf?: PdfRenderer;
  /** The practice log (logRouter.ts). */
  log?: PracticeLog;
  /** The trust pulse (pulseRouter.ts). */
  pulse?: PulseService;
  /** A cohort meeting's groups (breakoutRouter.ts). */
  breakouts?: BreakoutService;
  /** The playlists (playlistRouter.ts); without them, no playlist routes. */
  playlists?: PlaylistService;
}

/** What apiRouter lends: its rate limits and its join-code judge, shared with sessions so guessing both costs one budget. */
export interface YearGates {
  createLimit: (req: Request, res: Response, next: () => void) => void;
  joinLimit: (req: Request, res: Response, next: () => void) => void;
  judgeCode: <T>(
    req: Request,
    res: Response,
    body: CodeBody,
    how: { find: (code: string) => Promise<T | null>; hasSecret: (found: T, secret: unknown) => Promise<boolean>; unknown: string },
  ) => Promise<T | null>;
}

/** Where calendar feeds live; the request log writes this prefix and nothing after it. */
export const CALENDAR_FEED_PREFIX = '/api/calendar/';

/**
 * The year's routes. Staff routes (`/cohorts/:id/…`) take a staff cohort
 * token, member routes (`/me/…`) a member's personal token, both as
 * `Authorization: Bearer`; `/sessions/:id/year` takes the session's own key.
 * A token of another cohort learns nothing, not even whether the cohort exists.
 */
export function yearRouter(deps: YearDeps, gates: YearGates): Router {
  const { cohorts, meetings } = deps;
  const router = Router();
  const base = (req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;

  const { staff, member, staffWith, memberWith } = yearGates(cohorts);

  // Last year's portfolios may ride along as `from`, so the body may be as large as a carried-forward session's.
  router.post('/cohorts', gates.createLimit, jsonBody(LIMITS_BODY.createSession), async (req, res) => {
    const body = parseBody(createCohortBody, req, res);
    if (!body) return;
    let carried: CarriedCommunity[] = [];
    if (body.from !== undefined) {
      const from = parseCarry(body.from);
      if (!from.ok) return sendProblem(res, 400, 'invalid', from.error);
      carried = from.communities;
    }
    const { cohort, staffToken, joinSecret } = await cohorts.create(body, carried);
    const out: CreateCohortResponse = {
      cohort: { id: cohort.id, name: cohort.name, startsOn: cohort.startsOn, endsOn: cohort.endsOn, lengthMinutes: cohort.lengthMinutes },
      facilitatorToken: staffToken,
      joinCode: cohort.joinCode,
      joinSecret,
      urls: {
        cohort: `${base(req)}${yearPaths.cohort(cohort.id)}#${staffToken}`,
        join: `${base(req)}${yearPaths.join(cohort.joinCode, joinSecret)}`,
      },
    };
    res.status(201).json(out);
  });

  const cohortForCode = (req: Request, res: Response, body: CodeBody) =>
    gates.judgeCode(req, res, body, {
      find: (code) => cohorts.findByJoinCode(code),
      hasSecret: (cohort, secret) => cohorts.hasJoinSecret(cohort, secret),
      unknown: 'No cohort has that join code. Check the code your facilitator gave you and try again.',
    });

  router.post('/cohorts/join/lookup', gates.joinLimit, readJson, async (req, res) => {
    const body = parseBody(lookupCohortBody, req, res);
    if (!body) return;
    const cohort = await cohortForCode(req, res, body);
    if (cohort) res.json({ name: cohort.name });
  });

  router.post('/cohorts/join', gates.joinLimit, readJson, async (req, res) => {
    const body = parseBody(joinCohortBody, req, res);
    if (!body) return;
    const cohort = await cohortForCode(req, res, body);
    if (!cohort) return;
    await run(res, async () => {
      const { member: joined, token } = await cohorts.join(cohort, body.name, body.challenge);
      const out: JoinCohortResponse = {
        cohortId: cohort.id,
        memberId: joined.id,
        memberToken: token,
        url: `${base(req)}${yearPaths.member(cohort.id)}#${token}`,
      };
      res.status(201).json(out);
    });
  });

  // ---- staff
  router.get('/cohorts/:cohortId', ...staff(async (grant, _req, res) => {
    res.json(await cohorts.overview(grant));
  }));
  router.delete('/cohorts/:cohortId', ...staff(async (grant, _req, res) => {
    if (grant.staff.role !== 'facilitator') throw new YearError(403, 'Only a facilitator can delete the cohort; a coach cannot.');
    if (!deps.deleteCohort) throw new YearError(404, 'Not found.');
    await deps.deleteCohort(grant);
    res.status(204).end();
  }));
  router.post('/cohorts/:cohortId/staff', ...staffWith(inviteStaffBody, async (grant, body, req, res) => {
    const path = await cohorts.inviteStaff(grant, body);
    res.status(201).json({ url: `${base(req)}${path}` });
  }));
  router.delete('/cohorts/:cohortId/staff/:staffId', ...staff(async (grant, req, res) => {
    await cohorts.removeStaff(grant, String(req.params.staffId));
    res.status(204).end();
  }));
  router.post('/cohorts/:cohortId/members/:memberId/link', ...staff(async (grant, req, res) => {
    const path = await cohorts.reissueMemberLink(grant, String(req.params.memberId));
    res.status(201).json({ url: `${base(req)}${path}` });
  }));
  router.put('/cohorts/:cohortId/members/:memberId/community', ...staffWith(placeMemberBody, async (grant, body, req, res) => {
    await cohorts.placeMember(grant, String(req.params.memberId), body.communityId);
    res.status(204).end();
  }));
  router.delete('/cohorts/:cohortId/members/:memberId', ...staffWith(removeMemberBody, async (grant, body, req, res) => {
    // It deletes or anonymises what they wrote all year: as for removing staff, a facilitator's call.
    if (grant.staff.role !== 'facilitator') throw new YearError(403, 'Only a facilitator can remove a member; a coach cannot.');
    if (!deps.removeMember) throw new YearError(404, 'Not found.');
    await cohorts.memberOf(grant.cohort.id, String(req.params.memberId));
    await deps.removeMember(grant, String(req.params.memberId), body.mode);
    res.status(204).end();
  }));
  router.post('/cohorts/:cohortId/communities', ...staffWith(communityBody, async (grant, body, _req, res) => {
    res.status(201).json(await cohorts.addCommunity(grant, body));
  }));
  router.patch('/cohorts/:cohortId/communities/:communityId', ...staffWith(editCommunityBody, async (grant, body, req, res) => {
    const { agenda, ...rest } = body;
    let community = await cohorts.editCommunity(grant, String(req.params.communityId), rest);
    if (agenda !== undefined) community = await meetings.setAgendaDefault(grant, community.id, agenda);
    res.json(views.community(community));
  }));
  router.delete('/cohorts/:cohortId/communities/:communityId', ...staff(async (grant, req, res) => {
    await cohorts.deleteCommunity(grant, String(req.params.communityId));
    res.status(204).end();
  }));
  router.post('/cohorts/:cohortId/communities/:communityId/question', ...staffWith(reviseQuestionBody, async (grant, body, req, res) => {
    res.status(201).json(await meetings.reviseQuestion(grant, String(req.params.communityId), body.text, body.reason));
  }));
  router.post('/cohorts/:cohortId/meetings', ...staffWith(createMeetingBody, async (grant, body, _req, res) => {
    res.status(201).json(await meetings.createMeeting(grant, body));
  }));
  router.post('/cohorts/:cohortId/meetings/:sessionId/finish', ...staff(async (grant, req, res) => {
    res.json(await meetings.finishMeeting(grant, String(req.params.sessionId)));
  }));
  router.post('/cohorts/:cohortId/meetings/:sessionId/facilitate', ...staff(async (grant, req, res) => {
    const { url, token } = await meetings.facilitate(grant, String(req.params.sessionId));
    res.status(201).json({ url: `${base(req)}${url}`, token });
  }));

  // ---- members
  router.get('/me', ...member(async (grant, _req, res) => {
    res.json(await meetings.memberHome(grant));
  }));
  router.post('/me/meetings/:sessionId/enter', ...member(async (grant, req, res) => {
    res.json(await meetings.enter(grant, String(req.params.sessionId)));
  }));
  router.post('/me/commitments/:commitmentId/review', ...memberWith(reviewCommitmentBody, async (grant, body, req, res) => {
    res.json(await meetings.review(grant, String(req.params.commitmentId), body.status));
  }));

  // The .ics download, for the member's own calendar app.
  router.get('/me/calendar.ics', ...member(async (grant, req, res) => {
    const ics = await meetings.calendar(grant, `${base(req)}${yearPaths.member(grant.cohort.id)}`);
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="howmight-meetings.ics"');
    res.send(ics);
  }));
  // A secret feed URL for subscribing; a new one revokes the previous one.
  router.post('/me/calendar-feed', ...member(async (grant, req, res) => {
    const token = await cohorts.calendarFeed(grant);
    res.status(201).json({ url: `${base(req)}${CALENDAR_FEED_PREFIX}${token}.ics` });
  }));
  // Calendar apps send no headers, so this one key rides in the path (which the request log leaves out); it only reads.
  router.get('/calendar/:file', async (req, res) => {
    const file = String(req.params.file);
    const grant = file.endsWith('.ics') ? await cohorts.calendarGrant(file.slice(0, -4)) : null;
    if (!grant) return sendProblem(res, 404, 'not-found', 'No calendar at this address. Ask Howmight for a new feed link on your home page.');
    const ics = await meetings.calendar(grant, `${base(req)}${yearPaths.member(grant.cohort.id)}`);
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.send(ics);
  });

  // ---- a session's place in the year, for any key of the session
  const sessionKey = sessionGate(deps.sessionStore);
  router.get('/sessions/:id/year', sessionKey, granted(async (grant: Grant, _req, res) => {
    res.json({ year: await meetings.sessionYear(grant) });
  }));

  // The facilitator keeps the meeting's current shape as its community's default, with the meeting's facilitator key
  // (minted for a cohort's staff member: MeetingService.facilitate), so it works in a browser without the cohort link.
  router.post('/sessions/:id/year/agenda-default', sessionKey, readJson, withBody(keepAgendaBody, async (grant: Grant, body, _req, res) => {
    res.json({ agenda: await meetings.keepAgendaDefault(grant, body.template) });
  }));

  // A member reviews their commitment from inside a meeting, with the meeting's key.
  router.post('/sessions/:id/year/commitments/:commitmentId/review', sessionKey, readJson, withBody(reviewCommitmentBody, async (grant: Grant, body, req, res) => {
    const memberGrant = grant.participantId ? await meetings.memberOfParticipant(grant.sessionId, grant.participantId) : null;
    if (!memberGrant) throw new YearError(403, 'Only the owner of a commitment can mark it.');
    res.json(await meetings.review(memberGrant, String(req.params.commitmentId), body.status));
  }));

  return router;
}
