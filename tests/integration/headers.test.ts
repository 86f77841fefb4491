import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { cleanup, toClose } from './cleanup.ts';

/** A server with a small built client of its own, so HTML and static files are served. */
let server: RunningServer;
let base: string;
let clientDir: string;

beforeAll(async () => {
  clientDir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-client-'));
  const dir = clientDir;
  toClose(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(path.join(clientDir, 'assets'));
  await fs.writeFile(path.join(clientDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  await fs.writeFile(path.join(clientDir, 'assets', 'app.js'), 'console.log("hi")');
  const config = configFromEnv({});
  server = await startServer({ ...config, port: 0, host: '127.0.0.1', dataDir: path.join(clientDir, 'data'), clientDir });
  toClose(() => server.close());
  base = `http://127.0.0.1:${server.port}`;
  // One server for the whole file, closed after its last test.
  return cleanup;
});

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

const RESPONSES: Array<[string, string, RequestInit?]> = [
  ['the app page', '/'],
  ['a facilitator page', '/s/abc/facilitate'],
  ['a static script', '/assets/app.js'],
  ['an API answer', '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"Headers"}' }],
  ['an API error', '/api/nothing-here'],
  ['a bad JSON body', '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }],
  ['the health check', '/healthz'],
  ['an unknown path', '/nothing-here'],
];

describe('security headers', () => {
  it.each(RESPONSES)('%s has the CSP and the hardening headers', async (_what, url, init) => {
    const res = await fetch(base + url, init);
    expect(res.status).toBeLessThan(500);
    const csp = res.headers.get('content-security-policy') ?? '';
    const d = directives(csp);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('API answers, which carry tokens, are never cached', async () => {
    const res = await fetch(`${base}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"Cache"}' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('the app page is served as HTML with the policy', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
