import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialControl } from '../../shared/protocol/control.ts';
import type { SessionRecord, Store, TokenRecord } from '../../server/storage/Store.ts';

/**
 * What every store must do, whatever keeps the bytes. A store runs it with a
 * factory that opens a fresh, empty store (tests/integration/sqliteStore.test.ts
 * for SQLite); a new store passes it before the server may use it. Everything
 * goes through the two interfaces, nothing through the database underneath.
 */
export function storageContract(name: string, openFresh: () => Promise<Store>): void {
  describe(`${name} keeps the storage contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openFresh();
    });
    afterEach(async () => {
      await store.close();
    });

    let serial = 0;
    const session = (patch: Partial<SessionRecord> = {}): SessionRecord => {
      serial++;
      return {
        id: `session-${serial}`,
        title: `Inquiry ${serial}`,
        lengthMinutes: 90,
        joinCode: `CODE${String(serial).padStart(2, '0')}`,
        createdAt: 1_700_000_000_000 + serial,
        control: initialControl(90),
        ...patch,
      };
    };
    const token = (sessionId: string, patch: Partial<TokenRecord> = {}): TokenRecord => ({
      id: crypto.randomBytes(8).toString('base64url'),
      secretHash: crypto.randomBytes(32),
      sessionId,
      role: 'facilitator',
      participantId: null,
      ...patch,
    });
    const bytes = (n: number) => new Uint8Array(crypto.randomBytes(n));
    const created = async (patch: Partial<SessionRecord> = {}) => {
      const record = session(patch);
      expect(await store.sessions.createSession(record, [])).toBe('created');
      return record;
    };
    const append = (sessionId: string, docName: string, update: Uint8Array) => store.documents.append([{ sessionId, docName, update }]);

    describe('the document log', () => {
      it('loads a document never written as empty', async () => {
        expect(await store.documents.load('nobody')).toEqual({ snapshot: null, snapshotSeq: 0, updates: [] });
      });

      it('gives each document its own dense sequence, in the order of the appends, bytes unchanged', async () => {
        const s = await created();
        const a = [bytes(10), bytes(20), bytes(30)];
        const b = [bytes(5), bytes(6)];
        expect(await store.documents.append([
          { sessionId: s.id, docName: 'a', update: a[0]! },
          { sessionId: s.id, docName: 'b', update: b[0]! },
          { sessionId: s.id, docName: 'a', update: a[1]! },
        ])).toEqual([1, 1, 2]);
        expect(await append(s.id, 'b', b[1]!)).toEqual([2]);
        expect(await append(s.id, 'a', a[2]!)).toEqual([3]);
        expect(await store.documents.load('a')).toEqual({ snapshot: null, snapshotSeq: 0, updates: a.map((update, i) => ({ seq: i + 1, update })) });
        expect((await store.documents.load('b')).updates).toEqual(b.map((update, i) => ({ seq: i + 1, update })));
      });

      it('compacts exactly the rows its snapshot covers: a row appended after the snapshot survives', async () => {
        const s = await created();
        for (let i = 0; i < 5; i++) await append(s.id, 'doc', bytes(8));
        const later = bytes(9);
        await append(s.id, 'doc', later); // seq 6, written after the snapshot below was taken
        const snapshot = bytes(40);
        await store.documents.compact(s.id, 'doc', snapshot, 5);
        expect(await store.documents.load('doc')).toEqual({ snapshot, snapshotSeq: 5, updates: [{ seq: 6, update: later }] });
      });

      it('goes on numbering after a compaction emptied the log', async () => {
        const s = await created();
        await append(s.id, 'doc', bytes(8));
        await append(s.id, 'doc', bytes(8));
        await store.documents.compact(s.id, 'doc', bytes(16), 2);
        expect((await store.documents.load('doc')).updates).toEqual([]);
        expect(await append(s.id, 'doc', bytes(8))).toEqual([3]);
        const again = bytes(24);
        await store.documents.compact(s.id, 'doc', again, 3);
        expect(await store.documents.load('doc')).toEqual({ snapshot: again, snapshotSeq: 3, updates: [] });
      });

      it('deletes one document, log and snapshot, and nothing of another', async () => {
        const s = await created();
        await append(s.id, 'gone', bytes(8));
        await store.documents.compact(s.id, 'gone', bytes(16), 1);
        await append(s.id, 'gone', bytes(8));
        await append(s.id, 'kept', bytes(8));
        await store.documents.deleteDocument('gone');
        expect(await store.documents.load('gone')).toEqual({ snapshot: null, snapshotSeq: 0, updates: [] });
        expect((await store.documents.load('kept')).updates).toHaveLength(1);
        // Nothing of it is left to number after: a new document of that name starts again.
        expect(await append(s.id, 'gone', bytes(8))).toEqual([1]);
        await store.documents.deleteDocument('never-written');
      });

      it('keeps a snapshot over a later one that covers less', async () => {
        const s = await created();
        for (let i = 0; i < 4; i++) await append(s.id, 'doc', bytes(8));
        const newer = bytes(32);
        await store.documents.compact(s.id, 'doc', newer, 4);
        await store.documents.compact(s.id, 'doc', bytes(16), 2);
        expect(await store.documents.load('doc')).toMatchObject({ snapshot: newer, snapshotSeq: 4 });
      });
    });

    describe('the session store', () => {
      it('round-trips a session, its people and its tokens', async () => {
        const s = session();
        const facilitator = token(s.id);
        const projector = token(s.id, { role: 'projector' });
        expect(await store.sessions.createSession(s, [facilitator, projector])).toBe('created');
        expect(await store.sessions.getSession(s.id)).toEqual(s);
        expect(await store.sessions.findSessionByJoinCode(s.joinCode)).toEqual(s);
        expect(await store.sessions.findSessionByJoinCode('NOPE00')).toBeNull();
        expect(await store.sessions.findToken(facilitator.id)).toEqual(facilitator);
        expect(await store.sessions.findToken(projector.id)).toEqual(projector);

        const ben = { id: 'p-ben', sessionId: s.id, name: 'Ben', createdAt: 20 };
        const ada = { id: 'p-ada', sessionId: s.id, name: 'Ada', createdAt: 10 };
        const benToken = token(s.id, { role: 'participant', participantId: ben.id });
        await store.sessions.addParticipant(ben, benToken);
        await store.sessions.addParticipant(ada, token(s.id, { role: 'participant', participantId: ada.id }));
        expect(await store.sessions.listParticipants(s.id)).toEqual([ada, ben]);
        expect(await store.sessions.getParticipant(ben.id)).toEqual(ben);
        expect(await store.sessions.findToken(benToken.id)).toEqual(benToken);
        const extra = token(s.id, { role: 'projector' });
        await store.sessions.addToken(extra);
        expect(await store.sessions.findToken(extra.id)).toEqual(extra);
        expect(await store.sessions.getSession('nobody')).toBeNull();
        expect(await store.sessions.getParticipant('nobody')).toBeNull();
        expect(await store.sessions.findToken('nobody')).toBeNull();
      });

      it('answers a join code already in use with a typed outcome and stores nothing of the newcomer', async () => {
        const first = await created({ joinCode: 'SAME22' });
        const second = session({ joinCode: 'SAME22' });
        const itsToken = token(second.id);
        expect(await store.sessions.createSession(second, [itsToken])).toBe('join-code-taken');
        expect(await store.sessions.getSession(second.id)).toBeNull();
        expect(await store.sessions.findToken(itsToken.id)).toBeNull();
        expect(await store.sessions.findSessionByJoinCode('SAME22')).toEqual(first);
      });

      it('saves control state compare-and-set on its version: a stale save is refused', async () => {
        const s = await created();
        const v1 = { ...s.control, locked: true, version: 1 };
        expect(await store.sessions.saveControl(s.id, v1, 0)).toBe(true);
        // A second writer that read version 0 too loses, and changes nothing.
        expect(await store.sessions.saveControl(s.id, { ...s.control, step: 'story', version: 1 }, 0)).toBe(false);
        expect((await store.sessions.getSession(s.id))!.control).toEqual(v1);
        expect(await store.sessions.saveControl(s.id, { ...v1, locked: false, version: 2 }, 1)).toBe(true);
        expect((await store.sessions.getSession(s.id))!.control).toMatchObject({ locked: false, version: 2 });
        expect(await store.sessions.saveControl('nobody', v1, 0)).toBe(false);
      });

      it('deletes a participant with their tokens, and nobody else', async () => {
        const s = await created();
        const ada = { id: 'p-ada', sessionId: s.id, name: 'Ada', createdAt: 1 };
        const ben = { id: 'p-ben', sessionId: s.id, name: 'Ben', createdAt: 2 };
        const adaToken = token(s.id, { role: 'participant', participantId: ada.id });
        const benToken = token(s.id, { role: 'participant', participantId: ben.id });
        await store.sessions.addParticipant(ada, adaToken);
        await store.sessions.addParticipant(ben, benToken);
        await store.sessions.deleteParticipant(ada.id);
        expect(await store.sessions.getParticipant(ada.id)).toBeNull();
        expect(await store.sessions.findToken(adaToken.id)).toBeNull();
        expect(await store.sessions.listParticipants(s.id)).toEqual([ben]);
        expect(await store.sessions.findToken(benToken.id)).toEqual(benToken);
      });

      it('deletes a session with everything of it, documents included, and nothing of another', async () => {
        const gone = session();
        const kept = session();
        const goneToken = token(gone.id);
        const keptToken = token(kept.id);
        await store.sessions.createSession(gone, [goneToken]);
        await store.sessions.createSession(kept, [keptToken]);
        const person = { id: 'p-gone', sessionId: gone.id, name: 'Ada', createdAt: 1 };
        const personToken = token(gone.id, { role: 'participant', participantId: person.id });
        await store.sessions.addParticipant(person, personToken);
        await append(gone.id, gone.id, bytes(8));
        await append(gone.id, `${gone.id}/private`, bytes(8));
        await store.documents.compact(gone.id, gone.id, bytes(16), 1);
        await append(gone.id, gone.id, bytes(8));
        await append(kept.id, kept.id, bytes(8));

        expect(await store.sessions.deleteSession(gone.id)).toBe(true);
        expect(await store.sessions.getSession(gone.id)).toBeNull();
        expect(await store.sessions.findSessionByJoinCode(gone.joinCode)).toBeNull();
        expect(await store.sessions.listParticipants(gone.id)).toEqual([]);
        expect(await store.sessions.getParticipant(person.id)).toBeNull();
        for (const t of [goneToken, personToken]) expect(await store.sessions.findToken(t.id)).toBeNull();
        for (const doc of [gone.id, `${gone.id}/private`]) {
          expect(await store.documents.load(doc)).toEqual({ snapshot: null, snapshotSeq: 0, updates: [] });
        }
        expect(await store.sessions.deleteSession(gone.id)).toBe(false);

        expect(await store.sessions.getSession(kept.id)).toEqual(kept);
        expect(await store.sessions.findToken(keptToken.id)).toEqual(keptToken);
        expect((await store.documents.load(kept.id)).updates).toHaveLength(1);
      });
    });
  });
}
