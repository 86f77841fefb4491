import { draftsRef, type DocRefOf } from '../../shared/board/DocRef.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import type { DraftProgressReport } from '../../shared/events.ts';
import type { ControlState } from '../../shared/protocol/control.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Room } from '../sync/Room.ts';
import type { Rooms } from '../sync/Rooms.ts';

export const DRAFT_PROGRESS_DEBOUNCE_MS = 500;

interface Deps {
  rooms: Rooms;
  sessions: SessionStore;
  /** Participants online now (or within their grace period). */
  presentIds: (sessionId: string) => Promise<string[]>;
  /** The session's control state, loaded into memory if it is not yet. */
  control: (sessionId: string) => Promise<ControlState | null>;
  /** Delivers a report to the session's facilitators, and nobody else. */
  send: (sessionId: string, report: DraftProgressReport) => void;
  debounceMs?: number;
  log?: (message: string) => void;
}

/**
 * Silent writing seen from the front of the room: how many people have
 * written and how many notes wait for the reveal, never what they say. The
 * counts come from the private drafts documents the server holds; a change to
 * one only marks its author for a recount, and one trailing report per
 * session goes out after a quiet `debounceMs`, so typing costs a map write.
 */
export class DraftProgress {
  /** Written (non-empty) cause drafts per participant, per session; only numbers, never text. */
  private readonly counts = new Map<string, Map<string, number>>();
  /** Participants whose drafts changed since they were last counted. */
  private readonly dirty = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;
  private readonly debounceMs: number;

  constructor(private readonly deps: Deps) {
    this.debounceMs = deps.debounceMs ?? DRAFT_PROGRESS_DEBOUNCE_MS;
  }

  /** A document changed: a participant's drafts are recounted and the session reported, once things are quiet. */
  draftsChanged(ref: DocRefOf<'drafts'>): void {
    const marked = this.dirty.get(ref.sessionId) ?? new Set<string>();
    marked.add(ref.participantId);
    this.dirty.set(ref.sessionId, marked);
    this.schedule(ref.sessionId);
  }

  /** Something the report depends on changed (who is here, the step): report again, debounced. */
  schedule(sessionId: string): void {
    if (this.closed || this.timers.has(sessionId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(sessionId);
      this.report(sessionId).then(
        (report) => report && this.deps.send(sessionId, report),
        (err: Error) => this.deps.log?.(`counting drafts failed: ${err.message}`),
      );
    }, this.debounceMs);
    timer.unref();
    this.timers.set(sessionId, timer);
  }

  /** The report for a session in silent writing (the causes step before the reveal), else null. */
  async report(sessionId: string): Promise<DraftProgressReport | null> {
    const control = await this.deps.control(sessionId);
    if (!control || control.step !== 'causes' || control.revealed) return null;
    const participants = await this.deps.sessions.listParticipants(sessionId);
    const counts = this.counts.get(sessionId) ?? new Map<string, number>();
    this.counts.set(sessionId, counts);
    const marked = this.dirty.get(sessionId);
    this.dirty.delete(sessionId);
    for (const { id } of participants) {
      if (counts.has(id) && !marked?.has(id)) continue;
      counts.set(id, await this.countOf(sessionId, id));
    }
    const present = new Set(await this.deps.presentIds(sessionId));
    let people = 0;
    let writers = 0;
    let notes = 0;
    for (const { id } of participants) {
      const written = counts.get(id) ?? 0;
      if (written > 0) writers++;
      // Someone who wrote and then left still counts among those who wrote.
      if (written > 0 || present.has(id)) people++;
      notes += written;
    }
    return { people, writers, notes };
  }

  /** Drops a deleted session's counts and its pending report. */
  forget(sessionId: string): void {
    clearTimeout(this.timers.get(sessionId));
    this.timers.delete(sessionId);
    this.counts.delete(sessionId);
    this.dirty.delete(sessionId);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** The live room if someone has it open, else one loaded for the count (and unloaded again). */
  private countOf(sessionId: string, participantId: string): Promise<number> {
    const count = (room: Room) => new PrivateBoard(room.doc).causeDrafts().filter((draft) => draft.text.trim() !== '').length;
    return this.deps.rooms.withDoc(draftsRef(sessionId, participantId), count);
  }
}
