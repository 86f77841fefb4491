import { Router, type Request, type Response } from 'express';
import { bearerToken } from '../../shared/bearer.ts';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, type ExportFormat } from '../../shared/export/fileName.ts';
import type { PortfolioData } from '../../shared/year/portfolio.ts';
import { portfolioFileName } from '../../shared/year/portfolioLabels.ts';
import { renderPortfolioCsv } from '../../shared/year/renderPortfolioCsv.ts';
import { renderPortfolioJson } from '../../shared/year/renderPortfolioJson.ts';
import { renderPortfolioMarkdown } from '../../shared/year/renderPortfolioMarkdown.ts';
import type { PdfRenderer } from '../export/PdfRenderer.ts';
import type { CohortStore } from '../storage/CohortStore.ts';
import type { LogStore } from '../storage/LogStore.ts';
import type { ClosedPulses } from '../year/loadPortfolio.ts';
import { YearError, type CohortService } from '../year/CohortService.ts';
import { loadCommunityPortfolio, loadMemberPortfolio } from '../year/loadPortfolio.ts';
import { renderedPdf } from './renderedPdf.ts';
import { sendProblem } from './sendProblem.ts';
import { run, unauthorized } from './yearGates.ts';

export interface PortfolioDeps {
  cohorts: CohortService;
  cohortStore: CohortStore;
  /** The practice log's rows: a member's portfolio holds their entries, a community's what was shared with it. */
  logStore: LogStore;
  /** The trust pulse (year/PulseService.ts): each portfolio holds the closed windows' results; without it, none. */
  pulse?: ClosedPulses;
  /** The PDF workers the meeting brief uses (export/PdfRenderer.ts); without them a PDF is refused as unavailable. */
  pdf?: PdfRenderer;
}

const TEXT_RENDERERS: Readonly<Record<Exclude<ExportFormat, 'pdf'>, (data: PortfolioData) => string>> = {
  md: renderPortfolioMarkdown,
  csv: renderPortfolioCsv,
  json: renderPortfolioJson,
};

/**
 * The year's portfolio downloads, in the meeting brief's four formats:
 * GET /api/cohorts/<cohortId>/communities/<communityId>/portfolio.<fmt> with a
 * staff token (a community's year; `?names=0` leaves names out), and
 * GET /api/me/portfolio.<fmt> with a member's personal token (their own year,
 * their own commitments and log entries only; both with the trust pulse's
 * closed windows, as stored). Tokens ride in `Authorization: Bearer`, as on
 * every route of the year; another cohort's token learns nothing.
 */
export function portfolioRouter({ cohorts, cohortStore, logStore, pulse, pdf }: PortfolioDeps): Router {
  const router = Router();
  const sources = { logs: logStore, pulses: pulse };
  const names = (req: Request) => req.query.names !== '0';

  router.get('/cohorts/:cohortId/communities/:communityId/portfolio.:format', async (req: Request<{ cohortId: string; communityId: string; format: string }>, res: Response) => {
    const format = formatOf(req, res);
    if (!format) return;
    const grant = await cohorts.staffGrant(bearerToken(req.get('authorization')), req.params.cohortId);
    if (!grant) return unauthorized(res, 'The community portfolio needs a facilitator link of this cohort.');
    await run(res, async () => {
      const data = await loadCommunityPortfolio(cohortStore, sources, grant.cohort, req.params.communityId, { names: names(req) });
      if (!data) throw new YearError(404, 'No such community in this cohort.');
      await send(res, data, format, pdf);
    });
  });

  router.get('/me/portfolio.:format', async (req: Request<{ format: string }>, res: Response) => {
    const format = formatOf(req, res);
    if (!format) return;
    const grant = await cohorts.memberGrant(bearerToken(req.get('authorization')));
    if (!grant) return unauthorized(res, 'Your portfolio needs your personal link. If it stopped working, ask your facilitator for a new one.');
    await send(res, await loadMemberPortfolio(cohortStore, sources, grant.cohort, grant.member, { names: names(req) }), format, pdf);
  });

  return router;
}

/** The format the path asks for, or null once a 404 is sent. */
function formatOf(req: Request<{ format: string }>, res: Response): ExportFormat | null {
  res.setHeader('Cache-Control', 'no-store');
  const format = req.params.format as ExportFormat;
  if (EXPORT_FORMATS.includes(format)) return format;
  sendProblem(res, 404, 'not-found', `Unknown portfolio format. Use one of: ${EXPORT_FORMATS.join(', ')}.`);
  return null;
}

async function send(res: Response, data: PortfolioData, format: ExportFormat, pdf: PdfRenderer | undefined): Promise<void> {
  let body: string | Buffer;
  if (format === 'pdf') {
    if (!pdf) return sendProblem(res, 503, 'unavailable', 'This server makes no PDFs. Use the Markdown export.');
    const bytes = await renderedPdf(res, pdf, data);
    if (!bytes) return;
    body = bytes;
  } else {
    body = TEXT_RENDERERS[format](data);
  }
  res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${portfolioFileName(data, format)}"`);
  res.send(body);
}
