import * as Y from 'yjs';
import type { z } from 'zod';

type Schemas = Record<string, z.ZodType>;

/**
 * Checks a client's Yjs update before the room applies it: every record it
 * touches must still match its schema (text limits included), it may only
 * write the document's known collections, and it may not push the board past
 * its item cap.
 *
 * A CRDT update cannot be judged on its own bytes (what it means depends on
 * the state it merges into), and a Y.Doc cannot roll a change back. So the
 * validator keeps a shadow copy of the room's document: an update is applied
 * to the shadow first and the result inspected; only then does the room apply
 * it for real. Each accepted update therefore costs one extra apply, not a copy
 * of the whole document; only a rejection (which also closes the sender's
 * connection) pays for rebuilding the shadow from the real document.
 */
export class UpdateValidator {
  /** Built on the first write, so a room that is only read (a cold load, a projector) never pays for it. */
  private shadowDoc: Y.Doc | null = null;
  private readonly shapes: Map<string, Set<string> | null>;
  /** Items on the board, recounted only after a transaction that added or removed a record. */
  private count: number | null = null;

  constructor(
    private readonly source: Y.Doc,
    private readonly schemas: Schemas,
    private readonly itemCap: number,
  ) {
    this.shapes = new Map(Object.entries(schemas).map(([name, schema]) => [name, keysOf(schema)]));
  }

  private get shadow(): Y.Doc {
    return (this.shadowDoc ??= this.rebuild());
  }

  /**
   * Applies `update` to the shadow and answers why it is not acceptable, or
   * null when it is (the caller then applies it to the real document).
   */
  check(update: Uint8Array): string | null {
    const before = this.itemCount();
    const touched = new Map<string, Set<string>>();
    const onTransaction = (tx: Y.Transaction) => collectTouched(tx, touched);
    this.shadow.on('afterTransaction', onTransaction);
    let problem: string | null;
    try {
      Y.applyUpdate(this.shadow, update);
      problem = this.inspect(touched, before);
    } catch (err) {
      problem = `unreadable update (${(err as Error).message})`;
    } finally {
      this.shadow.off('afterTransaction', onTransaction);
    }
    if (problem) this.shadowDoc = this.rebuild();
    return problem;
  }

  /** Keeps the shadow in step with changes the real document got elsewhere (server edits). */
  follow(update: Uint8Array): void {
    // With no shadow yet there is nothing to keep in step: it will be built from the real document.
    if (this.shadowDoc) Y.applyUpdate(this.shadowDoc, update);
  }

  destroy(): void {
    this.shadowDoc?.destroy();
  }

  private inspect(touched: Map<string, Set<string | null>>, before: number): string | null {
    // An update with gaps would wait in the document, and the next snapshot
    // would store the gap; our own clients always send what an update builds on.
    if (this.shadow.store.pendingStructs || this.shadow.store.pendingDs) return 'it builds on changes this server never received';
    for (const [collection, keys] of touched) {
      const schema = this.schemas[collection];
      if (!schema) return `unknown collection "${collection.slice(0, 40)}"`;
      const map = this.shadow.getMap<unknown>(collection);
      for (const key of keys) {
        if (key === null) return `${collection}: list content in a map`;
        const record = map.get(key);
        if (record === undefined) continue;
        if (!(record instanceof Y.Map)) return `${collection}: a record must be a map`;
        const fields = record.toJSON() as Record<string, unknown>;
        const allowed = this.shapes.get(collection);
        const extra = allowed ? Object.keys(fields).find((f) => !allowed.has(f)) : undefined;
        if (extra !== undefined) return `${collection}: unknown field "${extra.slice(0, 40)}"`;
        const parsed = schema.safeParse({ ...fields, id: key });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return `${collection}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim();
        }
      }
    }
    const after = this.itemCount();
    if (after > this.itemCap && after > before) return `the board is full (${this.itemCap} items)`;
    return null;
  }

  private itemCount(): number {
    if (this.count !== null) return this.count;
    let total = 0;
    for (const name of this.shapes.keys()) total += this.shadow.getMap(name).size;
    this.count = total;
    return total;
  }

  private rebuild(): Y.Doc {
    this.shadowDoc?.destroy();
    const shadow = new Y.Doc();
    // encodeStateAsUpdate includes pending structs, so the shadow waits on the same gaps.
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(this.source));
    this.count = null;
    // Counting walks every record; most updates edit one, so count again only when a collection changed.
    shadow.on('afterTransaction', (tx: Y.Transaction) => {
      for (const type of tx.changed.keys()) if (type._item === null) this.count = null;
    });
    return shadow;
  }
}

/** Top-level collection name → the record keys a transaction changed in it. */
function collectTouched(tx: Y.Transaction, touched: Map<string, Set<string | null>>): void {
  for (const [type, keys] of tx.changed) {
    const item = type._item;
    if (item === null) {
      // A root type: its changed keys are record ids (null: list content).
      const name = rootName(tx.doc, type);
      const set = touched.get(name) ?? new Set<string | null>();
      for (const key of keys) set.add(key);
      touched.set(name, set);
      continue;
    }
    // Somewhere inside a record: climb to the child of a root.
    let child: Y.Item = item;
    while ((child.parent as Y.AbstractType<any>)._item) child = (child.parent as Y.AbstractType<any>)._item!;
    const name = rootName(tx.doc, child.parent as Y.AbstractType<any>);
    const set = touched.get(name) ?? new Set<string | null>();
    set.add(child.parentSub);
    touched.set(name, set);
  }
}

function rootName(doc: Y.Doc, type: Y.AbstractType<any>): string {
  for (const [name, root] of doc.share) if (root === type) return name;
  return '?';
}

/** The field names a record schema knows, or null if it is not an object schema. */
function keysOf(schema: z.ZodType): Set<string> | null {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? new Set(Object.keys(shape)) : null;
}
