import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import express, { type ErrorRequestHandler } from 'express';
import type { TrustProxy } from '../config.ts';
import type { Refusal } from './originCheck.ts';
import { apiRouter, type ApiDeps } from './apiRouter.ts';
import { diagnostics } from './diagnostics.ts';
import { exportRouter, type ExportDeps } from './exportRouter.ts';
import { securityHeaders } from './securityHeaders.ts';
import { CALENDAR_FEED_PREFIX } from './yearRouter.ts';
import { sendProblem } from './sendProblem.ts';

export interface HttpDeps extends ApiDeps, ExportDeps {
  clientDir: string;
  trustProxy: TrustProxy;
  logRequests: boolean;
  /** Host (DNS rebinding) and Origin check; see originCheck.ts. */
  checkRequest?: (req: IncomingMessage) => Refusal | null;
  log: (message: string) => void;
  /**
   * What /healthz reports beyond "the process answers": whether the database
   * answers (503 if not: this process can serve nothing new) and, with
   * several processes, whether the bus is up (degraded, not down: it still serves).
   */
  health?: () => Promise<{ database: 'ok' | 'unreachable'; bus: 'ok' | 'down' | 'none' }>;
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  if (deps.logRequests) {
    app.use((req, _res, next) => {
      // The path only: a query string may hold a secret. A calendar feed's path is its key.
      deps.log(`${req.method} ${loggedPath(req.path)}`);
      next();
    });
  }
  app.use(securityHeaders);
  app.get('/healthz', (_req, res, next) => {
    if (!deps.health) return void res.json({ ok: true });
    deps.health().then((health) => {
      const ok = health.database === 'ok';
      res.status(ok ? 200 : 503).json({ ok, ...health });
    }, next);
  });
  // After /healthz, which load balancers call by address rather than by name.
  if (deps.checkRequest) {
    const check = deps.checkRequest;
    app.use((req, res, next) => {
      const refusal = check(req);
      if (!refusal) return next();
      sendProblem(res, refusal.status, refusal.code, refusal.message);
    });
  }
  if (process.env.BENCH_DIAGNOSTICS === '1') app.get('/__diag', diagnostics);
  app.use('/api', exportRouter(deps));
  // Each route parses its own body, after its rate limit (apiRouter.ts).
  app.use('/api', apiRouter(deps));
  app.use(express.static(deps.clientDir, { index: false, maxAge: '1h' }));

  const indexFile = path.join(deps.clientDir, 'index.html');
  app.get(/^\/(?:$|j\/|s\/|c\/|m\/|cj\/)/, (_req, res) => {
    if (!fs.existsSync(indexFile)) {
      res.status(503).type('text').send('The client is not built yet. Run `npm run build` (npm start does it for you).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });

  app.use((_req, res) => {
    sendProblem(res, 404, 'not-found', 'Not found.');
  });

  const onError: ErrorRequestHandler = (err: { status?: number; type?: string; message?: string }, req, res, _next) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    const message =
      err.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON.'
        : err.type === 'entity.too.large'
          ? 'The request body is too large.'
          : status === 500
            ? 'Something went wrong on the server.'
            : (err.message ?? 'Bad request.');
    // Log the path only: query strings may hold secrets.
    if (status === 500) deps.log(`error on ${req.method} ${loggedPath(req.path)}: ${err.message ?? err}`);
    sendProblem(res, status, status === 500 ? 'failed' : status === 413 ? 'too-large' : 'invalid', message);
  };
  app.use(onError);
  return app;
}

/** A path as the log may show it: a calendar feed's key left out, however the path is cased (express routes it either way). */
function loggedPath(path: string): string {
  return path.toLowerCase().startsWith(CALENDAR_FEED_PREFIX) ? `${CALENDAR_FEED_PREFIX}…` : path;
}
