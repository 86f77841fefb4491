import { STORY_LABELS } from '../../shared/export/labels.ts';

/**
 * What this device wrote that the server does not have: after a refused
 * update the browser starts afresh from the server's copy, and these are the
 * words it must not silently drop. Pure, so it is tested without a browser.
 */

/** A record as read through the typed wrappers: an id, its author, its fields. */
export interface PlainRecord {
  id: string;
  authorId: string;
  [field: string]: unknown;
}

/** Collection name → records, for one document. */
export type Snapshot = Readonly<Record<string, readonly PlainRecord[]>>;

export interface NotTakenItem {
  collection: string;
  /** What it is, in words a participant knows ("Note", "Your story"). */
  label: string;
  /** The words themselves, ready to copy. */
  text: string;
  /** The local record as it was, so "Try again" can write it once more. */
  record: PlainRecord;
}

/** Fields that hold someone's words; positions, categories and votes are cheap to redo. */
export const TEXT_FIELDS = ['text', 'who', 'what', 'did', 'ended', 'action', 'notice', 'partner'] as const;

const FIELD_NAMES: Readonly<Record<string, string>> = {
  ...STORY_LABELS,
  action: 'What I will try',
  notice: 'How I will notice',
  partner: 'Peer partner',
};

const LABELS: Readonly<Record<string, string>> = {
  norms: 'Norm',
  hopes: 'Hope',
  stories: 'Your story',
  needs: 'Need',
  assumptions: 'Assumption',
  notes: 'Note',
  questions: 'Question',
  commitments: 'Commitment',
  storyDrafts: 'Your story draft',
  causeDrafts: 'Root cause note',
};

/**
 * Records authored by `actor` whose words are on this device but not on the
 * server: missing there, or with a text field that differs. Empty records
 * (a note added and never typed in) are left out: there is nothing to lose.
 */
export function notTaken(local: Snapshot, server: Snapshot, actor: string): NotTakenItem[] {
  const items: NotTakenItem[] = [];
  for (const [collection, records] of Object.entries(local)) {
    const theirs = new Map((server[collection] ?? []).map((r) => [r.id, r]));
    for (const record of records) {
      if (record.authorId !== actor) continue;
      const fields = TEXT_FIELDS.filter((f) => typeof record[f] === 'string');
      if (!fields.some((f) => (record[f] as string).trim() !== '')) continue;
      const copy = theirs.get(record.id);
      if (copy && fields.every((f) => copy[f] === record[f])) continue;
      items.push({ collection, label: LABELS[collection] ?? collection, text: wordsOf(record, fields), record });
    }
  }
  return items;
}

/** One field is shown as it is; several are labelled, one per line. */
function wordsOf(record: PlainRecord, fields: readonly string[]): string {
  const filled = fields.filter((f) => (record[f] as string).trim() !== '');
  if (fields.length === 1) return record[fields[0]!] as string;
  return filled.map((f) => `${FIELD_NAMES[f] ?? f}: ${record[f] as string}`).join('\n');
}
