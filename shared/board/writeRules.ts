import type { ArtifactKind } from '../protocol/steps.ts';
import { rulesOf } from './records/RecordType.ts';
import { BOARD_RECORDS, PRIVATE_RECORDS, type Collection, type PrivateCollection } from './schema.ts';

/**
 * Who may write what, per record type: the rules the server enforces on every
 * Yjs update (server/sync/WriteGuard.ts) and the client's wrapper follows.
 * Each record type's rule sits in its file in ./records.
 * - `kind`: the artifact a step must accept for a participant to write it.
 * - `creators`: who may add one ('facilitator' only, or anyone in the session).
 * - `shared`: fields anyone may change (moving and sorting a note); every
 *   other field belongs to the record's author (and the facilitator).
 * - `partnerFields`: fields the author's pair partners may change too.
 * - `immutable`: fields fixed at creation; nobody changes them afterwards.
 * - `quota`: records one author may hold in the collection.
 * - `copies`: anyone may add a copy of a record (`copyOf` naming it, the same
 *   text) under the original's author, as sorting a note into a second
 *   category does: the words stay their author's.
 */
export interface WriteRule {
  kind: ArtifactKind | 'vote' | null;
  creators: 'facilitator' | 'anyone';
  shared: readonly string[];
  partnerFields: readonly string[];
  immutable: readonly string[];
  quota: number;
  copies?: boolean;
}

/** Each record type's rule, from its file in ./records. */
export const BOARD_RULES: Readonly<Record<Collection, WriteRule>> = rulesOf(BOARD_RECORDS);

/** A private document has one writer, its owner; quotas keep a reveal within the board's room. */
export const PRIVATE_RULES: Readonly<Record<PrivateCollection, WriteRule>> = rulesOf(PRIVATE_RECORDS);

/** Board items kept free for the facilitator once participants have filled the rest. */
export const FACILITATOR_RESERVE = 100;

/** How long a step still accepts writes after it ended: a laptop whose Wi-Fi dropped mid-step. */
export const STEP_GRACE_MS = 10 * 60_000;

/**
 * Most bytes one record may take (its fields as JSON). The schemas' text limits
 * already bound it (a story's four fields of 1,250 characters are up to 15 KB
 * in UTF-8); this is the backstop for whatever a schema leaves open.
 */
export const MAX_RECORD_BYTES = 24 * 1024;
/** Most bytes one document may take in storage; a full board of long notes is about 1.5 MB. */
export const MAX_DOC_BYTES = 5 * 1024 * 1024;
