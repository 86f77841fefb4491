/** What every record carries that its place in a list depends on. */
export interface Ordered {
  readonly id: string;
  readonly authorId?: string;
  readonly createdAt?: number;
}

/**
 * The one order of records, the same on every device whatever the order in
 * which updates arrived: by createdAt (strictly increasing per author, see
 * DocCollections.insert), then by author, then by id. Plain code-unit
 * comparison, not localeCompare, so two browsers in different locales agree.
 */
export function byCreation(a: Ordered, b: Ordered): number {
  return (a.createdAt ?? 0) - (b.createdAt ?? 0) || compare(a.authorId ?? '', b.authorId ?? '') || compare(a.id, b.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
