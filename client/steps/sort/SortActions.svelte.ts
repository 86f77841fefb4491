import { tick } from 'svelte';
import { liveClusterOf, type Cluster, type Note } from '../../../shared/board/schema.ts';
import { CATEGORIES, type CategoryId } from '../../../shared/protocol/categories.ts';
import type { LiveBoard } from '../../lib/board.svelte.ts';
import { plural } from '../../lib/plural.ts';
import type { Column } from './columnItems.ts';

export const columnTitle = (column: Column): string => (column === 'tray' ? 'Unsorted' : CATEGORIES[column].title);

const short = (text: string) => (text.length > 60 ? `${text.slice(0, 59).trimEnd()}…` : text);

/**
 * The sort step's actions on the board: each runs one Board command as this
 * browser's actor (so undo takes it back), and says what it did for a screen
 * reader in `announcement`. A refused command says nothing here; the board
 * shows its refusal.
 */
export class SortActions {
  announcement = $state('');

  constructor(
    private readonly board: LiveBoard,
    private readonly clusters: () => ReadonlyMap<string, Cluster>,
  ) {}

  /** The note's cluster, if it names one of its own category. */
  clusterOf(note: Note): Cluster | null {
    return liveClusterOf(note, this.clusters());
  }

  /** Moves a note to a column; with `copy`, a sorted note also goes into a second category. */
  sort = (note: Note, column: Column, copy = false): boolean => {
    let done: unknown;
    if (column === 'tray') done = this.board.act((b, o) => (b.sortNote(o, note.id, null), true));
    else if (copy && note.category && note.category !== column) done = this.board.act((b, o) => b.duplicateNote(o, note.id, column));
    else done = this.board.act((b, o) => (b.sortNote(o, note.id, column), true));
    if (done === undefined) return false;
    this.announcement = `${copy ? 'Copied' : 'Moved'} “${short(note.text)}” to ${columnTitle(column)}.`;
    return true;
  };

  /** Stacks a note onto another; a new cluster's label is focused for naming. */
  group = async (note: Note, targetId: string): Promise<void> => {
    const target = this.board.notes.find((n) => n.id === targetId);
    if (!target) return;
    const fresh = this.clusterOf(target) === null;
    const clusterId = this.board.act((b, o) => b.groupNotes(o, note.id, targetId));
    if (!clusterId) return;
    const label = this.clusters().get(clusterId)?.label ?? this.board.lists.clusters.find((c) => c.id === clusterId)?.label ?? '';
    this.announcement = fresh
      ? `Grouped “${short(note.text)}” with “${short(target.text)}” in a new cluster. Give it a label.`
      : `Added “${short(note.text)}” to the cluster “${label}”.`;
    if (fresh) await focusLabel(clusterId);
  };

  join = (note: Note, clusterId: string): void => {
    const cluster = this.clusters().get(clusterId);
    if (this.board.act((b, o) => (b.addToCluster(o, note.id, clusterId), true))) {
      this.announcement = `Added “${short(note.text)}” to the cluster “${cluster?.label ?? ''}”.`;
    }
  };

  ungroup = (note: Note): void => {
    const cluster = this.clusterOf(note);
    if (this.board.act((b, o) => (b.ungroupNote(o, note.id), true))) {
      this.announcement = `Took “${short(note.text)}” out of the cluster “${cluster?.label ?? ''}”.`;
    }
  };

  /** Saves a label typed into `input`; a refused one puts the old label back. */
  rename = (cluster: Cluster, input: HTMLTextAreaElement): void => {
    const label = input.value;
    if (label.trim() === cluster.label) return;
    if (this.board.act((b, o) => (b.renameCluster(o, cluster.id, label), true))) this.announcement = `Cluster renamed “${label.trim()}”.`;
    else input.value = cluster.label;
  };

  mergeDuplicates = (category: CategoryId): void => {
    const result = this.board.act((b, o) => b.mergeDuplicates(o, category));
    if (!result) return;
    this.announcement =
      result.notes === 0
        ? `No exact duplicates in ${columnTitle(category)}.`
        : `Stacked ${plural(result.notes, 'duplicate note')} into ${plural(result.clusters, 'cluster')} in ${columnTitle(category)}.`;
  };
}

async function focusLabel(clusterId: string): Promise<void> {
  await tick();
  const input = document.querySelector<HTMLTextAreaElement>(`[data-cluster-label="${CSS.escape(clusterId)}"]`);
  input?.focus();
  input?.select();
}
