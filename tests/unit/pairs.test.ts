import { describe, expect, it } from 'vitest';
import {
  addToPairs,
  formPairs,
  groupOf,
  movePerson,
  reconcilePairs,
  removeFromPairs,
  type Groups,
} from '../../shared/protocol/pairs.ts';

const people = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);
const sizes = (groups: Groups) => groups.map((g) => g.length).sort((a, b) => a - b);
const everyone = (groups: Groups) => groups.flat().sort();

/** A seeded generator, so a failing shuffle can be replayed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The shape PROTOCOL.md asks for: everyone present placed exactly once,
 * nobody absent, pairs, one trio only when the count is odd, and a group of
 * one only when one person is there.
 */
function expectWellFormed(groups: Groups, present: readonly string[]): void {
  expect(everyone(groups)).toEqual([...present].sort());
  const n = present.length;
  if (n === 0) return expect(groups).toEqual([]);
  if (n === 1) return expect(groups).toEqual([[present[0]]]);
  const expected = [...Array<number>(Math.floor(n / 2) - (n % 2)).fill(2), ...(n % 2 ? [3] : [])];
  expect(sizes(groups)).toEqual(expected.sort((a, b) => a - b));
}

describe('formPairs', () => {
  const cases = [
    { n: 0, sizes: [] },
    { n: 1, sizes: [1] },
    { n: 2, sizes: [2] },
    { n: 3, sizes: [3] },
    { n: 7, sizes: [2, 2, 3] },
    { n: 8, sizes: [2, 2, 2, 2] },
  ];

  it.each(cases)('$n people -> groups of $sizes, everyone once', ({ n, sizes: expected }) => {
    for (let seed = 1; seed <= 20; seed++) {
      const groups = formPairs(people(n), seeded(seed));
      expect(sizes(groups)).toEqual(expected);
      expect(everyone(groups)).toEqual(people(n).sort());
      expectWellFormed(groups, people(n));
    }
  });

  it('makes a trio only when the count is odd', () => {
    for (let n = 0; n <= 16; n++) {
      const trios = formPairs(people(n), seeded(n)).filter((g) => g.length === 3);
      expect(trios, `${n} people`).toHaveLength(n % 2 === 1 && n >= 3 ? 1 : 0);
    }
  });

  it('places someone listed twice only once', () => {
    expect(sizes(formPairs(['a', 'a', 'b']))).toEqual([2]);
    expect(everyone(formPairs(['a', 'b', 'a', 'c', 'b']))).toEqual(['a', 'b', 'c']);
  });

  it('shuffles with the random source it is given (a reshuffle can give new partners)', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      seen.add(JSON.stringify(formPairs(people(4), seeded(seed)).map((g) => [...g].sort()).sort()));
    }
    // 4 people can be paired 3 ways; a fixed pairing would show only one.
    expect(seen.size).toBe(3);
    expect(formPairs(people(6), seeded(7))).toEqual(formPairs(people(6), seeded(7)));
  });

  it('does not change the list it is given', () => {
    const list = people(5);
    formPairs(list, seeded(3));
    expect(list).toEqual(people(5));
  });
});

describe('addToPairs (late joiners)', () => {
  const cases: Array<{ name: string; groups: Groups; joiner: string; sizes: number[]; partnerOf?: string }> = [
    { name: 'nobody yet', groups: [], joiner: 'e', sizes: [1] },
    { name: 'someone alone', groups: [['a']], joiner: 'e', sizes: [2], partnerOf: 'a' },
    { name: 'one pair', groups: [['a', 'b']], joiner: 'e', sizes: [3] },
    { name: 'a pair and a trio', groups: [['a', 'b'], ['c', 'd', 'x']], joiner: 'e', sizes: [2, 2, 2] },
    { name: 'two pairs', groups: [['a', 'b'], ['c', 'd']], joiner: 'e', sizes: [2, 3] },
    { name: 'a trio only', groups: [['a', 'b', 'c']], joiner: 'e', sizes: [2, 2] },
  ];

  it.each(cases)('$name: the joiner is placed once, groups $sizes', ({ groups, joiner, sizes: expected, partnerOf }) => {
    const before = structuredClone(groups);
    const next = addToPairs(groups, joiner);
    expect(sizes(next)).toEqual(expected);
    expect(everyone(next)).toEqual([...before.flat(), joiner].sort());
    if (partnerOf) expect(groupOf(next, joiner)).toContain(partnerOf);
    expect(groups).toEqual(before);
  });

  it('someone already placed stays where they are', () => {
    const groups = [['a', 'b'], ['c', 'd']];
    expect(addToPairs(groups, 'c')).toEqual(groups);
  });

  it('joiners one by one keep the groups well formed', () => {
    let groups = formPairs(people(3), seeded(1));
    const present = people(3);
    for (const joiner of ['j1', 'j2', 'j3', 'j4', 'j5']) {
      groups = addToPairs(groups, joiner);
      present.push(joiner);
      expectWellFormed(groups, present);
    }
  });
});

describe('removeFromPairs (leavers)', () => {
  it('a trio that loses someone becomes a pair', () => {
    expect(removeFromPairs([['a', 'b'], ['c', 'd', 'e']], 'e')).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('leaving a pair leaves the partner alone, who then joins another group', () => {
    const next = removeFromPairs([['a', 'b'], ['c', 'd']], 'a');
    expect(groupOf(next, 'a')).toBeNull();
    expect(groupOf(next, 'b')).toEqual(expect.arrayContaining(['b', 'c', 'd']));
    expect(sizes(next)).toEqual([3]);
    expectWellFormed(next, ['b', 'c', 'd']);
  });

  it('with several pairs the one left alone makes a single trio', () => {
    const next = removeFromPairs([['a', 'b'], ['c', 'd'], ['e', 'f']], 'c');
    expectWellFormed(next, ['a', 'b', 'd', 'e', 'f']);
    expect(groupOf(next, 'd')).toHaveLength(3);
  });

  it('leaving a pair when the only other group is a trio gives two pairs, not a group of four', () => {
    const next = removeFromPairs([['a', 'b'], ['c', 'd', 'e']], 'a');
    expectWellFormed(next, ['b', 'c', 'd', 'e']);
  });

  it('the last pair losing someone leaves one person alone', () => {
    expect(removeFromPairs([['a', 'b']], 'a')).toEqual([['b']]);
    expect(removeFromPairs([['b']], 'b')).toEqual([]);
  });

  it('someone not in any group changes nothing', () => {
    const groups = [['a', 'b']];
    expect(removeFromPairs(groups, 'z')).toEqual([['a', 'b']]);
  });

  it('does not change the groups it is given', () => {
    const groups = [['a', 'b'], ['c', 'd']];
    removeFromPairs(groups, 'a');
    expect(groups).toEqual([['a', 'b'], ['c', 'd']]);
  });
});

/** Partners who are all still here stay in one group (a newcomer may join them). */
function expectTogether(groups: Groups, ...partners: string[][]): void {
  for (const group of partners) expect(groupOf(groups, group[0]!)).toEqual(expect.arrayContaining(group));
}

describe('reconcilePairs', () => {
  it('adds people who arrived and removes people who left', () => {
    const next = reconcilePairs([['a', 'b'], ['c', 'd']], ['a', 'b', 'c', 'd', 'e']);
    expectWellFormed(next, ['a', 'b', 'c', 'd', 'e']);
    expectTogether(next, ['a', 'b'], ['c', 'd']);

    const after = reconcilePairs([['a', 'b'], ['c', 'd']], ['b', 'c', 'd']);
    expectWellFormed(after, ['b', 'c', 'd']);
  });

  it('keeps existing pairs that are still complete', () => {
    const groups = [['a', 'b'], ['c', 'd'], ['e', 'f']];
    const next = reconcilePairs(groups, ['a', 'b', 'c', 'd', 'e']);
    expectTogether(next, ['a', 'b'], ['c', 'd']);
    expect(groupOf(next, 'f')).toBeNull();
    expectWellFormed(next, ['a', 'b', 'c', 'd', 'e']);
  });

  it('empties when everyone has gone, and is unchanged when nobody moved', () => {
    expect(reconcilePairs([['a', 'b'], ['c', 'd']], [])).toEqual([]);
    const groups = [['a', 'b'], ['c', 'd', 'e']];
    expect(reconcilePairs(groups, ['e', 'd', 'c', 'b', 'a'])).toEqual(groups);
  });

  it('stays well formed through a meeting’s worth of arrivals and departures', () => {
    const random = seeded(42);
    const pool = people(12);
    let present = pool.slice(0, 6);
    let groups = formPairs(present, random);
    for (let round = 0; round < 200; round++) {
      const who = pool[Math.floor(random() * pool.length)]!;
      present = present.includes(who) ? present.filter((p) => p !== who) : [...present, who];
      groups = reconcilePairs(groups, present);
      expectWellFormed(groups, present);
    }
  });
});

describe('movePerson', () => {
  it('moves someone into another group', () => {
    expect(movePerson([['a', 'b'], ['c', 'd']], 'a', 1)).toEqual([['b'], ['c', 'd', 'a']]);
  });

  it('an index past the end starts a new group', () => {
    expect(movePerson([['a', 'b', 'c'], ['d', 'e']], 'c', 2)).toEqual([['a', 'b'], ['d', 'e'], ['c']]);
    expect(movePerson([['a', 'b', 'c'], ['d', 'e']], 'c', 99)).toEqual([['a', 'b'], ['d', 'e'], ['c']]);
  });

  it('indexes count the groups as they were before the move', () => {
    // 'a' leaves group 0, which empties; group 2 is still ['e', 'f'].
    expect(movePerson([['a'], ['b', 'c'], ['e', 'f']], 'a', 2)).toEqual([['b', 'c'], ['e', 'f', 'a']]);
  });

  it('places someone who was in no group yet', () => {
    expect(movePerson([['a', 'b']], 'z', 0)).toEqual([['a', 'b', 'z']]);
  });

  it('never places anyone twice', () => {
    const next = movePerson([['a', 'b'], ['c', 'd']], 'c', 1);
    expect(everyone(next)).toEqual(['a', 'b', 'c', 'd']);
    expect(groupOf(next, 'c')).toEqual(['d', 'c']);
  });
});

describe('groupOf', () => {
  it('finds someone’s group, or null', () => {
    const groups = [['a', 'b'], ['c', 'd', 'e']];
    expect(groupOf(groups, 'd')).toEqual(['c', 'd', 'e']);
    expect(groupOf(groups, 'z')).toBeNull();
  });
});
