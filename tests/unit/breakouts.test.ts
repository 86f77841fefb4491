import { describe, expect, it } from 'vitest';
import { groupCount, openBreakoutsBody, suggestMixedGroups, type Person } from '../../shared/year/breakouts.ts';

const cohort = (sizes: Record<string, number>): Person[] =>
  Object.entries(sizes).flatMap(([c, n]) => Array.from({ length: n }, (_, i) => ({ id: `${c}${i + 1}`, communityId: c })));
const communityOf = (id: string) => id.replace(/\d+$/, '');

describe('mixed groups', () => {
  it('four communities of four into two groups of eight: two of each community in each group', () => {
    const groups = suggestMixedGroups(cohort({ a: 4, b: 4, c: 4, d: 4 }), 2);
    expect(groups.map((g) => g.length)).toEqual([8, 8]);
    for (const g of groups) for (const c of 'abcd') expect(g.filter((id) => communityOf(id) === c)).toHaveLength(2);
  });

  it('fifteen people into groups of at most eight: two groups, nobody left out, nobody twice', () => {
    const people = cohort({ a: 4, b: 4, c: 4, d: 3 });
    const groups = suggestMixedGroups(people, groupCount(people.length, 8));
    expect(groups.map((g) => g.length)).toEqual([8, 7]);
    expect(groups.flat().sort()).toEqual(people.map((p) => p.id).sort());
  });

  it('as many communities in each group as there are seats: four groups of four from four communities of four', () => {
    const groups = suggestMixedGroups(cohort({ a: 4, b: 4, c: 4, d: 4 }), 4);
    for (const g of groups) expect(new Set(g.map(communityOf)).size).toBe(4);
  });

  it('people in no community count as their own', () => {
    const groups = suggestMixedGroups([...cohort({ a: 3 }), { id: 'x', communityId: null }, { id: 'y', communityId: null }, { id: 'z', communityId: null }], 3);
    for (const g of groups) expect(g.filter((id) => id.startsWith('a'))).toHaveLength(1);
  });

  it('a member is in one group only', () => {
    const twice = openBreakoutsBody.safeParse({ groups: [{ name: 'A', memberIds: ['member1'] }, { name: 'B', memberIds: ['member1'] }] });
    expect(twice.success).toBe(false);
  });
});
