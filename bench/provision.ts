import path from 'node:path';
import { SessionService } from '../server/sessions/SessionService.ts';
import { PgStore } from '../server/storage/postgres/PgStore.ts';
import { SqliteStore } from '../server/storage/sqlite/SqliteStore.ts';
import type { Store } from '../server/storage/Store.ts';

/**
 * Creates sessions and participants straight in the store, before the server
 * starts, through the same SessionService the HTTP API uses: the data dir's
 * SQLite file, or a PostgreSQL database (`{ databaseUrl }`, the servers'
 * DATABASE_URL, schema and all). Joining 500 participants over HTTP would take
 * minutes under the join rate limit (120 a minute per address), which is there
 * on purpose.
 */
export interface ProvisionedRoom {
  sessionId: string;
  joinCode: string;
  facilitatorToken: string;
  /** The read-only link's token (the projector receives everything, writes nothing). */
  projectorToken: string;
  participants: Array<{ participantId: string; token: string }>;
}

/** A data dir (SQLite), or the PostgreSQL database the servers will be given. */
export type ProvisionTarget = string | { databaseUrl: string };

export async function provision(target: ProvisionTarget, rooms: number, participantsPerRoom: number): Promise<ProvisionedRoom[]> {
  const store: Store =
    typeof target === 'string' ? new SqliteStore(path.join(target, 'howmight.sqlite')) : await PgStore.open(target.databaseUrl);
  try {
    // The awareness benchmark puts 50 clients in one room, past the join cap.
    const sessions = new SessionService(store.sessions, Date.now, Number.POSITIVE_INFINITY);
    const out: ProvisionedRoom[] = [];
    for (let r = 0; r < rooms; r++) {
      const { session, facilitatorToken, projectorToken } = await sessions.create(`Bench room ${r + 1}`, 90);
      // The sort step, after the reveal: where participants add, edit and move notes (the server refuses notes elsewhere).
      const control = { ...session.control, step: 'sort' as const, revealed: true, version: session.control.version + 1 };
      await store.sessions.saveControl(session.id, control, session.control.version);
      const participants: ProvisionedRoom['participants'] = [];
      for (let c = 0; c < participantsPerRoom; c++) {
        const admitted = await sessions.admit({ ...session, control }, `Bench ${r + 1}.${c + 1}`);
        if (!admitted.ok) throw new Error(`join failed while provisioning: ${admitted.refusal}`);
        participants.push({ participantId: admitted.joined.participantId, token: admitted.joined.participantToken });
      }
      out.push({ sessionId: session.id, joinCode: session.joinCode, facilitatorToken, projectorToken, participants });
    }
    return out;
  } finally {
    await store.close();
  }
}
