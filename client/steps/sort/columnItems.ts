import { liveClusterOf, normalizedText, type Cluster, type Note } from '../../../shared/board/schema.ts';
import type { CategoryId } from '../../../shared/protocol/categories.ts';
import { plural } from '../../lib/plural.ts';

/** A column of the sort board: a category, or the tray of notes not sorted yet. */
export type Column = CategoryId | 'tray';

/** What a sort column shows, in order: notes on their own, and clusters (stacks of notes) where their first note is. */
export type ColumnItem = { kind: 'note'; note: Note } | { kind: 'cluster'; cluster: Cluster; notes: Note[] };

export function columnItems(notes: readonly Note[], clusters: ReadonlyMap<string, Cluster>): ColumnItem[] {
  const items: ColumnItem[] = [];
  const stacks = new Map<string, Extract<ColumnItem, { kind: 'cluster' }>>();
  for (const note of notes) {
    const cluster = liveClusterOf(note, clusters);
    if (!cluster) {
      items.push({ kind: 'note', note });
      continue;
    }
    const stack = stacks.get(cluster.id);
    if (stack) {
      stack.notes.push(note);
      continue;
    }
    const item = { kind: 'cluster' as const, cluster, notes: [note] };
    stacks.set(cluster.id, item);
    items.push(item);
  }
  return items;
}

/** Notes "Merge duplicates" would stack: those with the same words as another note of the column, not yet in a cluster with it. */
export function mergeableDuplicates(notes: readonly Note[], clusters: ReadonlyMap<string, Cluster>): number {
  const groups = new Map<string, Note[]>();
  for (const note of notes) {
    const key = normalizedText(note.text);
    if (key) groups.set(key, [...(groups.get(key) ?? []), note]);
  }
  let count = 0;
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const loose = group.filter((n) => !liveClusterOf(n, clusters));
    const clustered = group.length - loose.length;
    if (loose.length >= 2 || (loose.length >= 1 && clustered >= 1)) count += loose.length;
  }
  return count;
}

/** "2 clusters · 5 notes", "1 note". */
export function columnSummary(items: readonly ColumnItem[], noteCount: number): string {
  const clusters = items.filter((i) => i.kind === 'cluster').length;
  const notes = plural(noteCount, 'note');
  return clusters === 0 ? notes : `${plural(clusters, 'cluster')} · ${notes}`;
}
