/**
 * Pairing for the assumption check: pairs, with a trio when the count is odd.
 * Pure functions; the server applies them to the people present.
 */
export type Groups = string[][];

/** Shuffles the people and pairs them; an odd one out joins the last pair. */
export function formPairs(people: readonly string[], random: () => number = Math.random): Groups {
  const shuffled = [...new Set(people)];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const groups: Groups = [];
  for (let i = 0; i + 1 < shuffled.length; i += 2) groups.push([shuffled[i]!, shuffled[i + 1]!]);
  if (shuffled.length % 2 === 1) {
    const last = shuffled.at(-1)!;
    if (groups.length > 0) groups.at(-1)!.push(last);
    else groups.push([last]);
  }
  return groups;
}

/** Places a late joiner: with someone alone, else splitting a trio, else making a trio. */
export function addToPairs(groups: Groups, person: string): Groups {
  if (groups.some((g) => g.includes(person))) return groups;
  const next = groups.map((g) => [...g]);
  const single = next.find((g) => g.length === 1);
  if (single) {
    single.push(person);
    return next;
  }
  const trio = next.find((g) => g.length >= 3);
  if (trio) {
    next.push([trio.pop()!, person]);
    return next;
  }
  const pair = next.find((g) => g.length === 2);
  if (pair) pair.push(person);
  else next.push([person]);
  return next;
}

/** Takes a leaver out; whoever is left alone is placed again as a late joiner would be. */
export function removeFromPairs(groups: Groups, person: string): Groups {
  if (!groups.some((g) => g.includes(person))) return groups;
  const next = groups.map((g) => g.filter((p) => p !== person)).filter((g) => g.length > 0);
  const aloneIndex = next.findIndex((g) => g.length === 1);
  if (aloneIndex < 0 || next.length === 1) return next;
  // Whoever is left alone is placed like a late joiner, so no group grows past three.
  const [alone] = next[aloneIndex]!;
  return addToPairs(next.filter((_, i) => i !== aloneIndex), alone!);
}

/** Brings existing groups in line with who is present. */
export function reconcilePairs(groups: Groups, present: readonly string[]): Groups {
  let next = groups;
  for (const person of groups.flat()) if (!present.includes(person)) next = removeFromPairs(next, person);
  for (const person of present) next = addToPairs(next, person);
  return next;
}

/** Moves someone into group `index` (an index past the end starts a new group). */
export function movePerson(groups: Groups, person: string, index: number): Groups {
  const next = groups.map((g) => g.filter((p) => p !== person));
  if (index >= next.length) next.push([person]);
  else next[index]!.push(person);
  return next.filter((g) => g.length > 0);
}

export function groupOf(groups: Groups, person: string): string[] | null {
  return groups.find((g) => g.includes(person)) ?? null;
}
