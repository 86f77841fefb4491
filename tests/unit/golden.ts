import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const DIR = path.join(import.meta.dirname, 'golden');

/**
 * Compares `actual` with tests/unit/golden/<name>. Run with UPDATE_GOLDEN=1 to
 * rewrite the file after an intended change, then read the diff before keeping it.
 */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(file, actual);
  }
  if (!fs.existsSync(file)) throw new Error(`No golden file ${name}: run with UPDATE_GOLDEN=1 to write it.`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}
