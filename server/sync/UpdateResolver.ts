import * as Y from 'yjs';
import type { Id, ScannedStruct } from './scanUpdate.ts';

/** A change the guard found and refused; the message is shown to the writer. */
export class WriteRefusal extends Error {}

/**
 * An update that builds on changes this server does not hold. A client that
 * reconnects may send one before the changes it lacks (its sync step 2 is
 * still to come): the room holds it until then rather than refusing it.
 */
export class MissingDependencies extends WriteRefusal {
  constructor(what = 'it builds on changes this server never received') {
    super(what);
  }
}

/** Where a change lands: a record of a collection, one field of a record, or nowhere that matters (GC'd). */
export type Target =
  | { level: 'record'; collection: string; key: string }
  | { level: 'field'; collection: string; key: string; record: Id; field: string }
  | { level: 'none' };

type ScannedItem = Extract<ScannedStruct, { kind: 'item' }>;

/**
 * Finds where each change of an update lands, reading the document's structs
 * and the update's own, never changing either. An item names its parent only
 * when it has no neighbours; otherwise it inherits its neighbour's, as Yjs does.
 */
export class UpdateResolver {
  /** The structs this server does not have yet. */
  readonly fresh: ScannedStruct[] = [];
  private readonly byClient = new Map<number, ScannedStruct[]>();
  private readonly resolved = new Map<ScannedStruct, Target>();
  private deleted = 0;
  private readonly collections: ReadonlySet<string>;

  constructor(
    private readonly doc: Y.Doc,
    private readonly rootNames: ReadonlyMap<Y.AbstractType<unknown>, string>,
    structs: ScannedStruct[],
    private readonly maxDeletedItems: number,
  ) {
    this.collections = new Set(rootNames.values());
    for (const struct of structs) {
      const known = Y.getState(doc.store, struct.client);
      const list = this.byClient.get(struct.client) ?? [];
      if (list.length === 0 && struct.clock > known) throw new MissingDependencies();
      list.push(struct);
      this.byClient.set(struct.client, list);
      if (struct.clock + struct.length <= known) continue;
      if (struct.clock < known && struct.kind === 'item' && struct.content.type !== 'deleted') {
        throw new WriteRefusal('it overlaps changes this server has');
      }
      this.fresh.push(struct);
    }
  }

  target(struct: ScannedItem): Target {
    const chain: ScannedItem[] = [];
    let current: ScannedItem = struct;
    let result: Target | undefined;
    // Walk neighbours until one has a known place; no recursion, so long chains cannot overflow the stack.
    for (;;) {
      const memo = this.resolved.get(current);
      if (memo) {
        result = memo;
        break;
      }
      chain.push(current);
      if (chain.length > 100_000) throw new WriteRefusal('unreadable update');
      if (current.parent && 'root' in current.parent) {
        // A new entry of a root that is no collection: the server's schema version.
        if (!this.collections.has(current.parent.root)) refuse('it changes what only the server writes');
        result = { level: 'record', collection: current.parent.root, key: current.parentSub! };
        break;
      }
      if (current.parent && 'item' in current.parent) {
        result = this.fieldOf(current.parent.item, current.parentSub!);
        break;
      }
      const neighbour = current.origin ?? current.rightOrigin!;
      const next = this.find(neighbour);
      if (next === 'missing') throw new MissingDependencies();
      if (next instanceof Y.Item || next instanceof Y.GC) {
        result = this.targetOfItem(next);
        break;
      }
      if (next.kind === 'gc') {
        result = { level: 'none' };
        break;
      }
      current = next;
    }
    for (const link of chain) this.resolved.set(link, result);
    return result;
  }

  /** Where an existing struct of the document sits. */
  targetOfItem(item: Y.Item | Y.GC): Target {
    if (!(item instanceof Y.Item)) return { level: 'none' };
    const parent = item.parent as Y.AbstractType<unknown> | null;
    if (!parent || !(parent instanceof Y.AbstractType)) return { level: 'none' };
    if (parent._item === null) {
      const collection = this.rootNames.get(parent);
      // The only other root is the server's own (the schema version): no client writes next to it or deletes from it.
      if (!collection) refuse('it changes what only the server writes');
      return item.parentSub !== null ? { level: 'record', collection, key: item.parentSub } : { level: 'none' };
    }
    const recordItem = parent._item;
    const root = recordItem.parent as Y.AbstractType<unknown>;
    const collection = this.rootNames.get(root);
    if (!collection || recordItem.parentSub === null || item.parentSub === null) return { level: 'none' };
    return { level: 'field', collection, key: recordItem.parentSub, record: recordItem.id, field: item.parentSub };
  }

  /** The items of the document a delete range covers (structs of the update itself have no effect yet to judge). */
  *deletedItems(client: number, ranges: Array<[number, number]>): Generator<Y.Item> {
    const known = Y.getState(this.doc.store, client);
    const own = this.byClient.get(client);
    const ownEnd = own?.length ? own[own.length - 1]!.clock + own[own.length - 1]!.length : known;
    const structs = this.doc.store.clients.get(client);
    for (const [clock, length] of ranges) {
      if (clock + length > Math.max(known, ownEnd)) throw new MissingDependencies('it deletes changes this server never received');
      if (!structs || clock >= known) continue;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]!;
        if (struct.id.clock >= clock + length) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        // Each deleted item costs the apply; one range may cover a whole board.
        if (++this.deleted > this.maxDeletedItems) throw new WriteRefusal(`it deletes more than ${this.maxDeletedItems} items at once`);
        yield struct;
      }
    }
  }

  /** The document's item with this id, or null if it is gone. */
  docItem(id: Id): Y.Item | null {
    const found = this.find(id);
    return found instanceof Y.Item ? found : null;
  }

  private fieldOf(recordId: Id, field: string): Target {
    const record = this.find(recordId);
    if (record === 'missing') throw new MissingDependencies();
    if (record instanceof Y.GC) return { level: 'none' };
    if (record instanceof Y.Item) {
      if (!(record.content instanceof Y.ContentType)) return record.deleted ? { level: 'none' } : refuse('a field outside a record');
      const place = this.targetOfItem(record);
      if (place.level !== 'record') return refuse('a field outside a record');
      return { level: 'field', collection: place.collection, key: place.key, record: record.id, field };
    }
    if (record.kind === 'gc') return { level: 'none' };
    if (record.content.type === 'deleted') return { level: 'none' };
    if (record.content.type !== 'map') return refuse('a field outside a record');
    const place = this.target(record);
    if (place.level !== 'record') return refuse('a field outside a record');
    return { level: 'field', collection: place.collection, key: place.key, record: { client: record.client, clock: record.clock }, field };
  }

  /** A struct by id: the document's, or one of this update's, or 'missing'. */
  private find(id: Id): Y.Item | Y.GC | ScannedItem | Extract<ScannedStruct, { kind: 'gc' }> | 'missing' {
    if (id.clock < Y.getState(this.doc.store, id.client)) {
      const structs = this.doc.store.clients.get(id.client)!;
      return structs[Y.findIndexSS(structs, id.clock)] as Y.Item | Y.GC;
    }
    const own = this.byClient.get(id.client);
    if (!own) return 'missing';
    let lo = 0;
    let hi = own.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const struct = own[mid]!;
      if (id.clock < struct.clock) hi = mid - 1;
      else if (id.clock >= struct.clock + struct.length) lo = mid + 1;
      else return struct;
    }
    return 'missing';
  }
}

function refuse(reason: string): never {
  throw new WriteRefusal(reason);
}
