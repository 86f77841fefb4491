import type { Response } from 'express';
import { PdfRenderError, type PdfRenderer, type PdfSource } from '../export/PdfRenderer.ts';
import { sendProblem } from './sendProblem.ts';

/**
 * A PDF from the worker pool, or null once the refusal is sent: 503 with
 * Retry-After while the pool is busy, 500 when rendering failed. Sets X-Cache
 * (hit or miss) on success. The meeting brief and the portfolios share it.
 */
export async function renderedPdf(res: Response, pdf: PdfRenderer, data: PdfSource): Promise<Buffer | null> {
  try {
    const rendered = await pdf.render(data);
    res.setHeader('X-Cache', rendered.cached ? 'hit' : 'miss');
    return rendered.bytes;
  } catch (err) {
    if (!(err instanceof PdfRenderError)) throw err;
    if (err.reason === 'busy') res.setHeader('Retry-After', '30');
    if (err.reason === 'failed') sendProblem(res, 500, 'failed', err.message);
    else sendProblem(res, 503, 'unavailable', err.message);
    return null;
  }
}
