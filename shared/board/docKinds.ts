import type { z } from 'zod';
import type { DocKind } from './DocRef.ts';
import type { DocSchema } from './migrateDoc.ts';
import { BOARD_DOC, COLLECTIONS, DRAFTS_DOC, LIMITS, PRIVATE_COLLECTIONS } from './schema.ts';
import { BOARD_RULES, PRIVATE_RULES, type WriteRule } from './writeRules.ts';

/** What the server's write guard (server/sync/WriteGuard.ts) holds a document of one kind to. */
export interface DocKindSpec {
  /** One top-level Y.Map per collection; records are validated against these. */
  schemas: Readonly<Record<string, z.ZodObject>>;
  rules: Readonly<Record<string, WriteRule>>;
  /** A shared document obeys the meeting's lock, steps and voting; a private one only its owner writes. */
  shared: boolean;
  /** Most records the document holds in all. */
  itemCap: number;
  /** Its schema version and migrations, run when a room loads (shared/board/migrateDoc.ts). */
  document: DocSchema;
}

/**
 * Each kind of document (shared/board/DocRef.ts) and the layout it holds.
 * Who may open one is the server's side: server/sync/docAccessRules.ts.
 */
export const DOC_KINDS: { readonly [K in DocKind]: DocKindSpec } = {
  board: { schemas: COLLECTIONS, rules: BOARD_RULES, shared: true, itemCap: LIMITS.itemsPerBoard, document: BOARD_DOC },
  drafts: { schemas: PRIVATE_COLLECTIONS, rules: PRIVATE_RULES, shared: false, itemCap: LIMITS.itemsPerBoard, document: DRAFTS_DOC },
};
