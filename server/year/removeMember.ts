import { Board } from '../../shared/board/Board.ts';
import { boardRef, draftsRef } from '../../shared/board/DocRef.ts';
import { isCarriedActor, SERVER_ORIGIN } from '../../shared/board/origins.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { privateDocName, type Commitment } from '../../shared/board/schema.ts';
import { closeWith } from '../../shared/closeCodes.ts';
import { FORMER_MEMBER } from '../../shared/year/api.ts';
import type { ControlServer } from '../control/controlSocket.ts';
import type { DocumentLog } from '../storage/DocumentLog.ts';
import type { CohortStore, CommitmentRecord, MemberRecord } from '../storage/CohortStore.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Rooms } from '../sync/Rooms.ts';
import { closeParticipantSockets } from './closeMemberSockets.ts';
import { YearError, type StaffGrant } from './CohortService.ts';

/** 'remove' deletes what they wrote; 'anonymise' keeps it, signed FORMER_MEMBER. */
export type RemovalMode = 'remove' | 'anonymise';

export interface RemovalDeps {
  cohorts: CohortStore;
  sessions: SessionStore;
  documents: DocumentLog;
  rooms: Rooms;
  io: ControlServer;
  now?: () => number;
  /** Their practice log goes in either mode (it is theirs, not the group's), and their open home pages close. */
  forgetLog?: (cohortId: string, memberId: string) => Promise<void>;
}

/** What their open sockets are told as they close; 44xx, so a board client does not retry. */
const REMOVED = 'You are no longer a member of this cohort.';

/**
 * Takes a member out of a cohort (YEAR.md 7). Either way their personal link,
 * calendar feed and every session key they were given stop working at once,
 * their open sockets in the cohort's sessions and home pages are closed, and
 * their practice log (entries, the notes they wrote, what they had seen) is
 * deleted, so whoever it was shared with loses it at once. Then:
 *
 * - remove: what they wrote goes. Every record they authored on the cohort's
 *   boards (notes, and copies of them, anonymous ones too, votes, questions,
 *   clusters, commitments, and their commitments carried onto later boards),
 *   their private drafts documents, their year commitments, their
 *   participants (so their name leaves every roster) and their member row.
 *   The question lineage keeps a tombstone where their notes were
 *   (REMOVED_NOTE, signed FORMER_MEMBER), not their words.
 * - anonymise: what they wrote stays, signed FORMER_MEMBER: participants and
 *   lineage renamed, the member row kept (marked removed) so commitments and
 *   lineage still have an owner.
 *
 * Keys are revoked before the sockets close and the boards are edited after,
 * so nothing they still hold can be written back.
 */
export async function removeMember(deps: RemovalDeps, { cohort, staff }: StaffGrant, memberId: string, mode: RemovalMode): Promise<void> {
  if (staff.role !== 'facilitator') throw new YearError(403, 'Only a facilitator can remove a member; a coach cannot.');
  const member = await deps.cohorts.getMember(memberId);
  if (!member || member.cohortId !== cohort.id || member.removedAt !== null) throw new YearError(404, 'No such member in this cohort.');
  const links = (await deps.cohorts.listMeetingMembers(cohort.id)).filter((l) => l.memberId === member.id);

  await deps.cohorts.deleteTokensOf(member.id, ['member', 'calendar']);
  await deps.sessions.deleteTokensOfHolder(member.id);
  await deps.forgetLog?.(cohort.id, member.id);

  if (mode === 'anonymise') {
    for (const link of links) await deps.sessions.renameParticipant(link.participantId, FORMER_MEMBER);
    // After the rename: the roster sent when their sockets leave shows the new name.
    for (const link of links) await closeParticipantSockets(deps, link, REMOVED);
    await renameInLineage(deps.cohorts, cohort.id, member.name, false);
    await deps.cohorts.anonymiseMember(member.id, FORMER_MEMBER, (deps.now ?? Date.now)());
    return;
  }

  // Read before anything of theirs is deleted: which anonymous notes were theirs, which commitments.
  const anonymous = new Map<string, Set<string>>();
  for (const link of links) {
    const ids = await deps.rooms.withDoc(draftsRef(link.sessionId, link.participantId), (room) => new PrivateBoard(room.doc).anonymousNoteIds());
    anonymous.set(link.sessionId, new Set(ids));
  }
  const commitments = (await deps.cohorts.listCommitments(cohort.id)).filter((c) => c.memberId === member.id);

  // Participants first (their tokens and meeting links cascade), so the roster sent when their sockets leave has no name.
  for (const link of links) await deps.sessions.deleteParticipant(link.participantId);
  for (const link of links) await closeParticipantSockets(deps, link, REMOVED);

  // Every board of the cohort: its meetings' and their breakout groups'.
  const meetings = await deps.cohorts.listMeetings(cohort.id);
  const boards = [...meetings, ...(await Promise.all(meetings.map((m) => deps.cohorts.listBreakouts(m.sessionId)))).flat()];
  for (const meeting of boards) {
    const participantIds = new Set(links.filter((l) => l.sessionId === meeting.sessionId).map((l) => l.participantId));
    if (participantIds.size === 0 && commitments.length === 0) continue;
    await eraseFromBoard(deps.rooms, meeting.sessionId, participantIds, anonymous.get(meeting.sessionId) ?? new Set(), commitments);
  }
  for (const link of links) {
    await deps.rooms.dropDocument(draftsRef(link.sessionId, link.participantId), ...closeWith('forbidden', REMOVED));
    await deps.documents.deleteDocument(privateDocName(link.sessionId, link.participantId));
  }
  await deps.cohorts.deleteCommitmentsOf(member.id);
  await renameInLineage(deps.cohorts, cohort.id, member.name, true);
  await deps.cohorts.deleteMember(member.id);
}

/**
 * Removes from one board every record the member's participants wrote, the
 * notes they revealed anonymously (and copies of any of these), and the
 * commitments of theirs carried onto it, then compacts the room so the
 * removed text leaves the stored log too.
 */
async function eraseFromBoard(
  rooms: Rooms,
  sessionId: string,
  participantIds: ReadonlySet<string>,
  anonymousNoteIds: ReadonlySet<string>,
  commitments: readonly CommitmentRecord[],
): Promise<void> {
  const room = await rooms.withDoc(boardRef(sessionId), (room) => {
    const board = new Board(room.doc);
    const notes = new Set(anonymousNoteIds);
    for (const note of board.notes()) if (participantIds.has(note.authorId)) notes.add(note.id);
    const removed = board.removeWhere(SERVER_ORIGIN, (collection, record) => {
      if (participantIds.has(record.authorId)) return true;
      if (collection === 'notes') {
        const { copyOf } = record as { copyOf: string | null };
        return notes.has(record.id) || (copyOf !== null && notes.has(copyOf));
      }
      // Carried commitments are signed by marker actors; theirs is the one with their words.
      if (collection === 'commitments' && isCarriedActor(record.authorId)) return commitments.some((c) => sameCommitment(c, record as Commitment));
      return false;
    });
    return removed > 0 ? room : null;
  });
  await room?.compact();
}

function sameCommitment(mine: CommitmentRecord, carried: Commitment): boolean {
  return mine.action === carried.action && mine.notice === carried.notice && mine.partner === carried.partner && mine.due === carried.date;
}

/** The question lineage names note authors by name; theirs become FORMER_MEMBER. */
async function renameInLineage(cohorts: CohortStore, cohortId: string, name: MemberRecord['name'], removeText: boolean): Promise<void> {
  for (const version of await cohorts.listQuestionVersions(cohortId)) {
    const source = version.source;
    if (!source?.notes.some((n) => n.author === name)) continue;
    // Removed: a tombstone keeps the lineage's shape, not their words (YEAR.md 7); anonymised: their words, unsigned.
    const replaced = (n: { text: string; author: string | null }) =>
      removeText ? { text: REMOVED_NOTE, author: FORMER_MEMBER } : { ...n, author: FORMER_MEMBER };
    await cohorts.updateQuestionSource(version.id, {
      ...source,
      notes: source.notes.map((n) => (n.author === name ? replaced(n) : n)),
    });
  }
}

/** What a removed member's note says in a question's lineage. */
export const REMOVED_NOTE = '(a note removed with its author)';
