import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { InquiryData } from '../../shared/export/jsonSchema.ts';
import type { PortfolioData } from '../../shared/year/portfolio.ts';

/** What the worker renders: a meeting's brief, or a year's portfolio (told apart by `format`, see pdfWorker.mjs). */
export type PdfSource = InquiryData | PortfolioData;

/**
 * A full board's PDF takes seconds of CPU. Rendered on the main thread, every
 * socket of every meeting would wait that long, so it runs in worker threads:
 * at most `workers` at a time, `maxQueue` more waiting (then refused as busy),
 * each stopped after `timeoutMs`. Results are cached by what they show, so a
 * facilitator clicking twice, or a room downloading the same brief, costs one
 * render.
 */
export interface PdfRendererOptions {
  workers: number;
  maxQueue: number;
  timeoutMs: number;
  cacheEntries: number;
}

export const DEFAULT_PDF_OPTIONS: PdfRendererOptions = { workers: 1, maxQueue: 4, timeoutMs: 30_000, cacheEntries: 4 };

/** Bounds a runaway render's memory: the worker dies (the export answers 500), not the server. */
const WORKER_HEAP_MB = 768;

export type PdfFailure = 'busy' | 'timeout' | 'failed';

export class PdfRenderError extends Error {
  constructor(
    readonly reason: PdfFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface RenderedPdf {
  bytes: Buffer;
  /** Served from the cache (or from a render already running for the same brief). */
  cached: boolean;
}

interface Job {
  key: string;
  data: PdfSource;
  resolve: (bytes: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
}

const WORKER_URL = new URL('./pdfWorker.mjs', import.meta.url);

export class PdfRenderer {
  private readonly cache = new Map<string, Buffer>();
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private readonly queue: Job[] = [];
  private readonly idle: Slot[] = [];
  private readonly all = new Set<Slot>();
  private running = 0;
  private inWorker = 0;
  private nextId = 0;
  private closed = false;
  /** Renders started; for tests and diagnostics. */
  renders = 0;

  constructor(private readonly options: PdfRendererOptions = DEFAULT_PDF_OPTIONS) {}

  /** Briefs a worker is rendering right now (started and not yet answered); for tests and diagnostics. */
  get rendering(): number {
    return this.inWorker;
  }

  async render(data: PdfSource): Promise<RenderedPdf> {
    const key = cacheKey(data);
    const hit = this.cache.get(key);
    if (hit) {
      // Most recently used goes last; the first entry is the one to evict.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return { bytes: hit, cached: true };
    }
    const pending = this.inFlight.get(key);
    if (pending) return { bytes: await pending, cached: true };
    if (this.running >= this.options.workers && this.queue.length >= this.options.maxQueue) {
      throw new PdfRenderError('busy', 'The server is busy making other PDFs. Try again in a minute, or use the Markdown export.');
    }
    const promise = new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ key, data, resolve, reject });
      this.pump();
    });
    this.inFlight.set(key, promise);
    try {
      const bytes = await promise;
      this.remember(key, bytes);
      return { bytes, cached: false };
    } finally {
      this.inFlight.delete(key);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new PdfRenderError('failed', 'The server is shutting down.'));
    this.idle.length = 0;
    await Promise.all([...this.all].map((slot) => slot.worker.terminate()));
    this.all.clear();
  }

  private remember(key: string, bytes: Buffer): void {
    this.cache.set(key, bytes);
    while (this.cache.size > this.options.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
  }

  private pump(): void {
    while (!this.closed && this.running < this.options.workers && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      this.renders++;
      void this.run(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  /** Runs one job on an idle worker (or a new one); a worker that timed out or failed is thrown away. */
  private async run(job: Job): Promise<void> {
    const slot = this.idle.pop() ?? spawn();
    this.all.add(slot);
    let keep = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const seconds = Math.max(1, Math.round(this.options.timeoutMs / 1000));
        reject(new PdfRenderError('timeout', `Making this PDF took longer than ${seconds} seconds and was stopped. Try the Markdown export, or try again later.`));
      }, this.options.timeoutMs);
    });
    try {
      const bytes = await Promise.race([slot.ready.then(() => this.send(slot, job.data)), timeout]);
      keep = true;
      job.resolve(bytes);
    } catch (err) {
      job.reject(err instanceof Error ? err : new Error(String(err)));
    } finally {
      clearTimeout(timer);
      if (keep && !this.closed) {
        this.idle.push(slot);
      } else {
        this.all.delete(slot);
        void slot.worker.terminate();
      }
    }
  }

  /** Posts one brief to a started worker and waits for its PDF. */
  private send(slot: Slot, data: PdfSource): Promise<Buffer> {
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      const onMessage = (msg: { id?: number; ok?: boolean; bytes?: Uint8Array; error?: string }) => {
        if (msg.id !== id) return;
        cleanup();
        if (msg.ok && msg.bytes) resolve(Buffer.from(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength));
        else reject(new PdfRenderError('failed', `The PDF could not be made: ${msg.error ?? 'unknown error'}`));
      };
      const onExit = () => {
        cleanup();
        reject(new PdfRenderError('failed', 'The PDF could not be made: its worker stopped.'));
      };
      const cleanup = () => {
        this.inWorker--;
        slot.worker.off('message', onMessage);
        slot.worker.off('exit', onExit);
      };
      slot.worker.on('message', onMessage);
      slot.worker.on('exit', onExit);
      this.inWorker++;
      slot.worker.postMessage({ id, data });
    });
  }
}

function spawn(): Slot {
  const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  // An idle worker must not keep the process alive.
  worker.unref();
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (msg: { ready?: boolean }) => {
      if (!msg.ready) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  // Errors after startup surface as 'exit', which a running job listens for.
  worker.on('error', () => {});
  return { worker, ready };
}

/**
 * What a PDF shows, as a hash: everything in the brief but the moment of export,
 * so the same board, names choice and scope (participant or full) hit the same
 * entry, and any change to the board, the control state or the roster misses.
 */
function cacheKey(data: PdfSource): string {
  const { exportedAt: _exportedAt, ...shown } = data;
  return crypto.createHash('sha256').update(JSON.stringify(shown)).digest('base64url');
}
