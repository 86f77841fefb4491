import type { Problem } from '../../shared/events.ts';

/** What a command came to, remembered under its client-chosen id. */
export type Remembered = { ok: true } | { ok: false; problem: Problem };

/**
 * The last few command ids each session's facilitator used, oldest evicted
 * first. Bounded twice over (ids per session, sessions) so a client inventing
 * ids cannot grow it without limit.
 */
export class RecentCommands {
  private readonly sessions = new Map<string, Map<string, Remembered>>();

  constructor(
    private readonly perSession = 64,
    private readonly maxSessions = 1000,
  ) {}

  get(sessionId: string, id: string): Remembered | undefined {
    return this.sessions.get(sessionId)?.get(id);
  }

  remember(sessionId: string, id: string, outcome: Remembered): void {
    let ids = this.sessions.get(sessionId);
    if (!ids) {
      if (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
      ids = new Map();
    } else {
      // Re-inserting moves the session to the young end of the map.
      this.sessions.delete(sessionId);
    }
    this.sessions.set(sessionId, ids);
    ids.set(id, outcome);
    if (ids.size > this.perSession) ids.delete(ids.keys().next().value!);
  }

  forget(sessionId: string): void {
    this.sessions.delete(sessionId);
  }
}
