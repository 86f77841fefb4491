import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

// The end-to-end tests run the real server (built client, fresh SQLite file)
// and drive Debian's Chromium; Playwright's own browser downloads are never used.
const port = Number(process.env.E2E_PORT ?? 4173);
// Workers load this file again; the environment carries the first run's directory to them.
process.env.HOWMIGHT_E2E_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'howmight-e2e-'));
const dataDir = process.env.HOWMIGHT_E2E_DIR;
export const serverLog = path.join(dataDir, 'server.log');

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx tsx server/main.ts > ${serverLog} 2>&1`,
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { PORT: String(port), DATA_DIR: dataDir, LOG_REQUESTS: '1' },
  },
});
