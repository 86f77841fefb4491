// The browser tests drive Debian's Chromium. Install it when missing and we
// are root (CI, fresh machines); otherwise say in one line what to do.
import { execSync } from 'node:child_process';
import fs from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  if (process.getuid?.() === 0) {
    console.log('[howmight] installing Debian chromium for the browser tests…');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  } else {
    console.error(`Chromium not found at ${chromium}: run \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH), then npm test again.`);
    process.exit(1);
  }
}
