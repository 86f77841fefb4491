import type { MemberHome } from '../../shared/year/api.ts';
import type { LogEntryInput, LogEntryView, MyLog } from '../../shared/year/practiceLog.ts';
import { ApiError } from './api.ts';

/** An entry being written, or saved and waiting for the network: the body the server takes, and its id. */
export type LogDraft = LogEntryInput & { id: string };

/** A save the server refused (not a dropped connection): kept, with why, until the member fixes it. */
export interface RefusedSave {
  draft: LogDraft;
  message: string;
}

interface Stored {
  drafts: Record<string, LogDraft>;
  pending: Record<string, LogDraft>;
  refused: Record<string, RefusedSave>;
  /** What this device last loaded, for a reload without a network. */
  home: MemberHome | null;
  log: MyLog | null;
}

const EMPTY: Stored = { drafts: {}, pending: {}, refused: {}, home: null, log: null };

/** A new entry's id: random, chosen here, so a save sent twice is stored once. */
export function newEntryId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * A member's practice log on this device (YEAR.md 5; issue: never lost).
 * Every keystroke of an entry being written is kept in localStorage, so a
 * half-written entry survives a reload; a saved entry waits in the outbox
 * until the server has answered it, through a dropped connection or a
 * reload without a network, and the count of those waiting is on screen.
 * Saves are PUTs on the entry's own id, so sending one twice stores it once,
 * and the server keeps the later of two edits (`editedAt`).
 */
export class LogOutbox {
  #state = $state<Stored>(EMPTY);
  #flushing = false;
  #offline = $state(false);

  /** Told of each entry the server has stored (the log on screen takes it from there). */
  onSaved: (entry: LogEntryView) => void = () => {};

  constructor(
    private readonly key: string,
    private readonly save: (draft: LogDraft) => Promise<LogEntryView>,
  ) {
    try {
      const raw = localStorage.getItem(key);
      if (raw) this.#state = { ...EMPTY, ...(JSON.parse(raw) as Partial<Stored>) };
    } catch {
      // A damaged copy is not worth a broken page; what the server has is still there.
    }
  }

  get drafts(): LogDraft[] {
    return Object.values(this.#state.drafts);
  }
  get pending(): LogDraft[] {
    return Object.values(this.#state.pending);
  }
  get refused(): RefusedSave[] {
    return Object.values(this.#state.refused);
  }
  /** Entries saved on this device that the server has not answered yet. */
  get unsaved(): number {
    return this.pending.length;
  }
  /** The last save could not reach the server. */
  get offline(): boolean {
    return this.#offline;
  }
  get home(): MemberHome | null {
    return this.#state.home;
  }
  get log(): MyLog | null {
    return this.#state.log;
  }

  draft(id: string): LogDraft | undefined {
    return this.#state.drafts[id];
  }

  /** Keeps what is being written, as it is written. */
  keepDraft(draft: LogDraft): void {
    this.#state.drafts[draft.id] = { ...draft };
    this.persist();
  }

  discardDraft(id: string): void {
    delete this.#state.drafts[id];
    delete this.#state.refused[id];
    this.persist();
  }

  /** The member pressed Save: the draft moves to the outbox and goes when it can. */
  queue(draft: LogDraft): Promise<void> {
    delete this.#state.drafts[draft.id];
    delete this.#state.refused[draft.id];
    this.#state.pending[draft.id] = { ...draft, editedAt: Date.now() };
    this.persist();
    return this.flush();
  }

  /** Sends what waits, oldest first; stops at the first dropped connection and tries again on the next call. */
  async flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      for (const draft of this.pending) {
        try {
          const saved = await this.save(draft);
          // Only if nothing newer was queued for it meanwhile.
          if (this.#state.pending[draft.id]?.editedAt === draft.editedAt) delete this.#state.pending[draft.id];
          this.#offline = false;
          this.persist();
          this.onSaved(saved);
        } catch (err) {
          if (err instanceof ApiError && err.status !== 0 && err.status !== 401 && err.status < 500) {
            // Refused for what it says: back into the form with why; never dropped.
            delete this.#state.pending[draft.id];
            this.#state.refused[draft.id] = { draft, message: err.message };
            this.#state.drafts[draft.id] = draft;
            this.persist();
            continue;
          }
          this.#offline = true;
          return;
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Remembers what the server last answered, for an offline reload. */
  remember(patch: Partial<Pick<Stored, 'home' | 'log'>>): void {
    Object.assign(this.#state, patch);
    this.persist();
  }

  private persist(): void {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.#state));
    } catch {
      // Storage full or blocked: the outbox still holds it in memory for this page.
    }
  }
}
