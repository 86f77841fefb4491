import type { RosterEntry } from '../../shared/events.ts';
import type { SessionStore } from '../storage/SessionStore.ts';

/** How long someone who dropped off still counts as present (a Wi-Fi blip must not break their pair). */
export const LEAVE_GRACE_MS = 20_000;

/**
 * Who is online in each session, counted per participant (a person may have
 * two tabs open), and when a leaver's grace period is over. The people come
 * from the session store on each call, so someone who joined a moment ago is
 * counted.
 */
export class Presence {
  private readonly online = new Map<string, Map<string, number>>();
  private readonly leftAt = new Map<string, Map<string, number>>();
  /**
   * Pairs change only once a leaver has been gone for the grace period. One
   * timer per session, holding only the session id: a timer per disconnect
   * would keep every closed socket alive for the grace period.
   */
  private readonly graceTimers = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private closed = false;

  constructor(
    private readonly sessions: SessionStore,
    /**
     * With several processes: who is online in the session on any of them
     * (participant id → sockets), or null if that cannot be told now (this
     * process's own count is used then). Leavers' grace periods stay each
     * process's own.
     */
    private readonly onlineEverywhere: ((sessionId: string) => Promise<Map<string, number> | null>) | null = null,
  ) {}

  /** Told when a leaver's grace period has run out (the control plane then re-forms pairs and sends the roster). */
  onGraceOver: (sessionId: string) => void = () => {};

  arrive(sessionId: string, participantId: string): void {
    const people = this.online.get(sessionId) ?? new Map<string, number>();
    people.set(participantId, (people.get(participantId) ?? 0) + 1);
    this.online.set(sessionId, people);
    this.leftAt.get(sessionId)?.delete(participantId);
  }

  leave(sessionId: string, participantId: string, now = Date.now()): void {
    const people = this.online.get(sessionId);
    if (!people) return;
    const count = (people.get(participantId) ?? 1) - 1;
    if (count > 0) {
      people.set(participantId, count);
      return;
    }
    people.delete(participantId);
    if (people.size === 0) this.online.delete(sessionId);
    const left = this.leftAt.get(sessionId) ?? new Map<string, number>();
    left.set(participantId, now);
    this.leftAt.set(sessionId, left);
    this.afterGrace(sessionId);
  }

  /** Online now, or left less than LEAVE_GRACE_MS ago; in joining order. */
  async presentIds(sessionId: string, now = Date.now()): Promise<string[]> {
    const participants = await this.sessions.listParticipants(sessionId);
    const people = await this.onlineIn(sessionId);
    const left = this.leftAt.get(sessionId);
    if (left) for (const [id, at] of left) if (now - at >= LEAVE_GRACE_MS) left.delete(id);
    return participants.map((p) => p.id).filter((id) => (people?.get(id) ?? 0) > 0 || left?.has(id));
  }

  async roster(sessionId: string): Promise<RosterEntry[]> {
    const participants = await this.sessions.listParticipants(sessionId);
    const people = await this.onlineIn(sessionId);
    return participants.map((p) => ({
      participantId: p.id,
      name: p.name,
      online: (people?.get(p.id) ?? 0) > 0,
    }));
  }

  private async onlineIn(sessionId: string): Promise<Map<string, number> | undefined> {
    const everywhere = this.onlineEverywhere && (await this.onlineEverywhere(sessionId));
    return everywhere ?? this.online.get(sessionId);
  }

  forget(sessionId: string): void {
    this.online.delete(sessionId);
    this.leftAt.delete(sessionId);
    clearTimeout(this.graceTimers.get(sessionId)?.timer);
    this.graceTimers.delete(sessionId);
  }

  /** Stops every timer: the sockets' own disconnects during shutdown must not start timers that outlive the store. */
  close(): void {
    this.closed = true;
    for (const { timer } of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
  }

  private afterGrace(sessionId: string): void {
    if (this.closed) return;
    const due = Date.now() + LEAVE_GRACE_MS + 50;
    const pending = this.graceTimers.get(sessionId);
    if (pending) {
      pending.due = due;
      return;
    }
    const fire = () => {
      const entry = this.graceTimers.get(sessionId);
      if (!entry) return;
      this.onGraceOver(sessionId);
      const wait = entry.due - Date.now();
      if (wait > 0) {
        entry.timer = setTimeout(fire, wait);
        entry.timer.unref();
      } else {
        this.graceTimers.delete(sessionId);
      }
    };
    const timer = setTimeout(fire, due - Date.now());
    timer.unref();
    this.graceTimers.set(sessionId, { timer, due });
  }
}
