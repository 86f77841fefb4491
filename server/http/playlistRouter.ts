import { Router, type Request, type Response } from 'express';
import { EXPORT_CONTENT_TYPES, type ExportFormat } from '../../shared/export/fileName.ts';
import {
  editResourceBody,
  moveResourceBody,
  pairBody,
  pinResourceBody,
  resourceBody,
  takeawayBody,
  usedBody,
  type PlaylistView,
} from '../../shared/year/playlist.ts';
import { playlistFileName, type PlaylistExport } from '../../shared/year/playlistExport.ts';
import { renderPlaylistCsv } from '../../shared/year/renderPlaylistCsv.ts';
import { renderPlaylistJson } from '../../shared/year/renderPlaylistJson.ts';
import { renderPlaylistMarkdown } from '../../shared/year/renderPlaylistMarkdown.ts';
import type { Grant } from '../auth/tokens.ts';
import type { CohortRecord } from '../storage/CohortStore.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import { YearError, type CohortService } from '../year/CohortService.ts';
import type { PlaylistService } from '../year/PlaylistService.ts';
import { run, sessionGate, yearGates } from './yearGates.ts';

export interface PlaylistDeps {
  cohorts: CohortService;
  sessionStore: SessionStore;
  playlists?: PlaylistService;
  now?: () => number;
}

const FORMATS = ['md', 'csv', 'json'] as const;
type PlaylistFormat = Extract<ExportFormat, (typeof FORMATS)[number]>;
const RENDERERS: Readonly<Record<PlaylistFormat, (data: PlaylistExport) => string>> = {
  md: renderPlaylistMarkdown,
  csv: renderPlaylistCsv,
  json: renderPlaylistJson,
};

/**
 * The playlists (YEAR.md 6). Staff: `/cohorts/<id>/playlists/<community id | cohort>`
 * to read, add, download; `/cohorts/<id>/resources/<id>` to edit, delete,
 * move, pin. Members: `/me/playlist…` (their community's and the cohort's;
 * their own resources, their marks). A meeting's facilitator key:
 * `GET /sessions/<id>/year/playlist`. Tokens in `Authorization: Bearer`, as on
 * every route of the year. The server stores links and never fetches them.
 */
export function playlistRouter(deps: PlaylistDeps): Router {
  const router = Router();
  const playlists = deps.playlists;
  if (!playlists) return router;
  const { staff, member, staffWith, memberWith } = yearGates(deps.cohorts);
  const param = (req: Request, name: string) => String(req.params[name]);

  // ---- staff
  router.get('/cohorts/:cohortId/playlists/:scope', ...staff(async (grant, req, res) => {
    const scope = param(req, 'scope');
    const format = exportFormat(scope);
    if (format) {
      // `/playlists/<scope>.md`: the download of one playlist.
      const list = await playlists.staffPlaylist(grant, scope.slice(0, -(format.length + 1)));
      return send(res, grant.cohort, [list], format, deps.now);
    }
    res.json(await playlists.staffPlaylist(grant, scope));
  }));
  router.post('/cohorts/:cohortId/playlists/:scope/resources', ...staffWith(resourceBody, async (grant, body, req, res) => {
    res.status(201).json(await playlists.addByStaff(grant, param(req, 'scope'), body));
  }));
  router.patch('/cohorts/:cohortId/resources/:resourceId', ...staffWith(editResourceBody, async (grant, body, req, res) => {
    res.json(await playlists.editByStaff(grant, param(req, 'resourceId'), body));
  }));
  router.delete('/cohorts/:cohortId/resources/:resourceId', ...staff(async (grant, req, res) => {
    await playlists.deleteByStaff(grant, param(req, 'resourceId'));
    res.status(204).end();
  }));
  router.post('/cohorts/:cohortId/resources/:resourceId/move', ...staffWith(moveResourceBody, async (grant, body, req, res) => {
    res.json(await playlists.move(grant, param(req, 'resourceId'), body.position));
  }));
  router.post('/cohorts/:cohortId/resources/:resourceId/pin', ...staffWith(pinResourceBody, async (grant, body, req, res) => {
    res.json(await playlists.pin(grant, param(req, 'resourceId'), body.pinned));
  }));

  // ---- members
  router.get('/me/playlist', ...member(async (grant, _req, res) => {
    res.json(await playlists.memberPlaylists(grant));
  }));
  router.get('/me/playlist.:format', ...member(async (grant, req, res) => {
    const format = exportFormat(`.${param(req, 'format')}`);
    if (!format) throw new YearError(404, `Unknown playlist format. Use one of: ${FORMATS.join(', ')}.`);
    const mine = await playlists.memberPlaylists(grant);
    send(res, grant.cohort, [...(mine.community ? [mine.community] : []), mine.cohort], format, deps.now);
  }));
  router.post('/me/playlist/resources', ...memberWith(resourceBody, async (grant, body, _req, res) => {
    res.status(201).json(await playlists.addByMember(grant, body));
  }));
  router.patch('/me/playlist/resources/:resourceId', ...memberWith(editResourceBody, async (grant, body, req, res) => {
    res.json(await playlists.editByMember(grant, param(req, 'resourceId'), body));
  }));
  router.delete('/me/playlist/resources/:resourceId', ...member(async (grant, req, res) => {
    await playlists.deleteByMember(grant, param(req, 'resourceId'));
    res.status(204).end();
  }));
  router.put('/me/playlist/resources/:resourceId/used', ...memberWith(usedBody, async (grant, body, req, res) => {
    res.json(await playlists.setUsed(grant, param(req, 'resourceId'), body.used));
  }));
  router.put('/me/playlist/resources/:resourceId/takeaway', ...memberWith(takeawayBody, async (grant, body, req, res) => {
    res.json(await playlists.setTakeaway(grant, param(req, 'resourceId'), body.text));
  }));
  router.put('/me/playlist/resources/:resourceId/pair', ...memberWith(pairBody, async (grant, body, req, res) => {
    res.json(await playlists.setPair(grant, param(req, 'resourceId'), body.partnerId));
  }));

  // ---- a meeting's facilitator, with the meeting's key: what the playlist step can feature
  router.get('/sessions/:id/year/playlist', sessionGate(deps.sessionStore), (req, res) =>
    run(res, async () => {
      const grant = res.locals.grant as Grant;
      if (grant.role !== 'facilitator') throw new YearError(403, 'Only the meeting’s facilitator picks from the playlist.');
      res.json({ playlists: await playlists.meetingPlaylists(grant.sessionId) });
    }),
  );

  return router;
}

/** `x.md` → 'md'; anything else → null. */
function exportFormat(name: string): PlaylistFormat | null {
  return FORMATS.find((f) => name.endsWith(`.${f}`)) ?? null;
}

function send(res: Response, cohort: CohortRecord, lists: PlaylistView[], format: PlaylistFormat, now: () => number = Date.now): void {
  const data: PlaylistExport = { cohort: cohort.name, date: new Date(now()).toISOString().slice(0, 10), playlists: lists };
  res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${playlistFileName(data, format)}"`);
  res.send(RENDERERS[format](data));
}

