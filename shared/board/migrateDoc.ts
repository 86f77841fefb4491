import * as Y from 'yjs';
import type { MigrationSequence } from '../MigrationSequence.ts';
import { DocCollections, type BoardOrigin, type Schemas } from './DocCollections.ts';

/**
 * A document's layout: its collections and the migrations that bring a stored
 * copy of it to the layout they describe.
 */
export interface DocSchema<S extends Schemas = Schemas> {
  readonly collections: S;
  readonly migrations: MigrationSequence<Y.Doc>;
}

/**
 * The root map that holds the document's schema version. It is no collection,
 * so the server refuses every client write to it (server/sync/scanUpdate.ts and
 * UpdateResolver.ts): only the server, when it loads the room, writes it.
 */
export const DOC_META = 'meta';
const VERSION = 'schemaVersion';

/** What migrating found: the version the document is at now, and the one it was migrated from. */
export interface DocMigration {
  version: number;
  /** Set when migration steps ran. */
  migratedFrom: number | null;
}

/** What loading found: the migration, and the stored records that fail their schema, per collection. */
export interface DocLoad extends DocMigration {
  invalid: Record<string, number>;
}

/** The version a document says it has; undefined when it predates versions (so it has the base layout). */
export function storedVersion(doc: Y.Doc): unknown {
  return doc.share.has(DOC_META) ? doc.getMap<unknown>(DOC_META).get(VERSION) : undefined;
}

/**
 * Brings a freshly loaded document to its schema's current version, before
 * anyone syncs it.
 * Throws VersionError (changing nothing) for a document a newer server
 * wrote. The steps run on a copy, and only a complete migration is applied
 * to `doc`, as one update with `origin`: a step that throws leaves the
 * document, and so what is stored, as it was.
 */
export function migrateDoc(doc: Y.Doc, schema: DocSchema, origin: BoardOrigin): DocMigration {
  const { migrations } = schema;
  const stored = storedVersion(doc);
  const from = stored === undefined ? migrations.base : stored;
  const steps = migrations.pending(from);
  if (steps.length > 0) {
    const copy = new Y.Doc({ gc: doc.gc });
    try {
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      copy.transact(() => {
        migrations.migrate(copy, from);
        copy.getMap<unknown>(DOC_META).set(VERSION, migrations.current);
      });
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, Y.encodeStateVector(doc)), origin);
    } finally {
      copy.destroy();
    }
  } else if (stored === undefined) {
    // Stamped now, so that once a later version exists this document is not taken for an older one.
    doc.transact(() => doc.getMap<unknown>(DOC_META).set(VERSION, migrations.current), origin);
  }
  return { version: migrations.current, migratedFrom: steps.length > 0 ? (from as number) : null };
}

/**
 * The stored records that fail their schema, per collection. It parses every
 * record (tens of milliseconds on a full board), so the server counts after a
 * room has opened, not on the way to a client's first sync.
 */
export function invalidRecords(doc: Y.Doc, schema: DocSchema): Record<string, number> {
  return new DocCollections(doc, schema.collections).invalidCounts() as Record<string, number>;
}

/** A line for the server's log when loading found something worth telling an operator; null when not. */
export function describeDocLoad(load: DocLoad): string | null {
  const parts: string[] = [];
  if (load.migratedFrom !== null) parts.push(`migrated from schema version ${load.migratedFrom} to ${load.version}`);
  const invalid = Object.entries(load.invalid).map(([collection, n]) => `${n} in ${collection}`);
  if (invalid.length > 0) parts.push(`records that fail their schema and are not shown: ${invalid.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : null;
}
