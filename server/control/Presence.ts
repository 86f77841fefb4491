import type { RosterEntry } from '../../shared/events.ts';
import type { Store } from '../store/Store.ts';

/** Who is online in each session, counted per participant (a person may have two tabs open). */
export class Presence {
  private readonly online = new Map<string, Map<string, number>>();

  constructor(private readonly store: Store) {}

  arrive(sessionId: string, participantId: string): void {
    const people = this.online.get(sessionId) ?? new Map<string, number>();
    people.set(participantId, (people.get(participantId) ?? 0) + 1);
    this.online.set(sessionId, people);
  }

  leave(sessionId: string, participantId: string): void {
    const people = this.online.get(sessionId);
    if (!people) return;
    const count = (people.get(participantId) ?? 1) - 1;
    if (count > 0) people.set(participantId, count);
    else people.delete(participantId);
    if (people.size === 0) this.online.delete(sessionId);
  }

  onlineIds(sessionId: string): string[] {
    return [...(this.online.get(sessionId)?.keys() ?? [])];
  }

  roster(sessionId: string): RosterEntry[] {
    const people = this.online.get(sessionId);
    return this.store.listParticipants(sessionId).map((p) => ({
      participantId: p.id,
      name: p.name,
      online: (people?.get(p.id) ?? 0) > 0,
    }));
  }
}
