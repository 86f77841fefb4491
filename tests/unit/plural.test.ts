import { describe, expect, it } from 'vitest';
import { noun, plural } from '../../client/lib/plural.ts';

describe('plural', () => {
  it.each([
    [0, 'note', undefined, '0 notes'],
    [1, 'note', undefined, '1 note'],
    [2, 'note', undefined, '2 notes'],
    [1, 'assumption checked', 'assumptions checked', '1 assumption checked'],
    [3, 'assumption checked', 'assumptions checked', '3 assumptions checked'],
    [1, 'story shared', 'stories shared', '1 story shared'],
    [2, 'story shared', 'stories shared', '2 stories shared'],
    [1, 'person', 'people', '1 person'],
    [7, 'person', 'people', '7 people'],
  ])('%i %s', (count, one, many, expected) => {
    expect(plural(count, one, many)).toBe(expected);
    expect(noun(count, one, many)).toBe(expected.slice(String(count).length + 1));
  });
});
