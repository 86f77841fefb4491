import { spawnSync } from 'node:child_process';

/**
 * Installs one of Debian's packages with apt-get, as root only (a non-root
 * caller gets false and says what to install). A failed install is retried
 * once after `apt-get update`: a fresh container has no package lists.
 * Test files run in parallel and may each need a package: apt-get runs
 * under one lock file (flock), so a second waits for the first rather than
 * failing on dpkg's lock. Returns whether apt-get reported success.
 */
export function installDebianPackage(name: string): boolean {
  if (!isRoot()) return false;
  const apt = (args: string[]) =>
    spawnSync('flock', [APT_LOCK, 'apt-get', ...args], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (apt(['install', '-y', '--no-install-recommends', name])) return true;
  apt(['update']);
  return apt(['install', '-y', '--no-install-recommends', name]);
}

const APT_LOCK = '/tmp/howmight-apt.lock';

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
