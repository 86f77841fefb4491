import { Board, BoardError } from '../../shared/board/Board.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { boardRef, draftsRef, type DocRef } from '../../shared/board/DocRef.ts';
import { ANONYMOUS_ACTOR, ANONYMOUS_ORIGIN, SERVER_ORIGIN } from '../../shared/board/origins.ts';
import { COLLECTION_NAMES, LIMITS, type CauseDraft } from '../../shared/board/schema.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Rooms } from '../sync/Rooms.ts';

export interface RevealOptions {
  /** The causes step's anonymous mode: the notes go up with no author (server/control/anonymousNotes.ts). */
  anonymous: boolean;
  now?: () => number;
  random?: () => number;
}

interface Planned {
  participantId: string;
  doc: DocRef;
  drafts: CauseDraft[];
}

/**
 * The reveal: every participant's private root-cause drafts move onto the
 * shared board at once, present or not. It is planned before anything is
 * written: if the board has no room for every draft, nothing moves and the
 * facilitator is told why. The notes then go onto the board in one
 * transaction, and only then are the drafts removed from the private
 * documents, so nothing is revealed twice and nothing is lost.
 */
export async function revealDrafts(sessions: SessionStore, rooms: Rooms, sessionId: string, options: RevealOptions = { anonymous: false }): Promise<number> {
  const plan: Planned[] = [];
  for (const participant of await sessions.listParticipants(sessionId)) {
    const doc = draftsRef(sessionId, participant.id);
    const drafts = await rooms.withDoc(doc, (room) => new PrivateBoard(room.doc).causeDrafts());
    if (drafts.length > 0) plan.push({ participantId: participant.id, doc, drafts });
  }
  const waiting = await putUp(rooms, sessionId, plan, options);
  // Participants' apps put any draft they still hold on the board once they see "revealed";
  // the drafts' removal must reach them before that state does.
  await rooms.flush();
  return waiting;
}

/**
 * Anonymous mode, after the reveal: a participant's drafts that reach the
 * server late (a laptop back online) go up through the server too, never from
 * the participant's device, whose Yjs client id would link them to its other
 * records.
 */
export async function revealLateDrafts(rooms: Rooms, sessionId: string, participantId: string, options: RevealOptions): Promise<number> {
  const doc = draftsRef(sessionId, participantId);
  const drafts = await rooms.withDoc(doc, (room) => new PrivateBoard(room.doc).causeDrafts());
  if (drafts.length === 0) return 0;
  return putUp(rooms, sessionId, [{ participantId, doc, drafts }], options);
}

async function putUp(rooms: Rooms, sessionId: string, plan: readonly Planned[], options: RevealOptions): Promise<number> {
  const waiting = plan.reduce((n, p) => n + p.drafts.filter((d) => d.text.trim()).length, 0);
  if (waiting === 0) return 0;
  // Anonymous: whose note is whose, by note id, to tell each writer (and only them) afterwards.
  const claims = new Map<string, string[]>();
  await rooms.withDoc(boardRef(sessionId), (room) => {
    const used = COLLECTION_NAMES.reduce((n, name) => n + room.doc.getMap(name).size, 0);
    const free = LIMITS.itemsPerBoard - used;
    if (waiting > free) {
      throw new BoardError(`the board has room for ${free} more notes and ${waiting} drafts are waiting; remove some records first`);
    }
    const board = new Board(room.doc);
    if (!options.anonymous) {
      room.doc.transact(() => {
        for (const { participantId, drafts } of plan) board.revealDrafts(SERVER_ORIGIN, participantId, drafts);
      }, SERVER_ORIGIN);
      return;
    }
    // Shuffled across writers and stamped with one time, so neither the order
    // on the board nor the creation times follow the roster.
    const at = (options.now ?? Date.now)();
    const queue = shuffle(
      plan.flatMap(({ participantId, drafts }) => drafts.filter((d) => d.text.trim()).map((draft) => ({ participantId, draft }))),
      options.random ?? Math.random,
    );
    // One author for all of them, so one reveal lays them out; its ids come back in the queue's order.
    const noteIds = board.revealDrafts(ANONYMOUS_ORIGIN, ANONYMOUS_ACTOR, queue.map((q) => q.draft), at);
    noteIds.forEach((noteId, i) => {
      const { participantId } = queue[i]!;
      claims.set(participantId, [...(claims.get(participantId) ?? []), noteId]);
    });
  });
  for (const { participantId, doc, drafts } of plan) {
    const mine = claims.get(participantId) ?? [];
    await rooms.withDoc(doc, (room) => {
      const privateBoard = new PrivateBoard(room.doc);
      room.doc.transact(() => {
        for (const noteId of mine) privateBoard.claimAnonymousNote(SERVER_ORIGIN, noteId);
        privateBoard.clearCauseDrafts(SERVER_ORIGIN, drafts.map((d) => d.id));
      }, SERVER_ORIGIN);
    });
  }
  return waiting;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
