import { describe, expect, it } from 'vitest';
import { CURRENT_INSTRUMENT, FACETS, MIN_FLOOR } from '../../shared/year/pulseInstrument.ts';
import { aggregate, scoreOf, type StoredAnswer } from '../../shared/year/pulseResults.ts';

const items = CURRENT_INSTRUMENT.items;
const core = items.filter((i) => i.onByDefault);
/** Everyone answers every item with `value`, in `communityId`. */
const same = (value: number, communityId: string | null, count: number): StoredAnswer[] =>
  Array.from({ length: count }, () => ({ communityId, answers: Object.fromEntries(items.map((i) => [i.id, value])) }));

describe('scoring', () => {
  it('a reversed item counts 7 − x', () => {
    const reversed = items.find((i) => i.reversed)!;
    expect(scoreOf(reversed, 6)).toBe(1);
    expect(scoreOf(reversed, 1)).toBe(6);
    expect(scoreOf(core[0]!, 4)).toBe(4);
  });

  it('a facet averages each item over its respondents, then the items; n, spread and the share of 6s', () => {
    const answers: StoredAnswer[] = [
      { communityId: null, answers: { pre1: 2, pre2: 6 } },
      { communityId: null, answers: { pre1: 4 } },
      { communityId: null, answers: { pre1: 6, pre2: 6 } },
      { communityId: null, answers: { pre1: 3, pre2: 5 } },
      { communityId: null, answers: { pre2: 4 } },
    ];
    const { cohort } = aggregate(core, answers);
    // pre1: (2+4+6+3)/4 = 3.75; pre2: (6+6+5+4)/4 = 5.25; facet 4.5.
    expect(cohort.predictability).toMatchObject({ mean: 4.5, n: 5, strongly: 0.38 });
    // Person scores 4, 4, 6, 4, 4: sd = sqrt(3.2 / 4)
    expect(cohort.predictability!.sd).toBeCloseTo(Math.sqrt(0.8), 2);
    // Nobody answered any benevolence item: no figure.
    expect(cohort.benevolence).toBeNull();
  });

  it('an item turned off counts for nothing, its answers included', () => {
    const answers = [...same(5, null, 5)];
    expect(aggregate(core, answers).cohort.openness).toBeNull();
    const withOpenness = aggregate(items, answers).cohort.openness!;
    // opn1 5, opn2R 5 → 2: mean 3.5.
    expect(withOpenness.mean).toBe(3.5);
  });
});

describe('suppression on the server', () => {
  it('4 answers: nothing shown, not even the count; 5: shown', () => {
    const four = aggregate(core, same(4, null, 4));
    expect(four.respondents).toBeNull();
    expect(FACETS.map((f) => four.cohort[f])).toEqual(FACETS.map(() => null));
    expect(four.weakest).toBeNull();
    const five = aggregate(core, same(4, null, 5));
    expect(five.respondents).toBe(5);
    expect(five.cohort.benevolence).toMatchObject({ mean: 4, n: 5 });
  });

  it('a community of 4 answers rolls up into the cohort figure; one of 5 is shown when the rest is 5 or more', () => {
    // b (4) and e (3) are under the floor; together they are 7, so the cohort minus a and c gives neither away.
    const answers = [...same(6, 'a', 6), ...same(2, 'b', 4), ...same(3, 'c', 5), ...same(4, 'e', 3)];
    const results = aggregate(core, answers);
    expect(Object.keys(results.communities).sort()).toEqual(['a', 'c']);
    expect(results.communities.a!.benevolence).toMatchObject({ mean: 6, n: 6 });
    expect(results.communities.b).toBeUndefined();
    expect(results.cohort.benevolence!.n).toBe(18);
  });

  it('no figure gives a suppressed community away by subtraction: cohort minus the shown ones is never 1-4 people', () => {
    // a: 5, b: 4. Showing a and the cohort would give b (9 − 5 = 4) away, so a is held back too.
    const results = aggregate(core, [...same(6, 'a', 5), ...same(2, 'b', 4)]);
    expect(results.communities).toEqual({});
    expect(results.cohort.benevolence!.n).toBe(9);
    // a 5, b 4, c 5: b would be the cohort minus a and c, so the smaller of the two (a, on a tie its id) is held back.
    const three = aggregate(core, [...same(6, 'a', 5), ...same(2, 'b', 4), ...same(3, 'c', 5)]);
    expect(Object.keys(three.communities)).toEqual(['c']);
    // Answers from members in no community count the same way.
    const loose = aggregate(core, [...same(6, 'a', 5), ...same(2, null, 2)]);
    expect(loose.communities).toEqual({});
  });

  it('the floor can be raised, never lowered below 5', () => {
    expect(aggregate(core, same(4, null, 5), 6).respondents).toBeNull();
    expect(aggregate(core, same(4, null, 5), 2).floor).toBe(MIN_FLOOR);
    expect(aggregate(core, same(4, null, 5), 2).respondents).toBe(5);
  });

  it('the weakest facet is the lowest cohort mean', () => {
    const answers = same(5, null, 5).map((a) => ({ ...a, answers: { ...a.answers, pre1: 2, pre2: 3 } }));
    expect(aggregate(core, answers).weakest).toBe('predictability');
  });
});
