import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntryRecord } from '../../server/storage/LogStore.ts';
import type { PulseWindowRecord } from '../../server/storage/PulseStore.ts';
import { initialControl } from '../../shared/protocol/control.ts';
import type { SessionRecord, Store, TokenRecord } from '../../server/storage/Store.ts';
import type { CohortRecord, CohortTokenRecord, CommitmentRecord, MeetingRecord, MemberRecord, StaffRecord } from '../../server/storage/CohortStore.ts';
import type { ResourceRecord } from '../../server/storage/PlaylistStore.ts';

/**
 * What every store must do, whatever keeps the bytes. A store runs it with a
 * factory that opens a fresh, empty store (tests/integration/sqliteStore.test.ts
 * for SQLite); a new store passes it before the server may use it. Everything
 * goes through the interfaces, nothing through the database underneath.
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

      it('hands a process that applied rows up to a seq what came after, with the snapshot once a compaction covered some of it', async () => {
        const s = await created();
        const rows = [bytes(8), bytes(9), bytes(10), bytes(11)];
        for (const row of rows) await append(s.id, 'doc', row);
        expect(await store.documents.loadSince('doc', 2)).toEqual({
          snapshot: null,
          snapshotSeq: 0,
          updates: [{ seq: 3, update: rows[2] }, { seq: 4, update: rows[3] }],
        });
        expect((await store.documents.loadSince('doc', 4)).updates).toEqual([]);
        const snapshot = bytes(30);
        await store.documents.compact(s.id, 'doc', snapshot, 3);
        // Rows 2 and 3 are gone into the snapshot: it comes, with what follows it.
        expect(await store.documents.loadSince('doc', 1)).toEqual({ snapshot, snapshotSeq: 3, updates: [{ seq: 4, update: rows[3] }] });
        // Past the snapshot, the rows alone.
        expect(await store.documents.loadSince('doc', 3)).toEqual({ snapshot: null, snapshotSeq: 3, updates: [{ seq: 4, update: rows[3] }] });
        expect(await store.documents.loadSince('nobody', 0)).toEqual({ snapshot: null, snapshotSeq: 0, updates: [] });
      });

      it('tells the head seq of each document asked for, compacted or not, and nothing of one never written', async () => {
        const s = await created();
        for (let i = 0; i < 3; i++) await append(s.id, 'a', bytes(8));
        await append(s.id, 'b', bytes(8));
        await append(s.id, 'b', bytes(8));
        await store.documents.compact(s.id, 'b', bytes(16), 2);
        expect(await store.documents.heads(['a', 'b', 'nobody'])).toEqual(new Map([['a', 3], ['b', 2]]));
        expect(await store.documents.heads([])).toEqual(new Map());
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

    describe('the cohort store', () => {
      const cohort = (patch: Partial<CohortRecord> = {}): CohortRecord => {
        serial++;
        return {
          id: `cohort-${serial}`,
          name: `Cohort ${serial}`,
          startsOn: '2026-09-01',
          endsOn: '2027-06-30',
          lengthMinutes: 90,
          joinCode: `COH${String(serial).padStart(3, '0')}`,
          createdAt: 1_700_000_000_000 + serial,
          ...patch,
        };
      };
      const staffOf = (c: CohortRecord): StaffRecord => ({ id: `${c.id}-fac`, cohortId: c.id, name: 'Fran', role: 'facilitator', createdAt: 1 });
      const cohortToken = (c: CohortRecord, holderId: string | null, kind: CohortTokenRecord['kind']): CohortTokenRecord => ({
        id: crypto.randomBytes(8).toString('base64url'),
        secretHash: crypto.randomBytes(32),
        cohortId: c.id,
        kind,
        holderId,
      });
      const member = (c: CohortRecord, name: string, createdAt: number): MemberRecord => ({
        id: `${c.id}-${name}`, cohortId: c.id, name, challenge: '', communityId: null, createdAt, removedAt: null,
      });
      const commitment = (c: CohortRecord, m: MemberRecord, sessionId: string, patch: Partial<CommitmentRecord> = {}): CommitmentRecord => ({
        id: crypto.randomBytes(6).toString('base64url'), cohortId: c.id, communityId: null, memberId: m.id, sessionId,
        action: 'Ask the chair', notice: '', partner: '', due: '', status: 'open', createdAt: 1, reviewedAt: null, ...patch,
      });
      const createdCohort = async (patch: Partial<CohortRecord> = {}) => {
        const c = cohort(patch);
        const staffToken = cohortToken(c, `${c.id}-fac`, 'staff');
        expect(await store.cohorts.createCohort(c, staffOf(c), [staffToken])).toBe('created');
        return { c, staffToken };
      };

      it('round-trips a cohort, found by id and by join code, with its staff and token', async () => {
        const { c, staffToken } = await createdCohort();
        expect(await store.cohorts.getCohort(c.id)).toEqual(c);
        expect(await store.cohorts.findCohortByJoinCode(c.joinCode)).toEqual(c);
        expect(await store.cohorts.findCohortByJoinCode('NOPE00')).toBeNull();
        expect(await store.cohorts.listStaff(c.id)).toEqual([staffOf(c)]);
        expect(await store.cohorts.findCohortToken(staffToken.id)).toEqual(staffToken);
        expect(await store.cohorts.getCohort('nobody')).toBeNull();
      });

      it('answers a join code in use with a typed outcome and stores nothing of the newcomer', async () => {
        const { c: first } = await createdCohort({ joinCode: 'SAMEC1' });
        const second = cohort({ joinCode: 'SAMEC1' });
        const itsToken = cohortToken(second, `${second.id}-fac`, 'staff');
        expect(await store.cohorts.createCohort(second, staffOf(second), [itsToken])).toBe('join-code-taken');
        expect(await store.cohorts.getCohort(second.id)).toBeNull();
        expect(await store.cohorts.getStaff(`${second.id}-fac`)).toBeNull();
        expect(await store.cohorts.findCohortToken(itsToken.id)).toBeNull();
        expect(await store.cohorts.findCohortByJoinCode('SAMEC1')).toEqual(first);
      });

      it('lists current members in joining order, leaving removed ones out', async () => {
        const { c } = await createdCohort();
        const [ben, ana, cleo] = [member(c, 'Ben', 20), member(c, 'Ana', 10), member(c, 'Cleo', 30)];
        for (const m of [ben, ana, cleo]) await store.cohorts.addMember(m, cohortToken(c, m.id, 'member'));
        expect((await store.cohorts.listMembers(c.id)).map((m) => m.name)).toEqual(['Ana', 'Ben', 'Cleo']);
        await store.cohorts.anonymiseMember(ben.id, 'A former member', 99);
        await store.cohorts.deleteMember(cleo.id);
        expect(await store.cohorts.listMembers(c.id)).toEqual([ana]);
        expect(await store.cohorts.getMember(ben.id)).toMatchObject({ name: 'A former member', removedAt: 99 });
        expect(await store.cohorts.getMember(cleo.id)).toBeNull();
      });

      it('revokes a holder’s tokens of the given kinds only', async () => {
        const { c } = await createdCohort();
        const ana = member(c, 'Ana', 1);
        const link = cohortToken(c, ana.id, 'member');
        await store.cohorts.addMember(ana, link);
        const feed = cohortToken(c, ana.id, 'calendar');
        await store.cohorts.addCohortToken(feed);
        const other = member(c, 'Ben', 2);
        const otherFeed = cohortToken(c, other.id, 'calendar');
        await store.cohorts.addMember(other, cohortToken(c, other.id, 'member'));
        await store.cohorts.addCohortToken(otherFeed);
        await store.cohorts.deleteTokensOf(ana.id, ['calendar']);
        expect(await store.cohorts.findCohortToken(feed.id)).toBeNull();
        expect(await store.cohorts.findCohortToken(link.id)).toEqual(link);
        expect(await store.cohorts.findCohortToken(otherFeed.id)).toEqual(otherFeed);
        await store.cohorts.deleteTokensOf(ana.id, ['member', 'calendar']);
        expect(await store.cohorts.findCohortToken(link.id)).toBeNull();
      });

      it('keeps at most one open commitment per member', async () => {
        const { c } = await createdCohort();
        const s = await created();
        const ana = member(c, 'Ana', 1);
        await store.cohorts.addMember(ana, cohortToken(c, ana.id, 'member'));
        const first = commitment(c, ana, s.id);
        await store.cohorts.addCommitment(first);
        await expect(store.cohorts.addCommitment(commitment(c, ana, s.id))).rejects.toThrow();
        expect((await store.cohorts.listCommitments(c.id)).map((x) => x.id)).toEqual([first.id]);
        // Closed ones do not count.
        await store.cohorts.setCommitmentStatus(first.id, 'done', 5);
        const second = commitment(c, ana, s.id, { createdAt: 2 });
        await store.cohorts.addCommitment(second);
        expect(await store.cohorts.getCommitment(first.id)).toMatchObject({ status: 'done', reviewedAt: 5 });
        expect(await store.cohorts.getCommitment(second.id)).toEqual(second);
      });

      it("keeps a community's default shape apart from its other fields, refuses a bad one, and a meeting's template", async () => {
        const { c } = await createdCohort();
        const s = await created();
        const community = { id: `${c.id}-shape`, cohortId: c.id, name: 'A', challenge: '', series: null, lengthMinutes: 90 as const, createdAt: 1 };
        await store.cohorts.addCommunity(community);
        expect((await store.cohorts.getCommunity(community.id))?.agenda).toBeNull();
        const shape = { template: 'monthly-tuning' as const, steps: ['checkin' as const, 'commit' as const], minutes: { checkin: 10 } };
        await store.cohorts.setCommunityAgenda(community.id, shape);
        // Editing the name leaves the shape alone.
        await store.cohorts.updateCommunity({ ...community, name: 'B' });
        expect(await store.cohorts.getCommunity(community.id)).toMatchObject({ name: 'B', agenda: shape });
        expect((await store.cohorts.listCommunities(c.id))[0]?.agenda).toEqual(shape);
        await expect(store.cohorts.setCommunityAgenda(community.id, { ...shape, steps: ['checkin', 'checkin'] })).rejects.toThrow();
        expect((await store.cohorts.getCommunity(community.id))?.agenda).toEqual(shape);
        await store.cohorts.setCommunityAgenda(community.id, null);
        expect((await store.cohorts.getCommunity(community.id))?.agenda).toBeNull();
        await store.cohorts.addMeeting({ sessionId: s.id, cohortId: c.id, communityId: community.id, index: 2, startsAt: '2026-10-13T16:00', lengthMinutes: 90, finishedAt: null, template: 'monthly-success' });
        expect((await store.cohorts.getMeeting(s.id))?.template).toBe('monthly-success');
      });

      it('lists what was made in the same millisecond in the order it was made', async () => {
        const { c } = await createdCohort();
        // Ids chosen so that sorting by id would reverse them.
        for (const [i, id] of ['zz-com', 'mm-com', 'aa-com'].entries()) {
          await store.cohorts.addCommunity({ id, cohortId: c.id, name: `C${i}`, challenge: '', series: null, lengthMinutes: 90, createdAt: 5 });
        }
        expect((await store.cohorts.listCommunities(c.id)).map((x) => x.name)).toEqual(['C0', 'C1', 'C2']);
        for (const name of ['Zed', 'Mo', 'Al']) await store.cohorts.addMember({ ...member(c, name, 5), id: `${c.id}-${name}` }, cohortToken(c, `${c.id}-${name}`, 'member'));
        expect((await store.cohorts.listMembers(c.id)).map((m) => m.name)).toEqual(['Zed', 'Mo', 'Al']);
      });

      it('deletes a cohort with everything of it, and nothing of another', async () => {
        const { c: gone, staffToken } = await createdCohort();
        const { c: kept, staffToken: keptToken } = await createdCohort();
        const s = await created();
        const ana = member(gone, 'Ana', 1);
        const link = cohortToken(gone, ana.id, 'member');
        await store.cohorts.addMember(ana, link);
        const community = { id: `${gone.id}-com`, cohortId: gone.id, name: 'A', challenge: '', series: null, lengthMinutes: 90 as const, createdAt: 1 };
        await store.cohorts.addCommunity(community);
        await store.cohorts.addMeeting({ sessionId: s.id, cohortId: gone.id, communityId: community.id, index: 1, startsAt: '2026-09-08T16:00', lengthMinutes: 90, finishedAt: null });
        const made = commitment(gone, ana, s.id);
        await store.cohorts.addCommitment(made);
        const keptMember = member(kept, 'Ana', 1);
        await store.cohorts.addMember(keptMember, cohortToken(kept, keptMember.id, 'member'));

        expect(await store.cohorts.deleteCohort(gone.id)).toBe(true);
        expect(await store.cohorts.getCohort(gone.id)).toBeNull();
        expect(await store.cohorts.findCohortByJoinCode(gone.joinCode)).toBeNull();
        expect(await store.cohorts.listStaff(gone.id)).toEqual([]);
        expect(await store.cohorts.listMembers(gone.id)).toEqual([]);
        expect(await store.cohorts.getMember(ana.id)).toBeNull();
        expect(await store.cohorts.getCommunity(community.id)).toBeNull();
        expect(await store.cohorts.listMeetings(gone.id)).toEqual([]);
        expect(await store.cohorts.getMeeting(s.id)).toBeNull();
        expect(await store.cohorts.getCommitment(made.id)).toBeNull();
        for (const t of [staffToken, link]) expect(await store.cohorts.findCohortToken(t.id)).toBeNull();
        expect(await store.cohorts.deleteCohort(gone.id)).toBe(false);

        expect(await store.cohorts.getCohort(kept.id)).toEqual(kept);
        expect(await store.cohorts.findCohortToken(keptToken.id)).toEqual(keptToken);
        expect(await store.cohorts.listMembers(kept.id)).toEqual([keptMember]);
      });

      describe('the playlists', () => {
        const resource = (c: CohortRecord, communityId: string | null, id: string, patch: Partial<ResourceRecord> = {}): ResourceRecord => ({
          id, cohortId: c.id, communityId, title: `Resource ${id}`, url: `https://example.org/${id}`, type: 'reading', why: '', tags: ['skills'],
          questionVersionId: null, memberId: null, staffId: `${c.id}-fac`, sharedToCohort: false, position: 0, pinned: false,
          featuredAt: null, createdAt: 1, ...patch,
        });
        const withCommunity = async () => {
          const { c } = await createdCohort();
          const community = { id: `${c.id}-com`, cohortId: c.id, name: 'A', challenge: '', series: null, lengthMinutes: 90 as const, createdAt: 1 };
          await store.cohorts.addCommunity(community);
          const ana = member(c, 'Ana', 1);
          const ben = member(c, 'Ben', 2);
          await store.cohorts.addMember(ana, cohortToken(c, ana.id, 'member'));
          await store.cohorts.addMember(ben, cohortToken(c, ben.id, 'member'));
          return { c, community, ana, ben };
        };

        it('round-trips a resource, orders a playlist and pins one per playlist', async () => {
          const { c, community } = await withCommunity();
          const a = resource(c, community.id, `${c.id}-a`, { tags: ['structures', 'dispositions'], sharedToCohort: true });
          const b = resource(c, community.id, `${c.id}-b`, { position: 1 });
          const own = resource(c, null, `${c.id}-own`);
          for (const r of [a, b, own]) await store.playlists.addResource(r);
          expect(await store.playlists.getResource(a.id)).toEqual(a);
          await store.playlists.setOrder([b.id, a.id]);
          expect((await store.playlists.listResources(c.id)).filter((r) => r.communityId).map((r) => [r.id, r.position])).toEqual([[b.id, 0], [a.id, 1]]);
          await store.playlists.setPinned(c.id, community.id, a.id);
          await store.playlists.setPinned(c.id, null, own.id);
          await store.playlists.setPinned(c.id, community.id, b.id);
          const pinned = (await store.playlists.listResources(c.id)).filter((r) => r.pinned).map((r) => r.id).sort();
          expect(pinned).toEqual([b.id, own.id].sort());
          await store.playlists.updateResource({ ...a, title: 'Renamed', sharedToCohort: false });
          await store.playlists.setFeatured(a.id, 'session-x');
          expect(await store.playlists.getResource(a.id)).toMatchObject({ title: 'Renamed', sharedToCohort: false, featuredAt: 'session-x' });
        });

        it("keeps one mark of each kind per member and resource; deleting a member deletes their resources and every mark of or naming them", async () => {
          const { c, community, ana, ben } = await withCommunity();
          const fran = resource(c, community.id, `${c.id}-fran`);
          const anas = resource(c, community.id, `${c.id}-anas`, { memberId: ana.id, staffId: null });
          for (const r of [fran, anas]) await store.playlists.addResource(r);
          await store.playlists.setUsed(fran.id, ana.id, true);
          await store.playlists.setUsed(fran.id, ana.id, true);
          await store.playlists.setTakeaway(fran.id, ana.id, 'First', 1);
          await store.playlists.setTakeaway(fran.id, ana.id, 'Second', 2);
          await store.playlists.setPair(fran.id, ben.id, ana.id);
          expect(await store.playlists.listUsed(c.id)).toEqual([{ resourceId: fran.id, memberId: ana.id }]);
          expect((await store.playlists.listTakeaways(c.id)).map((t) => t.text)).toEqual(['Second']);
          expect(await store.playlists.listPairs(c.id)).toEqual([{ resourceId: fran.id, memberId: ben.id, partnerId: ana.id }]);

          await store.cohorts.deleteMember(ana.id);
          expect((await store.playlists.listResources(c.id)).map((r) => r.id)).toEqual([fran.id]);
          expect(await store.playlists.listUsed(c.id)).toEqual([]);
          expect(await store.playlists.listTakeaways(c.id)).toEqual([]);
          expect(await store.playlists.listPairs(c.id)).toEqual([]);
        });

        it('deleting a community or the cohort deletes its playlists', async () => {
          const { c, community } = await withCommunity();
          await store.playlists.addResource(resource(c, community.id, `${c.id}-in`));
          await store.playlists.addResource(resource(c, null, `${c.id}-own`));
          await store.cohorts.deleteCommunity(community.id);
          expect((await store.playlists.listResources(c.id)).map((r) => r.id)).toEqual([`${c.id}-own`]);
          await store.cohorts.deleteCohort(c.id);
          expect(await store.playlists.getResource(`${c.id}-own`)).toBeNull();
        });
      });

      describe('the practice log', () => {
        const entry = (c: CohortRecord, authorId: string, id: string, patch: Partial<LogEntryRecord> = {}): LogEntryRecord => ({
          id, cohortId: c.id, authorId, commitmentId: null, tried: 'Tried', what: 'What', soWhat: '', nowWhat: '', actual: '',
          decision: null, visibility: 'private', peerId: null, createdAt: 1, updatedAt: 1, editedAt: 10, sharedAt: null, ...patch,
        });
        const withMembers = async () => {
          const { c } = await createdCohort();
          const ana = member(c, 'Ana', 1);
          const ben = member(c, 'Ben', 2);
          await store.cohorts.addMember(ana, cohortToken(c, ana.id, 'member'));
          await store.cohorts.addMember(ben, cohortToken(c, ben.id, 'member'));
          return { c, ana, ben };
        };

        it('keeps the later edit of an entry, lists mine and the shared ones, and counts without text', async () => {
          const { c, ana, ben } = await withMembers();
          const mine = entry(c, ana.id, `${c.id}-e1`);
          expect(await store.logs.saveEntry(mine)).toBe('saved');
          expect(await store.logs.saveEntry({ ...mine, what: 'older', editedAt: 5 })).toBe('stale');
          expect(await store.logs.saveEntry({ ...mine, what: 'newer', editedAt: 20, visibility: 'peer', peerId: ben.id, sharedAt: 3 })).toBe('saved');
          await store.logs.saveEntry(entry(c, ana.id, `${c.id}-e2`, { createdAt: 2 }));
          expect((await store.logs.getEntry(mine.id))!.what).toBe('newer');
          expect((await store.logs.listEntriesOf(ana.id)).map((e) => e.id)).toEqual([mine.id, `${c.id}-e2`]);
          expect(await store.logs.countEntriesOf(ana.id)).toBe(2);
          expect((await store.logs.listSharedEntries(c.id)).map((e) => e.id)).toEqual([mine.id]);
          expect(await store.logs.listEntryMeta(c.id)).toEqual([
            { id: mine.id, authorId: ana.id, visibility: 'peer', createdAt: 1, updatedAt: 1 },
            { id: `${c.id}-e2`, authorId: ana.id, visibility: 'private', createdAt: 2, updatedAt: 1 },
          ]);
        });

        it('notes and seen marks; removing a member takes their entries, their notes and their marks, and a peer gone leaves no peer', async () => {
          const { c, ana, ben } = await withMembers();
          const e = entry(c, ana.id, `${c.id}-e`, { visibility: 'peer', peerId: ben.id });
          await store.logs.saveEntry(e);
          await store.logs.addNote({ id: `${c.id}-n1`, entryId: e.id, authorId: ben.id, text: 'Nice', createdAt: 5 });
          expect((await store.logs.listNotesOn([e.id])).map((n) => n.text)).toEqual(['Nice']);
          expect(await store.logs.countNotesOn(e.id)).toBe(1);
          expect(await store.logs.listNotesOn([])).toEqual([]);
          await store.logs.markSeen(ben.id, [e.id], 7);
          await store.logs.markSeen(ben.id, [e.id], 9);
          expect(await store.logs.seenBy(ben.id)).toEqual(new Map([[e.id, 9]]));
          await store.logs.deleteLogOf(ben.id);
          expect(await store.logs.listNotesOn([e.id])).toEqual([]);
          expect(await store.logs.seenBy(ben.id)).toEqual(new Map());
          await store.cohorts.deleteMember(ben.id);
          expect((await store.logs.getEntry(e.id))!.peerId).toBeNull();
          await store.cohorts.deleteCohort(c.id);
          expect(await store.logs.getEntry(e.id)).toBeNull();
        });
      });

      describe('the trust pulse', () => {
        const window = (c: CohortRecord, patch: Partial<PulseWindowRecord> = {}): PulseWindowRecord => ({
          id: `${c.id}-w`, cohortId: c.id, label: 'After meeting 1', instrument: 1, items: ['ben1', 'pre1'], floor: 5,
          openedAt: 100, closesAt: 1_000, closedAt: null, results: null, notes: '', ...patch,
        });

        it('one answer per member, none after close, and at close only the aggregate stays', async () => {
          const { c } = await createdCohort();
          const people = ['Ana', 'Ben', 'Cleo'].map((n, i) => member(c, n, i));
          for (const m of people) await store.cohorts.addMember(m, cohortToken(c, m.id, 'member'));
          const w = window(c);
          await store.pulses.openWindow(w);
          expect(await store.pulses.getWindow(w.id)).toEqual(w);
          expect(await store.pulses.answer(w.id, people[0]!.id, { communityId: null, answers: { ben1: 4 } }, 500)).toBe('answered');
          expect(await store.pulses.answer(w.id, people[0]!.id, { communityId: null, answers: { ben1: 1 } }, 500)).toBe('already-answered');
          expect(await store.pulses.answer(w.id, people[1]!.id, { communityId: null, answers: { pre1: 6 } }, 500)).toBe('answered');
          expect(await store.pulses.answer(w.id, people[2]!.id, { communityId: null, answers: { pre1: 6 } }, 1_000)).toBe('closed');
          expect(await store.pulses.hasAnswered(w.id, people[0]!.id)).toBe(true);
          expect(await store.pulses.hasAnswered(w.id, people[2]!.id)).toBe(false);
          expect(await store.pulses.countReceipts(w.id)).toBe(2);
          expect((await store.pulses.answersOf(w.id)).map((a) => a.answers).sort((a, b) => Object.keys(a)[0]!.localeCompare(Object.keys(b)[0]!))).toEqual([{ ben1: 4 }, { pre1: 6 }]);
          await store.pulses.setNotes(w.id, 'We fixed our rhythm');
          const results = { floor: 5, respondents: null, members: 3, cohort: {} as never, communities: {}, weakest: null };
          expect(await store.pulses.close(w.id, 900, results)).toBe(true);
          expect(await store.pulses.close(w.id, 950, results)).toBe(false);
          expect(await store.pulses.getWindow(w.id)).toEqual({ ...w, closedAt: 900, results, notes: 'We fixed our rhythm' });
          expect(await store.pulses.answersOf(w.id)).toEqual([]);
          expect(await store.pulses.answer(w.id, people[2]!.id, { communityId: null, answers: { pre1: 6 } }, 500)).toBe('closed');
          expect((await store.pulses.listWindows(c.id)).map((x) => x.id)).toEqual([w.id]);
          await store.cohorts.deleteCohort(c.id);
          expect(await store.pulses.getWindow(w.id)).toBeNull();
        });
      });

      describe('breakouts, orderings and concurrent writers', () => {
        it("keeps a plenary's groups out of its cohort's meetings, oldest first, each with its members in joining order", async () => {
          const { c } = await createdCohort();
          const plenary = await created();
          await store.cohorts.addMeeting({ sessionId: plenary.id, cohortId: c.id, communityId: null, index: 1, startsAt: '2026-09-08T16:00', lengthMinutes: 90, finishedAt: null });
          const [zed, al, mo] = [member(c, 'Zed', 5), member(c, 'Al', 5), member(c, 'Mo', 3)];
          for (const m of [zed, al, mo]) await store.cohorts.addMember(m, cohortToken(c, m.id, 'member'));
          // Session ids chosen so that sorting by id would reverse the groups.
          const [red, blue, green] = [await created({ id: `zz-${plenary.id}` }), await created({ id: `aa-${plenary.id}` }), await created()];
          const group = (s: SessionRecord, name: string): MeetingRecord => ({
            sessionId: s.id, cohortId: c.id, communityId: null, index: 1, startsAt: '2026-09-08T16:00', lengthMinutes: 90, finishedAt: null,
            template: null, parentSessionId: plenary.id, breakoutName: name, coachId: null,
          });
          await store.cohorts.addBreakout(group(red, 'Red'), [al.id, zed.id, mo.id]);
          await store.cohorts.addBreakout(group(blue, 'Blue'), [zed.id]);
          expect((await store.cohorts.listMeetings(c.id)).map((m) => m.sessionId)).toEqual([plenary.id]);
          expect((await store.cohorts.listBreakouts(plenary.id)).map((m) => m.breakoutName)).toEqual(['Red', 'Blue']);
          expect(await store.cohorts.getMeeting(red.id)).toEqual(group(red, 'Red'));
          expect(await store.cohorts.listBreakoutMembers(red.id)).toEqual([mo.id, zed.id, al.id]);
          expect((await store.cohorts.findBreakoutOf(plenary.id, zed.id))?.sessionId).toBe(blue.id);
          expect((await store.cohorts.findBreakoutOf(plenary.id, al.id))?.sessionId).toBe(red.id);
          expect(await store.cohorts.findBreakoutOf(plenary.id, 'nobody')).toBeNull();
          // One transaction: a group naming someone unknown is not stored at all.
          await expect(store.cohorts.addBreakout(group(green, 'Green'), [al.id, 'nobody'])).rejects.toThrow();
          expect(await store.cohorts.getMeeting(green.id)).toBeNull();
          expect(await store.cohorts.listBreakoutMembers(green.id)).toEqual([]);
          // The plenary's session takes its groups' meetings and their members with it.
          await store.sessions.deleteSession(plenary.id);
          expect(await store.cohorts.listBreakouts(plenary.id)).toEqual([]);
          expect(await store.cohorts.getMeeting(red.id)).toBeNull();
          expect(await store.cohorts.listBreakoutMembers(red.id)).toEqual([]);
        });

        it('lists the cohorts that ended strictly before a date, earliest first', async () => {
          const { c: june } = await createdCohort({ endsOn: '2027-06-30' });
          const { c: december } = await createdCohort({ endsOn: '2026-12-31' });
          const { c: january } = await createdCohort({ endsOn: '2027-01-15' });
          expect((await store.cohorts.listCohortsEndedBefore('2027-06-30')).map((x) => x.id)).toEqual([december.id, january.id]);
          expect((await store.cohorts.listCohortsEndedBefore('2027-07-01')).map((x) => x.id)).toEqual([december.id, january.id, june.id]);
        });

        it("deletes a staff member with their keys, keeping what they added unsigned", async () => {
          const { c, staffToken } = await createdCohort();
          const coach: StaffRecord = { id: `${c.id}-coach`, cohortId: c.id, name: 'Cam', role: 'coach', createdAt: 1 };
          const coachToken = cohortToken(c, coach.id, 'staff');
          await store.cohorts.addStaff(coach, coachToken);
          expect((await store.cohorts.listStaff(c.id)).map((s) => s.id)).toEqual([staffOf(c).id, coach.id]);
          await store.playlists.addResource({
            id: `${c.id}-r`, cohortId: c.id, communityId: null, title: 'T', url: 'https://example.org/t', type: 'tool', why: '', tags: [],
            questionVersionId: null, memberId: null, staffId: coach.id, sharedToCohort: false, position: 0, pinned: false, featuredAt: null, createdAt: 1,
          });
          await store.cohorts.deleteStaff(coach.id);
          expect(await store.cohorts.getStaff(coach.id)).toBeNull();
          expect(await store.cohorts.findCohortToken(coachToken.id)).toBeNull();
          expect(await store.cohorts.findCohortToken(staffToken.id)).toEqual(staffToken);
          expect((await store.playlists.getResource(`${c.id}-r`))?.staffId).toBeNull();
        });

        it("lists the cohort's own playlist first, then each community's by its id byte by byte, each by position", async () => {
          const { c } = await createdCohort();
          // "B" sorts before "b" byte by byte, after it in most languages' collations.
          for (const suffix of ['b', 'B']) {
            await store.cohorts.addCommunity({ id: `${c.id}-${suffix}`, cohortId: c.id, name: suffix, challenge: '', series: null, lengthMinutes: 90, createdAt: 1 });
          }
          const add = (id: string, communityId: string | null, position: number, createdAt: number) =>
            store.playlists.addResource({
              id, cohortId: c.id, communityId, title: id, url: `https://example.org/${id}`, type: 'reading', why: '', tags: [],
              questionVersionId: null, memberId: null, staffId: null, sharedToCohort: false, position, pinned: false, featuredAt: null, createdAt,
            });
          await add('small-b-1', `${c.id}-b`, 1, 1);
          await add('small-b-0', `${c.id}-b`, 0, 2);
          await add('big-b-0', `${c.id}-B`, 0, 3);
          await add('own-later', null, 0, 9);
          await add('own-earlier', null, 0, 4);
          expect((await store.playlists.listResources(c.id)).map((r) => r.id)).toEqual(['own-earlier', 'own-later', 'big-b-0', 'small-b-0', 'small-b-1']);
          // Pinning in the cohort's own playlist leaves the communities' pins alone.
          await store.playlists.setPinned(c.id, `${c.id}-b`, 'small-b-0');
          await store.playlists.setPinned(c.id, null, 'own-later');
          await store.playlists.setPinned(c.id, null, null);
          expect((await store.playlists.listResources(c.id)).filter((r) => r.pinned).map((r) => r.id)).toEqual(['small-b-0']);
        });

        it('takes answers to one window arriving at once without losing any, and one per member', async () => {
          const { c } = await createdCohort();
          const people = Array.from({ length: 8 }, (_, i) => member(c, `M${i}`, i));
          for (const m of people) await store.cohorts.addMember(m, cohortToken(c, m.id, 'member'));
          const w: PulseWindowRecord = {
            id: `${c.id}-w`, cohortId: c.id, label: 'Now', instrument: 1, items: ['ben1'], floor: 5, openedAt: 100, closesAt: 1_000, closedAt: null, results: null, notes: '',
          };
          await store.pulses.openWindow(w);
          expect(await store.pulses.answer('no-such-window', people[0]!.id, { communityId: null, answers: { ben1: 1 } }, 500)).toBe('closed');
          const outcomes = await Promise.all([
            ...people.map((m, i) => store.pulses.answer(w.id, m.id, { communityId: null, answers: { ben1: (i % 6) + 1 } }, 500)),
            // The same member again, at the same time: one of the two is refused (both say 1, so either may win).
            store.pulses.answer(w.id, people[0]!.id, { communityId: null, answers: { ben1: 1 } }, 500),
          ]);
          expect(outcomes.filter((o) => o === 'answered')).toHaveLength(8);
          expect(outcomes.filter((o) => o === 'already-answered')).toHaveLength(1);
          expect(await store.pulses.countReceipts(w.id)).toBe(8);
          expect((await store.pulses.answersOf(w.id)).map((a) => a.answers.ben1).sort()).toEqual([1, 1, 2, 2, 3, 4, 5, 6]);
        });

        it('keeps the latest edit of an entry however its saves interleave, and marks an item seen once however often it is named', async () => {
          const { c } = await createdCohort();
          const ana = member(c, 'Ana', 1);
          await store.cohorts.addMember(ana, cohortToken(c, ana.id, 'member'));
          const base: LogEntryRecord = {
            id: `${c.id}-e`, cohortId: c.id, authorId: ana.id, commitmentId: null, tried: 'Tried', what: '', soWhat: '', nowWhat: '', actual: '',
            decision: null, visibility: 'private', peerId: null, createdAt: 1, updatedAt: 1, editedAt: 0, sharedAt: null,
          };
          const edits = [14, 3, 20, 7, 11, 18, 1, 9];
          const outcomes = await Promise.all(edits.map((editedAt) => store.logs.saveEntry({ ...base, what: `edit ${editedAt}`, editedAt })));
          expect(outcomes[edits.indexOf(20)]).toBe('saved');
          expect((await store.logs.getEntry(base.id))?.what).toBe('edit 20');
          expect(await store.logs.countEntriesOf(ana.id)).toBe(1);
          await store.logs.markSeen(ana.id, [base.id, base.id, 'other'], 3);
          await store.logs.markSeen(ana.id, [], 4);
          expect(await store.logs.seenBy(ana.id)).toEqual(new Map([[base.id, 3], ['other', 3]]));
        });
      });
    });
  });
}
