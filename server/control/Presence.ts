import type { RosterEntry } from '../../shared/events.ts';
import type { Store } from '../store/Store.ts';

/** How long someone who dropped off still counts as present (a Wi-Fi blip must not break their pair). */
export const LEAVE_GRACE_MS = 20_000;

/** Who is online in each session, counted per participant (a person may have two tabs open). */
export class Presence {
  private readonly online = new Map<string, Map<string, number>>();
  private readonly leftAt = new Map<string, Map<string, number>>();

  constructor(private readonly store: Store) {}

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
  }

  /** Online now, or left less than LEAVE_GRACE_MS ago; in joining order. */
  presentIds(sessionId: string, now = Date.now()): string[] {
    const people = this.online.get(sessionId);
    const left = this.leftAt.get(sessionId);
    if (left) for (const [id, at] of left) if (now - at >= LEAVE_GRACE_MS) left.delete(id);
    return this.store
      .listParticipants(sessionId)
      .map((p) => p.id)
      .filter((id) => (people?.get(id) ?? 0) > 0 || left?.has(id));
  }

  roster(sessionId: string): RosterEntry[] {
    const people = this.online.get(sessionId);
    return this.store.listParticipants(sessionId).map((p) => ({
      participantId: p.id,
      name: p.name,
      online: (people?.get(p.id) ?? 0) > 0,
    }));
  }

  forget(sessionId: string): void {
    this.online.delete(sessionId);
    this.leftAt.delete(sessionId);
  }
}
