// Renders PDFs off the main thread (see PdfRenderer.ts). Plain JavaScript so
// Node can start it as a worker under `tsx` and under vitest alike; it loads
// the TypeScript renderer through tsx's scoped import, which registers nothing
// globally.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { renderPdf } = await tsImport('./renderPdf.ts', import.meta.url);
const { renderPortfolioPdf } = await tsImport('../year/renderPortfolioPdf.ts', import.meta.url);

parentPort.on('message', async ({ id, data }) => {
  try {
    // A year's portfolio says so in its format; anything else is a meeting's brief.
    const pdf = data.format === 'howmight.portfolio' ? await renderPortfolioPdf(data) : await renderPdf(data);
    // A copy of its own, so transferring it cannot take pdfkit's pooled memory along.
    const bytes = new Uint8Array(pdf);
    parentPort.postMessage({ id, ok: true, bytes }, [bytes.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort.postMessage({ ready: true });
