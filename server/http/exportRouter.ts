import { Router, type Request, type Response } from 'express';
import { bearerToken } from '../../shared/bearer.ts';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, exportFileName, type ExportFormat } from '../../shared/export/fileName.ts';
import type { InquiryData } from '../../shared/export/jsonSchema.ts';
import { renderCsv } from '../../shared/export/renderCsv.ts';
import { renderJson } from '../../shared/export/renderJson.ts';
import { renderMarkdown } from '../../shared/export/renderMarkdown.ts';
import { verifyToken } from '../auth/tokens.ts';
import { loadInquiry } from '../export/loadInquiry.ts';
import type { PdfRenderer } from '../export/PdfRenderer.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Rooms } from '../sync/Rooms.ts';
import { renderedPdf } from './renderedPdf.ts';
import { sendProblem } from './sendProblem.ts';

export interface ExportDeps {
  store: SessionStore;
  rooms: Rooms;
  /** Renders PDFs in worker threads, with a cache (export/PdfRenderer.ts). */
  pdf: PdfRenderer;
}

/** The text formats take milliseconds and run inline; PDFs go to a worker. */
const TEXT_RENDERERS: Readonly<Record<Exclude<ExportFormat, 'pdf'>, (data: InquiryData) => string>> = {
  md: renderMarkdown,
  csv: renderCsv,
  json: renderJson,
};

/**
 * GET /api/sessions/<id>/export.<md|csv|json|pdf>, with a session token as
 * `Authorization: Bearer <token>` (never in the URL, where logs keep it).
 * The facilitator gets the whole brief (`?names=0` leaves names out); a
 * participant gets the final questions and their own commitment.
 */
export function exportRouter({ store, rooms, pdf }: ExportDeps): Router {
  const router = Router();

  router.get('/sessions/:id/export.:format', async (req: Request<{ id: string; format: string }>, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const format = req.params.format as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) {
      sendProblem(res, 404, 'not-found', `Unknown export format. Use one of: ${EXPORT_FORMATS.join(', ')}.`);
      return;
    }
    const grant = await verifyToken(store, bearerToken(req.get('authorization')));
    if (!grant) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendProblem(res, 401, 'unauthorized', 'Exports need your session key: send it as "Authorization: Bearer <token>".');
      return;
    }
    // Another session's token learns nothing, not even whether this session exists.
    if (grant.sessionId !== req.params.id) {
      sendProblem(res, 404, 'not-found', 'No session with that id for this key.');
      return;
    }
    if (grant.role === 'projector') {
      sendProblem(res, 403, 'forbidden', 'The projector link cannot export. Use the facilitator view.');
      return;
    }
    const participantId = grant.role === 'participant' ? grant.participantId : null;
    const data = await loadInquiry(store, rooms, grant.sessionId, { names: req.query.names !== '0', participantId });
    if (!data) {
      sendProblem(res, 404, 'not-found', 'No session with that id for this key.');
      return;
    }
    let body: string | Buffer;
    if (format === 'pdf') {
      const bytes = await renderedPdf(res, pdf, data);
      if (!bytes) return;
      body = bytes;
    } else {
      body = TEXT_RENDERERS[format](data);
    }
    const fileName = exportFileName(data.session.title, data.session.date, format, data.scope === 'participant');
    res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.send(body);
  });

  return router;
}
