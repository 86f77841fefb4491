/**
 * A playlist's order after moving `id` to `position` (0 is the top; past the
 * end is the end). Pure, so the server decides it and a test can table it;
 * an id not in the list leaves the order as it was.
 */
export function moveInOrder(ids: readonly string[], id: string, position: number): string[] {
  const from = ids.indexOf(id);
  if (from < 0) return [...ids];
  const rest = ids.filter((other) => other !== id);
  const to = Math.max(0, Math.min(Math.trunc(position), rest.length));
  return [...rest.slice(0, to), id, ...rest.slice(to)];
}
