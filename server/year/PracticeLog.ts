import { z } from 'zod';
import {
  audienceOf,
  canSee,
  inLogRound,
  LIMITS_LOG,
  VISIBILITIES,
  type LogActivity,
  type LogEntryBody,
  type LogEntryView,
  type MyLog,
  type PeerNoteView,
  type Viewer,
  type Visibility,
  writtenOf,
} from '../../shared/year/practiceLog.ts';
import { FORMER_MEMBER, type CommitmentView } from '../../shared/year/api.ts';
import { randomId } from '../auth/tokens.ts';
import type { CohortStore, CommitmentRecord, MeetingRecord, MemberRecord } from '../storage/CohortStore.ts';
import type { LogEntryRecord, LogNoteRecord, LogStore } from '../storage/LogStore.ts';
import { YearError, type MemberGrant, type StaffGrant } from './CohortService.ts';
import { views } from './views.ts';
import type { YearNotifier } from './yearSocket.ts';

/** The next commitment after "adapt", as the member edited the pre-filled draft. */
export const nextCommitmentBody = z.object({
  action: z.string().trim().min(1, 'say what you will try next').max(LIMITS_LOG.fieldChars),
  notice: z.string().trim().max(LIMITS_LOG.fieldChars).default(''),
  partner: z.string().trim().max(80).default(''),
  due: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'due must be a date (YYYY-MM-DD)').default(''),
});
export type NextCommitmentBody = z.output<typeof nextCommitmentBody>;

const RANK: Readonly<Record<Visibility, number>> = Object.fromEntries(VISIBILITIES.map((v, i) => [v, i])) as Record<Visibility, number>;

/** What the year's members are, as the audience rule reads them. */
const viewerOf = (m: MemberRecord): Viewer => ({ memberId: m.id, communityId: m.communityId });

/**
 * The practice log (YEAR.md 5): a member's entries, each following up a
 * commitment, shared as its author chooses; notes from those it was shared
 * with; what each member has seen. Every read goes through the audience rule
 * (shared/year/practiceLog.ts canSee), every change that widens or narrows an
 * audience tells exactly the members who gain or lose the entry.
 */
export class PracticeLog {
  constructor(
    private readonly logs: LogStore,
    private readonly cohorts: CohortStore,
    private readonly notify: YearNotifier,
    private readonly now: () => number = Date.now,
  ) {}

  async myLog({ cohort, member }: MemberGrant): Promise<MyLog> {
    const [members, mine, shared, seen] = await Promise.all([
      this.cohorts.listMembers(cohort.id),
      this.logs.listEntriesOf(member.id),
      this.logs.listSharedEntries(cohort.id),
      this.logs.seenBy(member.id),
    ]);
    const byId = new Map(members.map((m) => [m.id, m]));
    const me = viewerOf(member);
    const theirs = shared.filter((e) => e.authorId !== member.id && byId.has(e.authorId) && canSee(this.audience(e, byId), me));
    const notes = await this.logs.listNotesOn([...mine, ...theirs].map((e) => e.id));
    const commitments = await this.commitmentsOf(cohort.id);
    const view = (e: LogEntryRecord) => this.view(e, member, byId, commitments, notes, seen);
    return {
      mine: mine.map(view).reverse(),
      sharedWithMe: theirs.map(view).reverse(),
      peers: members
        .filter((m) => m.id !== member.id)
        .map((m) => ({ id: m.id, name: m.name, sameCommunity: m.communityId !== null && m.communityId === member.communityId }))
        .sort((a, b) => Number(b.sameCommunity) - Number(a.sameCommunity)),
    };
  }

  /** Saves the author's entry (new, or a newer edit); tells those who gain it and those who lose it. */
  async save({ cohort, member }: MemberGrant, entryId: string, body: LogEntryBody): Promise<LogEntryView> {
    const before = await this.logs.getEntry(entryId);
    if (before && (before.authorId !== member.id || before.cohortId !== cohort.id)) throw new YearError(404, 'No such entry of yours.');
    if (!before && (await this.logs.countEntriesOf(member.id)) >= LIMITS_LOG.entriesPerMember) {
      throw new YearError(409, `You have ${LIMITS_LOG.entriesPerMember} entries, the most one member may keep. Delete some first.`);
    }
    const members = await this.cohorts.listMembers(cohort.id);
    const byId = new Map(members.map((m) => [m.id, m]));
    if (body.commitmentId !== null) {
      const commitment = await this.cohorts.getCommitment(body.commitmentId);
      if (!commitment || commitment.memberId !== member.id) throw new YearError(400, 'An entry follows up one of your own commitments.');
    }
    const peerId = body.visibility === 'peer' ? body.peerId : null;
    if (peerId !== null && (peerId === member.id || !byId.has(peerId))) throw new YearError(400, 'Your peer partner must be another member of your cohort.');
    const now = this.now();
    const widened =
      body.visibility !== 'private' &&
      (!before || RANK[body.visibility] > RANK[before.visibility] || (body.visibility === 'peer' && before.peerId !== peerId));
    const entry: LogEntryRecord = {
      id: entryId,
      cohortId: cohort.id,
      authorId: member.id,
      commitmentId: body.commitmentId,
      tried: body.tried,
      what: body.what,
      soWhat: body.soWhat,
      nowWhat: body.nowWhat,
      actual: body.actual,
      decision: body.decision,
      visibility: body.visibility,
      peerId,
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
      editedAt: body.editedAt,
      sharedAt: body.visibility === 'private' ? null : widened ? now : (before?.sharedAt ?? now),
    };
    const outcome = await this.logs.saveEntry(entry);
    // A save older than the stored edit (a phone's outbox after the laptop's newer edit) keeps the stored one.
    const stored = outcome === 'saved' ? entry : before!;
    if (outcome === 'saved') await this.announce(before, entry, members, byId);
    const notes = await this.logs.listNotesOn([entryId]);
    return this.view(stored, member, byId, await this.commitmentsOf(cohort.id), notes, new Map());
  }

  async remove({ cohort, member }: MemberGrant, entryId: string): Promise<void> {
    const entry = await this.logs.getEntry(entryId);
    if (!entry || entry.authorId !== member.id || entry.cohortId !== cohort.id) throw new YearError(404, 'No such entry of yours.');
    await this.logs.deleteEntry(entryId);
    const members = await this.cohorts.listMembers(cohort.id);
    await this.announce(entry, null, members, new Map(members.map((m) => [m.id, m])));
  }

  /** A note on an entry from someone who may read it; its author hears of it at once. */
  async addNote({ cohort, member }: MemberGrant, entryId: string, text: string): Promise<PeerNoteView> {
    const entry = await this.logs.getEntry(entryId);
    const members = await this.cohorts.listMembers(cohort.id);
    const byId = new Map(members.map((m) => [m.id, m]));
    // An entry the member may not see answers as one that does not exist.
    if (!entry || entry.cohortId !== cohort.id || !canSee(this.audience(entry, byId), viewerOf(member))) throw new YearError(404, 'No such entry.');
    if ((await this.logs.countNotesOn(entryId)) >= LIMITS_LOG.notesPerEntry) throw new YearError(409, 'This entry has as many notes as it can take.');
    const note: LogNoteRecord = { id: randomId(9), entryId, authorId: member.id, text, createdAt: this.now() };
    await this.logs.addNote(note);
    const view = noteView(note, byId, new Map(), member.id);
    if (entry.authorId !== member.id) this.notify.toMembers([entry.authorId], 'log:note', { ...view, isNew: true });
    return view;
  }

  /** Clears "new" badges: only on what the member may see, so the table holds nothing about anything else. */
  async markSeen({ cohort, member }: MemberGrant, ids: readonly string[]): Promise<void> {
    const log = await this.myLog({ cohort, member });
    const visible = new Set([...log.mine, ...log.sharedWithMe].flatMap((e) => [e.id, ...e.notes.map((n) => n.id)]));
    await this.logs.markSeen(member.id, ids.filter((id) => visible.has(id)), this.now());
  }

  /** "Adapt" opens the next commitment: the one followed is done, the next is open. */
  async nextCommitment({ cohort, member }: MemberGrant, entryId: string, body: NextCommitmentBody): Promise<CommitmentView> {
    const entry = await this.logs.getEntry(entryId);
    if (!entry || entry.authorId !== member.id || entry.cohortId !== cohort.id) throw new YearError(404, 'No such entry of yours.');
    if (entry.decision !== 'adapt') throw new YearError(409, 'Only an entry that adapts its commitment opens the next one.');
    const commitments = (await this.cohorts.listCommitments(cohort.id)).filter((c) => c.memberId === member.id);
    const followed = entry.commitmentId ? commitments.find((c) => c.id === entry.commitmentId) : undefined;
    const now = this.now();
    for (const open of commitments.filter((c) => c.status === 'open')) await this.cohorts.setCommitmentStatus(open.id, 'done', now);
    const next: CommitmentRecord = {
      id: randomId(9),
      cohortId: cohort.id,
      communityId: member.communityId,
      memberId: member.id,
      sessionId: followed?.sessionId ?? '',
      action: body.action,
      notice: body.notice,
      partner: body.partner,
      due: body.due,
      status: 'open',
      createdAt: now,
      reviewedAt: null,
    };
    await this.cohorts.addCommitment(next);
    return views.commitment(next, member.name);
  }

  /** Per community, who logged since its last meeting: counts and dates, never text (YEAR.md 7). */
  async activity({ cohort }: StaffGrant): Promise<LogActivity[]> {
    const [members, communities, meetings, entries] = await Promise.all([
      this.cohorts.listMembers(cohort.id),
      this.cohorts.listCommunities(cohort.id),
      this.cohorts.listMeetings(cohort.id),
      this.logs.listEntryMeta(cohort.id),
    ]);
    return [...communities.map((c) => c.id), null].map((communityId) => {
      const last = lastHeld(meetings.filter((m) => m.communityId === communityId), this.now());
      const since = last ? heldAt(last) : 0;
      return {
        communityId,
        since: last?.startsAt ?? null,
        members: members
          .filter((m) => m.communityId === communityId)
          .map((m) => {
            const theirs = entries.filter((e) => e.authorId === m.id && e.createdAt >= since);
            return {
              memberId: m.id,
              name: m.name,
              entries: theirs.length,
              lastAt: theirs.reduce<number | null>((at, e) => Math.max(at ?? 0, e.updatedAt), null),
              sharedWithCommunity: theirs.filter((e) => inLogRound(e.visibility)).length,
            };
          }),
      };
    });
  }

  /**
   * For a meeting's log round: each given member's latest entry shared with
   * the community or the cohort since the community's previous meeting.
   */
  async forLogRound(meeting: MeetingRecord, memberIds: readonly string[]): Promise<LogEntryRecord[]> {
    const meetings = (await this.cohorts.listMeetings(meeting.cohortId)).filter((m) => m.communityId === meeting.communityId && m.index < meeting.index);
    const previous = meetings.at(-1);
    const since = previous ? heldAt(previous) : 0;
    const shared = (await this.logs.listSharedEntries(meeting.cohortId)).filter(
      (e) => memberIds.includes(e.authorId) && inLogRound(e.visibility) && Math.max(e.createdAt, e.sharedAt ?? 0) >= since,
    );
    const latest = new Map<string, LogEntryRecord>();
    for (const e of shared) latest.set(e.authorId, e);
    return memberIds.flatMap((id) => latest.get(id) ?? []);
  }

  /** A removed member's log goes: whoever could read one of their entries loses it at once. */
  async forget(cohortId: string, memberId: string): Promise<void> {
    const [entries, members] = await Promise.all([this.logs.listEntriesOf(memberId), this.cohorts.listMembers(cohortId)]);
    const byId = new Map(members.map((m) => [m.id, m]));
    await this.logs.deleteLogOf(memberId);
    for (const entry of entries) if (entry.visibility !== 'private') await this.announce(entry, null, members, byId);
  }

  /** What a member's portfolio holds of the log: their own entries, with every note on them. */
  async entriesOf(memberId: string): Promise<{ entries: LogEntryRecord[]; notes: LogNoteRecord[] }> {
    const entries = await this.logs.listEntriesOf(memberId);
    return { entries, notes: await this.logs.listNotesOn(entries.map((e) => e.id)) };
  }

  private audience(e: LogEntryRecord, byId: ReadonlyMap<string, MemberRecord>) {
    return { authorId: e.authorId, authorCommunityId: byId.get(e.authorId)?.communityId ?? null, visibility: e.visibility, peerId: e.peerId };
  }

  /** Tells each member who gains the entry (its new text) and each who loses it; the author's own pages answer their save. */
  private async announce(before: LogEntryRecord | null, after: LogEntryRecord | null, members: MemberRecord[], byId: ReadonlyMap<string, MemberRecord>) {
    const viewers = members.map(viewerOf);
    const had = before ? new Set(audienceOf(this.audience(before, byId), viewers)) : new Set<string>();
    const has = after ? audienceOf(this.audience(after, byId), viewers) : [];
    const author = (after ?? before)!.authorId;
    const gaining = has.filter((id) => id !== author);
    if (after && gaining.length > 0) {
      const [notes, commitments] = await Promise.all([this.logs.listNotesOn([after.id]), this.commitmentsOf(after.cohortId)]);
      for (const id of gaining) {
        // Each reader's copy carries only the notes they may read.
        const view = this.view(after, byId.get(id)!, byId, commitments, notes, new Map());
        this.notify.toMembers([id], 'log:entry', { ...view, isNew: !had.has(id) || after.sharedAt !== before?.sharedAt });
      }
    }
    const lost = [...had].filter((id) => id !== author && !has.includes(id));
    this.notify.toMembers(lost, 'log:withdrawn', { id: (after ?? before)!.id });
  }

  private async commitmentsOf(cohortId: string): Promise<Map<string, CommitmentRecord>> {
    return new Map((await this.cohorts.listCommitments(cohortId)).map((c) => [c.id, c]));
  }

  private view(
    e: LogEntryRecord,
    reader: MemberRecord,
    byId: ReadonlyMap<string, MemberRecord>,
    commitments: ReadonlyMap<string, CommitmentRecord>,
    notes: readonly LogNoteRecord[],
    seen: ReadonlyMap<string, number>,
  ): LogEntryView {
    const own = e.authorId === reader.id;
    const commitment = e.commitmentId ? commitments.get(e.commitmentId) : undefined;
    const seenAt = seen.get(e.id);
    return {
      id: e.id,
      authorId: e.authorId,
      authorName: byId.get(e.authorId)?.name ?? FORMER_MEMBER,
      commitmentId: e.commitmentId,
      commitment: commitment ? { action: commitment.action, notice: commitment.notice } : null,
      ...writtenOf(e),
      visibility: e.visibility,
      // Whom the author named is the author's to know (and the peer's, who is the reader then).
      peerId: own || e.peerId === reader.id ? e.peerId : null,
      peerName: (own || e.peerId === reader.id) && e.peerId ? (byId.get(e.peerId)?.name ?? null) : null,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
      editedAt: e.editedAt,
      sharedAt: e.sharedAt,
      notes: notes.filter((n) => n.entryId === e.id && (own || n.authorId === reader.id)).map((n) => noteView(n, byId, seen, reader.id)),
      isNew: !own && e.sharedAt !== null && (seenAt === undefined || seenAt < e.sharedAt),
    };
  }
}

function noteView(n: LogNoteRecord, byId: ReadonlyMap<string, MemberRecord>, seen: ReadonlyMap<string, number>, readerId: string): PeerNoteView {
  return {
    id: n.id,
    entryId: n.entryId,
    authorId: n.authorId,
    authorName: byId.get(n.authorId)?.name ?? null,
    text: n.text,
    createdAt: n.createdAt,
    isNew: n.authorId !== readerId && !seen.has(n.id),
  };
}

/** The latest of a community's meetings that has been held: finished, or begun by now. */
function lastHeld(meetings: readonly MeetingRecord[], now: number): MeetingRecord | null {
  return [...meetings].reverse().find((m) => m.finishedAt !== null || heldAt(m) <= now) ?? null;
}

/** When a meeting counts as held: when it was finished, else when it was to start (local time on the server). */
function heldAt(m: MeetingRecord): number {
  return m.finishedAt ?? (Date.parse(m.startsAt) || 0);
}
