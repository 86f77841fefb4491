import type * as Y from 'yjs';
import type { z } from 'zod';
import { MigrationSequence } from '../MigrationSequence.ts';
import type { DocSchema } from './migrateDoc.ts';
import { anonymousNotes } from './records/anonymousNotes.ts';
import { assumptions } from './records/assumptions.ts';
import { cards } from './records/cards.ts';
import { cardDrafts } from './records/cardDrafts.ts';
import { causeDrafts } from './records/causeDrafts.ts';
import { CLUSTER_LIMITS, clusters } from './records/clusters.ts';
import { commitments, COMMITMENT_LIMITS } from './records/commitments.ts';
import { focus } from './records/focus.ts';
import { TEXT_LIMITS } from './records/fields.ts';
import { hopes } from './records/hopes.ts';
import { logShares } from './records/logShares.ts';
import { needs } from './records/needs.ts';
import { norms } from './records/norms.ts';
import { BOARD_EXTENT, notes } from './records/notes.ts';
import { QUESTION_LIMITS, questions } from './records/questions.ts';
import { schemasOf } from './records/RecordType.ts';
import { stories, STORY_LIMITS } from './records/stories.ts';
import { storyDrafts } from './records/storyDrafts.ts';
import { votes } from './records/votes.ts';
import { draftsRef, encodeDocRef } from './DocRef.ts';

/**
 * The documents' layouts, composed from the record files in ./records (one
 * file per record type: schema, limits, write rule, commands). A new record
 * type is one new file and one line here. Only shared/board touches the
 * Y.Doc's maps; everything else goes through the Board and PrivateBoard
 * wrappers. docs/board-schema.md describes the same layout for integrations.
 */
export const BOARD_RECORDS = { norms, hopes, stories, needs, assumptions, notes, clusters, questions, votes, commitments, cards, focus, logShares };

/** The private document each participant has: drafts nobody else receives, and which anonymous notes are theirs. */
export const PRIVATE_RECORDS = { storyDrafts, causeDrafts, anonymousNotes, cardDrafts };

/** Every shared collection: top-level map name → record schema. */
export const COLLECTIONS = schemasOf(BOARD_RECORDS);
export type Collection = keyof typeof COLLECTIONS;
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as Collection[];
export type RecordOf<C extends Collection> = z.infer<(typeof COLLECTIONS)[C]>;

export const PRIVATE_COLLECTIONS = schemasOf(PRIVATE_RECORDS);
export type PrivateCollection = keyof typeof PRIVATE_COLLECTIONS;

/**
 * The documents' schema versions. Version 1 is the layout of the record files
 * as they were when versions began (a stored document without a version is
 * version 1). A change to what a record file stores (a renamed or reshaped
 * field, a moved collection) adds the next step here, which the server runs
 * on every document of the older layout when its room loads.
 */
export const BOARD_DOC: DocSchema<typeof COLLECTIONS> = {
  collections: COLLECTIONS,
  migrations: new MigrationSequence<Y.Doc>('board document', 1, []),
};

export const DRAFTS_DOC: DocSchema<typeof PRIVATE_COLLECTIONS> = {
  collections: PRIVATE_COLLECTIONS,
  migrations: new MigrationSequence<Y.Doc>('drafts document', 1, []),
};

export const LIMITS = {
  ...TEXT_LIMITS,
  ...STORY_LIMITS,
  ...COMMITMENT_LIMITS,
  ...QUESTION_LIMITS,
  ...CLUSTER_LIMITS,
  itemsPerBoard: 2000,
  boardExtent: BOARD_EXTENT,
} as const;

/** The private document's name on the sync server; the tests' shorthand for encodeDocRef(draftsRef(…)). */
export function privateDocName(sessionId: string, participantId: string): string {
  return encodeDocRef(draftsRef(sessionId, participantId));
}

export { ANONYMOUS_NOTE_QUOTA, anonymousNoteSchema, type AnonymousNote } from './records/anonymousNotes.ts';
export { ASSUMPTION_STATUSES, assumptionSchema, type Assumption, type AssumptionStatus } from './records/assumptions.ts';
export { causeDraftSchema, type CauseDraft } from './records/causeDrafts.ts';
export { cardDraftSchema, type CardDraft } from './records/cardDrafts.ts';
export { CARD_TONES, cardSchema, type Card, type CardTone } from './records/cards.ts';
export { focusSchema, type Focus } from './records/focus.ts';
export { clusterSchema, defaultClusterLabel, liveClusterOf, normalizedText, type Cluster } from './records/clusters.ts';
export { commitmentSchema, type Commitment } from './records/commitments.ts';
export { hopeSchema, type Hope } from './records/hopes.ts';
export { needSchema, type Need } from './records/needs.ts';
export { normSchema, type Norm } from './records/norms.ts';
export { DEFAULT_NOTE_COLOR, newNoteSchema, NOTE_COLORS, noteSchema, type NewNote, type Note, type NoteColor } from './records/notes.ts';
export { questionSchema, type Question } from './records/questions.ts';
export { STORY_FIELDS, storySchema, type Story, type StoryField } from './records/stories.ts';
export { storyDraftSchema, type StoryDraft } from './records/storyDrafts.ts';
export { voteSchema, type Vote } from './records/votes.ts';
