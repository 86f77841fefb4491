import * as Y from 'yjs';
import type { BoardOrigin } from './DocCollections.ts';
import { COLLECTION_NAMES } from './schema.ts';

/** Board actions closer together than this (a drag's moves, a burst of typing) undo as one step. */
export const UNDO_MERGE_MS = 600;

/**
 * Undo and redo of one person's own board actions. It tracks only
 * transactions whose origin is `origin` (the object this browser passes to
 * every command it runs), so another person's changes, the server's and what
 * arrives from the network are never undone. Where someone changed the same
 * field since, Yjs keeps their value: an undo never overwrites someone else's work.
 */
export class OwnHistory {
  readonly #manager: Y.UndoManager;
  readonly #listeners = new Set<() => void>();

  constructor(doc: Y.Doc, origin: BoardOrigin) {
    const scope = COLLECTION_NAMES.map((name) => doc.getMap(name));
    this.#manager = new Y.UndoManager(scope, { trackedOrigins: new Set([origin]), captureTimeout: UNDO_MERGE_MS });
    const changed = () => {
      for (const listener of this.#listeners) listener();
    };
    for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) this.#manager.on(event, changed);
  }

  get canUndo(): boolean {
    return this.#manager.canUndo();
  }

  get canRedo(): boolean {
    return this.#manager.canRedo();
  }

  /** Reverts this person's latest action; false when there was nothing to revert. */
  undo(): boolean {
    return this.#manager.undo() !== null;
  }

  redo(): boolean {
    return this.#manager.redo() !== null;
  }

  /** Starts a new undo step even if the last action was a moment ago. */
  stopMerging(): void {
    this.#manager.stopCapturing();
  }

  /** Calls back whenever what can be undone or redone may have changed. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  destroy(): void {
    this.#listeners.clear();
    this.#manager.destroy();
  }
}
