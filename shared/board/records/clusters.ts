import { z } from 'zod';
import type { CategoryId } from '../../protocol/categories.ts';
import { CATEGORY_IDS } from '../../protocol/categories.ts';
import { BoardError, type BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, text } from './fields.ts';
import type { noteSchema, Note } from './notes.ts';

export const CLUSTER_LIMITS = { clusterLabel: 60 } as const;

/**
 * A stack of notes in one category that say the same thing. The notes name
 * their cluster (`clusterId` on a note), so moving a note in or out is a change
 * to the note, which anyone may make. A cluster's category is fixed: a note
 * sorted into another category leaves its cluster. A cluster no note names is
 * empty, and is not shown.
 */
export const clusterSchema = z.object({
  ...base,
  label: text(CLUSTER_LIMITS.clusterLabel),
  category: z.enum(CATEGORY_IDS),
});
export type Cluster = z.infer<typeof clusterSchema>;

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ clusters: typeof clusterSchema; notes: typeof noteSchema }>;

/** Text as "the same words": trimmed, one space between words, case folded. */
export function normalizedText(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}

/** A new cluster's label: the first words of a note, within the label's limit. */
export function defaultClusterLabel(text: string, words = 5): string {
  const first = text.trim().split(/\s+/).slice(0, words).join(' ');
  if (first.length <= CLUSTER_LIMITS.clusterLabel) return first;
  return `${first.slice(0, CLUSTER_LIMITS.clusterLabel - 1).trimEnd()}…`;
}

/** The cluster a note is shown in: one that exists and is in the note's category, or none. */
export function liveClusterOf(note: Pick<Note, 'clusterId' | 'category'>, clusters: { get(id: string): Cluster | undefined }): Cluster | null {
  if (!note.clusterId || !note.category) return null;
  const cluster = clusters.get(note.clusterId);
  return cluster && cluster.category === note.category ? cluster : null;
}

export const clusters = {
  schema: clusterSchema,
  rule: {
    kind: 'note',
    creators: 'anyone',
    // The label is the group's, as a note's place is: anyone may rename a cluster.
    shared: ['label'],
    partnerFields: [],
    immutable: [...FIXED_FIELDS, 'category'],
    quota: 100,
  },
  commands: (board: Store) => {
    const stored = { get: (id: string) => board.get('clusters', id) ?? undefined };
    const clusterOf = (note: Note): Cluster | null => liveClusterOf(note, stored);
    const noteOrThrow = (id: string): Note => {
      const note = board.get('notes', id);
      if (!note) throw new BoardError('That note is gone.');
      return note;
    };
    const newCluster = (origin: BoardOrigin, category: CategoryId, label: string): string =>
      board.insert('clusters', origin, { authorId: origin.actor, label: defaultClusterLabel(label), category, createdAt: Date.now() });
    /** A cluster its writer made and no note names any more goes; someone else's stays, hidden, for its author. */
    const tidy = (origin: BoardOrigin, clusterId: string | null) => {
      if (!clusterId) return;
      const cluster = board.get('clusters', clusterId);
      if (!cluster || cluster.authorId !== origin.actor) return;
      if (board.list('notes').some((n) => n.clusterId === clusterId && n.category === cluster.category)) return;
      board.remove('clusters', origin, clusterId);
    };
    /** Puts a note into a cluster, and into the cluster's category with it. */
    const join = (origin: BoardOrigin, note: Note, cluster: Cluster) => {
      if (note.clusterId === cluster.id && note.category === cluster.category) return;
      const left = note.clusterId;
      board.update('notes', origin, note.id, { category: cluster.category, clusterId: cluster.id });
      if (left !== cluster.id) tidy(origin, left);
    };

    return {
      /**
       * Stacks a note onto another (dropped on it, or "Group with…"): into the
       * target's cluster, or a new one labelled with the target's first words.
       * Returns the cluster's id.
       */
      groupNotes(origin: BoardOrigin, noteId: string, targetId: string): string {
        if (noteId === targetId) throw new BoardError('A note cannot be grouped with itself.');
        const note = noteOrThrow(noteId);
        const target = noteOrThrow(targetId);
        if (!target.category) throw new BoardError('Sort a note into a category before grouping with it.');
        const category = target.category;
        let clusterId = '';
        board.transact(origin, () => {
          const existing = clusterOf(target);
          if (existing) {
            join(origin, note, existing);
            clusterId = existing.id;
            return;
          }
          clusterId = newCluster(origin, category, target.text);
          const cluster = board.get('clusters', clusterId)!;
          join(origin, target, cluster);
          join(origin, noteOrThrow(noteId), cluster);
        });
        return clusterId;
      },

      /** Puts a note into an existing cluster (and the cluster's category). */
      addToCluster(origin: BoardOrigin, noteId: string, clusterId: string): void {
        const note = noteOrThrow(noteId);
        const cluster = board.get('clusters', clusterId);
        if (!cluster) throw new BoardError('That cluster is gone.');
        board.transact(origin, () => join(origin, note, cluster));
      },

      /** Takes a note out of its cluster; it stays in its category. */
      ungroupNote(origin: BoardOrigin, noteId: string): void {
        const note = noteOrThrow(noteId);
        if (!note.clusterId) return;
        board.transact(origin, () => {
          board.update('notes', origin, noteId, { clusterId: null });
          tidy(origin, note.clusterId);
        });
      },

      /** Anyone may rename any cluster. */
      renameCluster(origin: BoardOrigin, clusterId: string, label: string): void {
        const trimmed = label.replace(/\s+/g, ' ').trim();
        if (trimmed.length > CLUSTER_LIMITS.clusterLabel) throw new BoardError(`A cluster's label holds at most ${CLUSTER_LIMITS.clusterLabel} characters.`);
        board.update('clusters', origin, clusterId, { label: trimmed });
      },

      /**
       * Stacks the notes of a category that say exactly the same thing (same
       * words, whatever the case and spacing) into one cluster each. No note is
       * deleted or changed: merging is grouping, and "Take out" undoes it per
       * note. Duplicates already in a cluster bring the others into theirs;
       * a note in another cluster stays where someone put it.
       */
      mergeDuplicates(origin: BoardOrigin, category: CategoryId): { clusters: number; notes: number } {
        const inCategory = board.list('notes').filter((n) => n.category === category);
        const groups = new Map<string, Note[]>();
        for (const note of inCategory) {
          const key = normalizedText(note.text);
          if (!key) continue;
          groups.set(key, [...(groups.get(key) ?? []), note]);
        }
        let stacked = 0;
        let clustersTouched = 0;
        board.transact(origin, () => {
          for (const group of groups.values()) {
            if (group.length < 2) continue;
            const home = group.map(clusterOf).find((c) => c !== null) ?? null;
            const loose = group.filter((n) => clusterOf(n) === null);
            if (loose.length === 0 || (!home && loose.length < 2)) continue;
            const cluster = home ?? board.get('clusters', newCluster(origin, category, loose[0]!.text))!;
            for (const note of loose) join(origin, note, cluster);
            stacked += loose.length;
            clustersTouched++;
          }
        });
        return { clusters: clustersTouched, notes: stacked };
      },
    };
  },
} satisfies RecordType<Store>;
