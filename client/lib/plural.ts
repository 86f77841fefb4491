/**
 * The word for a count: `noun(1, 'note')` is "note", `noun(2, 'note')` is
 * "notes"; irregular words name their plural (`noun(n, 'story', 'stories')`).
 * One place for it, so no screen says "1 assumptions checked".
 */
export function noun(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** The count and its word: `plural(1, 'vote')` is "1 vote", `plural(0, 'vote')` is "0 votes". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${noun(count, one, many)}`;
}
