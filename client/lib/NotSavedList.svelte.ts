import { newId } from '../../shared/ids.ts';
import type { NotTakenItem } from './notTaken.ts';

/** A change the server refused, kept on this device until its author dismisses it. */
export interface NotSavedItem extends NotTakenItem {
  key: string;
  /** The server's reason, as it came (plainReason words it). */
  reason: string;
  at: number;
}

/** Enough for a meeting's worth of refusals without crowding the browser's storage. */
const MAX_ITEMS = 50;
const MAX_BYTES = 20 * 1024;

/**
 * The refused changes of one document, in localStorage so a reload (which
 * starts from the server's copy) does not take them away.
 */
export class NotSavedList {
  #items = $state.raw<NotSavedItem[]>([]);
  readonly #storageKey: string;

  constructor(docName: string) {
    this.#storageKey = `howmight.refused.${docName}`;
    this.#items = this.#load();
  }

  get items(): readonly NotSavedItem[] {
    return this.#items;
  }

  /** Adds what a refusal left behind; a record refused again replaces its older entry. */
  add(found: readonly NotTakenItem[], reason: string): void {
    const at = Date.now();
    const fresh = found.map((item) => ({ ...item, key: newId(), reason, at }));
    const ids = new Set(found.map((i) => `${i.collection}/${i.record.id}`));
    const texts = new Set(found.map((i) => `${i.collection}/${i.text}`));
    const kept = this.#items.filter((i) => !ids.has(`${i.collection}/${i.record.id}`) && !texts.has(`${i.collection}/${i.text}`));
    this.#set([...kept, ...fresh]);
  }

  dismiss(key: string): void {
    this.#set(this.#items.filter((i) => i.key !== key));
  }

  #set(items: NotSavedItem[]): void {
    // The newest refusals matter most: drop the oldest until the list fits.
    let list = items.slice(-MAX_ITEMS);
    let json = JSON.stringify(list);
    while (list.length > 1 && json.length > MAX_BYTES) {
      list = list.slice(1);
      json = JSON.stringify(list);
    }
    this.#items = list;
    try {
      if (list.length === 0) localStorage.removeItem(this.#storageKey);
      else localStorage.setItem(this.#storageKey, json);
    } catch {
      // Storage full or blocked: the list still shows for this page's life.
    }
  }

  #load(): NotSavedItem[] {
    try {
      const parsed: unknown = JSON.parse(localStorage.getItem(this.#storageKey) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isItem) : [];
    } catch {
      return [];
    }
  }
}

function isItem(value: unknown): value is NotSavedItem {
  const v = value as Partial<NotSavedItem> | null;
  return (
    typeof v?.key === 'string' &&
    typeof v.collection === 'string' &&
    typeof v.label === 'string' &&
    typeof v.text === 'string' &&
    typeof v.reason === 'string' &&
    typeof v.record === 'object' &&
    v.record !== null
  );
}
