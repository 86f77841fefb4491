import { rulesOf } from './records/RecordType.ts';
import { BOARD_RECORDS, PRIVATE_RECORDS, type Collection, type PrivateCollection } from './schema.ts';
import type { WriteRule } from './WriteRule.ts';

export type { WriteRule } from './WriteRule.ts';

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
