import { z } from 'zod';

/**
 * The practice log (YEAR.md 5): what a member tried between meetings, one
 * entry per try, each following up a commitment. Entries are the author's;
 * each one's visibility is the author's choice and private by default. The
 * server keeps the audience rule below; the browser only shows it.
 */

export const VISIBILITIES = ['private', 'peer', 'community', 'cohort'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const VISIBILITY_LABELS: Readonly<Record<Visibility, string>> = {
  private: 'Only me',
  peer: 'My peer partner',
  community: 'My community',
  cohort: 'The whole cohort',
};

export const DECISIONS = ['adopt', 'adapt', 'abandon'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DECISION_LABELS: Readonly<Record<Decision, string>> = {
  adopt: 'Adopt: keep doing it as it is',
  adapt: 'Adapt: change it and try again',
  abandon: 'Abandon: stop, and try something else',
};

/** An entry's written fields, in the order they are read, with the words every screen and file labels them by. */
export const LOG_FIELDS = [
  ['tried', 'What I tried'],
  ['what', 'What happened'],
  ['actual', 'Against my prediction'],
  ['soWhat', 'So what'],
  ['nowWhat', 'Now what'],
] as const;
export type LogField = (typeof LOG_FIELDS)[number][0];

/** The filled fields of an entry, as [label, text] to list. */
export function filledFields(entry: Readonly<Record<LogField, string>>): Array<[string, string]> {
  return LOG_FIELDS.filter(([key]) => entry[key].trim()).map(([key, label]) => [label, entry[key]]);
}

/** What an author wrote in an entry: its fields and decision, as every copy of it (the reader's view, the practice round's card) carries them. */
export type Written = Readonly<Record<LogField, string>> & { readonly decision: Decision | null };

export function writtenOf(e: Written): Written {
  return { tried: e.tried, what: e.what, soWhat: e.soWhat, nowWhat: e.nowWhat, actual: e.actual, decision: e.decision };
}

export const LIMITS_LOG = {
  /** Each of the W³ fields. */
  fieldChars: 2000,
  noteChars: 1000,
  entriesPerMember: 300,
  notesPerEntry: 40,
} as const;

const id = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/, 'not an id');
const field = (name: string) => z.string({ error: `${name} must be text` }).max(LIMITS_LOG.fieldChars, `${name} must be at most ${LIMITS_LOG.fieldChars} characters`);

/**
 * An entry as its author saves it (PUT, idempotent on the entry id the
 * browser chose, so a save retried after a dropped connection or from the
 * offline outbox stores it once). `editedAt` is the author's clock at the
 * edit: of two devices' saves of one entry, the later edit wins.
 */
export const logEntryBody = z
  .object({
    commitmentId: id.nullable().default(null),
    tried: field('What you tried'),
    what: field('What happened'),
    soWhat: field('So what'),
    nowWhat: field('Now what'),
    actual: field('What actually happened'),
    decision: z.enum(DECISIONS, { error: 'decision must be adopt, adapt or abandon' }).nullable().default(null),
    visibility: z.enum(VISIBILITIES, { error: `visibility must be one of ${VISIBILITIES.join(', ')}` }).default('private'),
    peerId: id.nullable().default(null),
    editedAt: z.number().int().positive(),
  })
  .refine((e) => e.visibility !== 'peer' || e.peerId !== null, { message: 'choose the peer partner to share it with', path: ['peerId'] })
  .refine((e) => [e.tried, e.what, e.soWhat, e.nowWhat, e.actual].some((t) => t.trim() !== ''), { message: 'write something first', path: ['what'] });
export type LogEntryBody = z.output<typeof logEntryBody>;
export type LogEntryInput = z.input<typeof logEntryBody>;

export const peerNoteBody = z.object({
  text: z.string().trim().min(1, 'write the note first').max(LIMITS_LOG.noteChars, `a note must be at most ${LIMITS_LOG.noteChars} characters`),
});

export const markSeenBody = z.object({ ids: z.array(id).max(500) });

/** Who is looking: a member of the cohort, in a community or not yet. */
export interface Viewer {
  memberId: string;
  communityId: string | null;
}

/** What the audience rule needs to know of an entry: its author's place and the author's choice. */
export interface Audience {
  authorId: string;
  /** The author's community now: a member moved to another community shares with the new one. */
  authorCommunityId: string | null;
  visibility: Visibility;
  peerId: string | null;
}

/**
 * Whether `viewer` may receive an entry. The author always; a peer entry its
 * named partner; a community entry the author's community; a cohort entry
 * every member. Staff are not members: what they see goes through
 * `staffMaySee` and `activityOf`.
 */
export function canSee(entry: Audience, viewer: Viewer): boolean {
  if (viewer.memberId === entry.authorId) return true;
  switch (entry.visibility) {
    case 'private':
      return false;
    case 'peer':
      return entry.peerId === viewer.memberId;
    case 'community':
      return entry.authorCommunityId !== null && entry.authorCommunityId === viewer.communityId;
    case 'cohort':
      return true;
  }
}

/** The facilitators see an entry's text only once its author shared it with the community or wider (YEAR.md 7). */
export function staffMaySee(visibility: Visibility): boolean {
  return visibility === 'community' || visibility === 'cohort';
}

/** Shown in a meeting's log round: the community's or the cohort's, nothing narrower. */
export const inLogRound = staffMaySee;

/** Each viewer among `viewers` who may receive the entry. */
export function audienceOf(entry: Audience, viewers: readonly Viewer[]): string[] {
  return viewers.filter((v) => canSee(entry, v)).map((v) => v.memberId);
}

/** The commitment an entry follows, as far as "adapt" needs it. */
export interface CommitmentSeed {
  action: string;
  notice: string;
  partner: string;
}

/**
 * "Adapt" opens the next commitment pre-filled (YEAR.md 5): the next thing to
 * try is the entry's "now what" (or, left blank, the same action again), the
 * prediction stays to be checked again, and the partner stays.
 */
export function nextCommitmentDraft(entry: Pick<LogEntryBody, 'nowWhat' | 'tried'>, from: CommitmentSeed | null): CommitmentSeed {
  const next = entry.nowWhat.trim() || entry.tried.trim() || from?.action || '';
  return { action: next.slice(0, LIMITS_LOG.fieldChars), notice: from?.notice ?? '', partner: from?.partner ?? '' };
}

/** A note on an entry, from someone it was shared with (or its author); its author and the entry's read it. */
export interface PeerNoteView {
  id: string;
  entryId: string;
  authorId: string;
  /** The note author's name; null for a member since removed. */
  authorName: string | null;
  text: string;
  createdAt: number;
  /** Not yet seen by the reader (the entry's author). */
  isNew: boolean;
}

export interface LogEntryView {
  id: string;
  authorId: string;
  authorName: string;
  commitmentId: string | null;
  /** The commitment it follows: what was planned and predicted (read-only here). */
  commitment: { action: string; notice: string } | null;
  tried: string;
  what: string;
  soWhat: string;
  nowWhat: string;
  actual: string;
  decision: Decision | null;
  visibility: Visibility;
  peerId: string | null;
  peerName: string | null;
  createdAt: number;
  updatedAt: number;
  editedAt: number;
  /** When it first reached someone beyond its author (or was last widened); null while private. */
  sharedAt: number | null;
  /** Notes the reader may read: all of them for the author, the reader's own otherwise. */
  notes: PeerNoteView[];
  /** Shared with the reader since they last looked. */
  isNew: boolean;
}

/** A member's log: their own entries and what others shared with them, newest first. */
export interface MyLog {
  mine: LogEntryView[];
  sharedWithMe: LogEntryView[];
  /** Members I can name as my peer partner (my cohort, me left out), my community's first. */
  peers: Array<{ id: string; name: string; sameCommunity: boolean }>;
}

/** What the facilitator sees of a community's log: who logged since its last meeting, never what. */
export interface LogActivity {
  communityId: string | null;
  /** The last meeting held (finished, or started before now); null before the first. */
  since: string | null;
  members: Array<{ memberId: string; name: string; entries: number; lastAt: number | null; sharedWithCommunity: number }>;
}

/** The socket.io namespace that tells a member's open home page what reached them. */
export const YEAR_NAMESPACE = '/year';

export interface YearServerEvents {
  /** An entry the member may now see (new, changed or widened). */
  'log:entry': (entry: LogEntryView) => void;
  /** An entry the member may no longer see (narrowed, deleted, or its author removed). */
  'log:withdrawn': (entry: { id: string }) => void;
  /** A note on one of the member's entries. */
  'log:note': (note: PeerNoteView) => void;
  problem: (problem: { code: string; message: string }) => void;
}

export type YearClientEvents = Record<string, never>;
