import * as Y from 'yjs';

/**
 * How many records each author holds in each collection of a document, and
 * how many records there are in all: what the write guard's quotas and the
 * board's cap read on every new record. Counted once, on first use, then kept
 * up to date from each transaction's changed keys, so a new note costs the
 * records it touches, not a walk over the board.
 */
export class AuthorCounts {
  /** collection → record key → its author as counted. */
  private index: Map<string, Map<string, string>> | null = null;
  private readonly perAuthor = new Map<string, Map<string, number>>();
  private count = 0;

  constructor(
    private readonly doc: Y.Doc,
    /** Each collection's root map and its name. */
    private readonly roots: ReadonlyMap<unknown, string>,
  ) {
    doc.on('afterTransaction', (tx: Y.Transaction) => {
      if (!this.index) return;
      for (const [type, keys] of tx.changed) {
        const collection = this.roots.get(type);
        if (collection !== undefined) {
          for (const key of keys) if (key !== null) this.recount(collection, key);
          continue;
        }
        // A record's author written after the record itself (a crafted update may do that).
        const owner = type._item ? this.roots.get(type._item.parent) : undefined;
        if (owner !== undefined && keys.has('authorId') && type._item!.parentSub) this.recount(owner, type._item!.parentSub);
      }
    });
  }

  /** Records in every collection. */
  get total(): number {
    this.build();
    return this.count;
  }

  /** Records `author` holds in `collection`. */
  of(collection: string, author: string): number {
    this.build();
    return this.perAuthor.get(collection)?.get(author) ?? 0;
  }

  private build(): void {
    if (this.index) return;
    this.index = new Map();
    for (const collection of this.roots.values()) {
      this.index.set(collection, new Map());
      this.perAuthor.set(collection, new Map());
      for (const key of this.doc.getMap<unknown>(collection).keys()) this.recount(collection, key);
    }
  }

  private recount(collection: string, key: string): void {
    const keys = this.index!.get(collection)!;
    const counts = this.perAuthor.get(collection)!;
    const before = keys.get(key);
    if (before !== undefined) {
      counts.set(before, counts.get(before)! - 1);
      this.count--;
      keys.delete(key);
    }
    const record = this.doc.getMap<unknown>(collection).get(key);
    if (record === undefined) return;
    const author = record instanceof Y.Map ? String(record.get('authorId')) : '';
    keys.set(key, author);
    counts.set(author, (counts.get(author) ?? 0) + 1);
    this.count++;
  }
}
