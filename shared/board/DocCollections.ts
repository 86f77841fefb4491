import * as Y from 'yjs';
import type { z } from 'zod';
import { newId } from '../ids.ts';
import { byCreation } from './byCreation.ts';
import type { ActorOrigin } from './origins.ts';

/** Who made a change; passed as the Yjs transaction origin (shared/board/origins.ts). */
export type BoardOrigin = ActorOrigin;

export class BoardError extends Error {}

export type Schemas = Record<string, z.ZodType<{ id: string }>>;
type RecordMap = Y.Map<unknown>;

/** Which records of which collections one transaction touched. */
export type ChangeSet<S extends Schemas> = Map<keyof S & string, Set<string>>;

/**
 * Typed collections over a Y.Doc: one top-level Y.Map per collection, one
 * nested Y.Map per record, so concurrent edits to different fields merge.
 * Records are validated when read; an invalid one is left out of lists and
 * counted (invalidCounts), so it is never shown and never silently lost.
 */
export class DocCollections<S extends Schemas> {
  private readonly maps = new Map<keyof S & string, Y.Map<RecordMap>>();
  private readonly names = new Map<Y.AbstractType<unknown>, keyof S & string>();

  constructor(
    readonly doc: Y.Doc,
    private readonly schemas: S,
  ) {
    for (const name of Object.keys(schemas) as Array<keyof S & string>) {
      const map = doc.getMap<RecordMap>(name);
      this.maps.set(name, map);
      this.names.set(map as Y.AbstractType<unknown>, name);
    }
  }

  list<C extends keyof S & string>(collection: C): Array<z.infer<S[C]>> {
    const out: Array<z.infer<S[C]>> = [];
    for (const id of this.map(collection).keys()) {
      const record = this.get(collection, id);
      if (record) out.push(record);
    }
    return out.sort(byCreation);
  }

  get<C extends keyof S & string>(collection: C, id: string): z.infer<S[C]> | null {
    const record = this.map(collection).get(id);
    if (!(record instanceof Y.Map)) return null;
    const parsed = this.schemas[collection]!.safeParse({ ...record.toJSON(), id });
    return parsed.success ? (parsed.data as z.infer<S[C]>) : null;
  }

  /** Stored records that fail their schema, per collection (only collections that have some). */
  invalidCounts(): Partial<Record<keyof S & string, number>> {
    const counts: Partial<Record<keyof S & string, number>> = {};
    for (const [name, map] of this.maps) {
      let invalid = 0;
      for (const id of map.keys()) if (!this.get(name, id)) invalid++;
      if (invalid > 0) counts[name] = invalid;
    }
    return counts;
  }

  size(collection: keyof S & string): number {
    return this.map(collection).size;
  }

  insert<C extends keyof S & string>(
    collection: C,
    origin: BoardOrigin,
    fields: Omit<z.input<S[C]>, 'id'>,
    id: string = newId(),
  ): string {
    const parsed = this.schemas[collection]!.safeParse({ ...this.stamped(fields), id });
    if (!parsed.success) throw new BoardError(describe(parsed.error));
    const record = new Y.Map<unknown>();
    this.doc.transact(() => {
      this.map(collection).set(id, record);
      for (const [key, value] of Object.entries(parsed.data)) if (key !== 'id') record.set(key, value);
    }, origin);
    return id;
  }

  update<C extends keyof S & string>(
    collection: C,
    origin: BoardOrigin,
    id: string,
    patch: Partial<Omit<z.input<S[C]>, 'id'>>,
  ): void {
    const record = this.map(collection).get(id);
    const current = this.get(collection, id);
    if (!(record instanceof Y.Map) || !current) throw new BoardError(`Nothing to change: that ${collection.replace(/s$/, '')} is gone.`);
    const parsed = this.schemas[collection]!.safeParse({ ...current, ...patch });
    if (!parsed.success) throw new BoardError(describe(parsed.error));
    const next = parsed.data as Record<string, unknown>;
    // A record's id is its key in the collection, never one of its fields.
    const changed = Object.keys(patch).filter((key) => key !== 'id' && JSON.stringify(record.get(key)) !== JSON.stringify(next[key]));
    if (changed.length === 0) return;
    this.doc.transact(() => {
      for (const key of changed) record.set(key, next[key]);
    }, origin);
  }

  remove(collection: keyof S & string, origin: BoardOrigin, id: string): void {
    if (!this.map(collection).has(id)) return;
    this.doc.transact(() => this.map(collection).delete(id), origin);
  }

  transact(origin: BoardOrigin, fn: () => void): void {
    this.doc.transact(fn, origin);
  }

  /** Calls back after every transaction, with the records it touched. */
  observe(callback: (changes: ChangeSet<S>, local: boolean) => void): () => void {
    const handler = (tx: Y.Transaction) => {
      const changes: ChangeSet<S> = new Map();
      for (const [type, keys] of tx.changed) {
        const direct = this.names.get(type as Y.AbstractType<unknown>);
        if (direct) {
          for (const key of keys) if (key !== null) add(changes, direct, key);
          continue;
        }
        // A field of a record changed: find the record's id and collection.
        const parent = type._item?.parent as Y.AbstractType<unknown> | undefined;
        const name = parent ? this.names.get(parent) : undefined;
        const key = type._item?.parentSub;
        if (name && key) add(changes, name, key);
      }
      if (changes.size > 0) callback(changes, tx.local);
    };
    this.doc.on('afterTransaction', handler);
    return () => this.doc.off('afterTransaction', handler);
  }

  /**
   * Lists sort by createdAt, and a laptop's clock can stand still for a
   * millisecond or jump back an hour. So a new record's createdAt is at least
   * one more than its author's latest in this document: per author, list order
   * is writing order, whatever the clock (and ties across authors are broken
   * by author and id in byCreation, the same everywhere).
   */
  private stamped<F extends object>(fields: F): F {
    const { authorId, createdAt } = fields as { authorId?: unknown; createdAt?: unknown };
    if (typeof authorId !== 'string' || typeof createdAt !== 'number') return fields;
    let latest = -1;
    for (const map of this.maps.values()) {
      for (const record of map.values()) {
        if (!(record instanceof Y.Map) || record.get('authorId') !== authorId) continue;
        const time = record.get('createdAt');
        // A record a faulty client wrote with an absurd time (it is not listed
        // anyway) must not push the author's next records out of the schema.
        if (Number.isSafeInteger(time) && (time as number) > latest && (time as number) < Number.MAX_SAFE_INTEGER) latest = time as number;
      }
    }
    return createdAt > latest ? fields : { ...fields, createdAt: latest + 1 };
  }

  private map(collection: keyof S & string): Y.Map<RecordMap> {
    return this.maps.get(collection)!;
  }
}

function add<K>(changes: Map<K, Set<string>>, name: K, key: string): void {
  const set = changes.get(name) ?? new Set<string>();
  set.add(key);
  changes.set(name, set);
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid record.';
  const field = issue.path.join('.');
  if (issue.code === 'too_big' && issue.origin === 'string') return `${field || 'Text'} can hold at most ${String(issue.maximum)} characters.`;
  return `${field ? `${field}: ` : ''}${issue.message}`;
}
