import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../server/http/jsonDepth.ts';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('nestsDeeperThan', () => {
  it.each([
    ['{}', 1],
    ['[[1],{"a":[2]}]', 3],
    ['{"a":{"b":{"c":[]}}}', 4],
    // Brackets inside strings, escaped quotes and backslashes do not count.
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[[[","b":"\\\\"}', 1],
    ['["\\\\\\"[[[["]', 1],
    ['{"名前":"[ü]","b":[]}', 2],
  ])('measures %s as %i deep', (json, depth) => {
    expect(nestsDeeperThan(bytes(json), depth)).toBe(false);
    expect(nestsDeeperThan(bytes(json), depth - 1)).toBe(true);
  });

  it('stops at the first level too many of a huge body', () => {
    const huge = bytes('['.repeat(2_000_000) + ']'.repeat(2_000_000));
    expect(nestsDeeperThan(huge, 32)).toBe(true);
  });
});
