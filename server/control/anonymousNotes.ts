import { Board, BoardError } from '../../shared/board/Board.ts';
import { boardRef, draftsRef } from '../../shared/board/DocRef.ts';
import { ANONYMOUS_ORIGIN, SERVER_ORIGIN } from '../../shared/board/origins.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { ANONYMOUS_NOTE_QUOTA, COLLECTION_NAMES, LIMITS } from '../../shared/board/schema.ts';
import { FACILITATOR_RESERVE, STEP_GRACE_MS } from '../../shared/board/writeRules.ts';
import type { AnonymousNoteResult, Problem } from '../../shared/events.ts';
import { anonymousNoteRequestSchema } from '../../shared/protocol/anonymousNote.ts';
import { stepStillOpen, type ControlState } from '../../shared/protocol/control.ts';
import { STEP_IDS, STEPS } from '../../shared/protocol/steps.ts';
import type { Rooms } from '../sync/Rooms.ts';
import { revealLateDrafts } from './revealDrafts.ts';

/**
 * The causes step's anonymous mode, after the reveal: the server writes every
 * anonymous note, as the anonymous marker and with its own Yjs client, so no
 * update anyone receives ties a note to the person who wrote it. Which notes
 * are whose is kept only in each writer's private drafts document (which only
 * they sync, and which only the server writes that part of).
 *
 * Here: a writer's own add, edit and delete (a socket.io request, validated
 * here), and drafts that reach the server after the reveal.
 */
export class AnonymousNotes {
  /** Each person's requests run one after another, so a claim is read after the last one's write. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly rooms: Rooms,
    private readonly control: (sessionId: string) => ControlState | null,
    private readonly now: () => number = Date.now,
    private readonly graceMs = STEP_GRACE_MS,
  ) {}

  /** A participant's request about their own anonymous note. */
  request(sessionId: string, participantId: string | null, raw: unknown): Promise<AnonymousNoteResult> {
    const parsed = anonymousNoteRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return Promise.resolve(refused('invalid', `Invalid request: ${issue?.path.join('.') || 'payload'} ${issue?.message ?? ''}`.trim()));
    }
    if (!participantId) return Promise.resolve(refused('forbidden', 'Only a participant has anonymous notes.'));
    const blocked = this.blocked(sessionId);
    if (blocked) return Promise.resolve(refused('rejected', blocked));
    const request = parsed.data;
    if (request.action === 'revealLate') return this.draftsChanged(sessionId, participantId).then(() => ({ ok: true }) as const);
    return this.inTurn(`${sessionId}/${participantId}`, async () => {
      const drafts = draftsRef(sessionId, participantId);
      const owns = await this.rooms.withDoc(drafts, (room) => {
        const mine = new PrivateBoard(room.doc);
        return { note: mine.ownsAnonymousNote(request.id), count: mine.anonymousNoteIds().length };
      });
      if (request.action !== 'add' && !owns.note) return refused('forbidden', 'Only its author can change that note.');
      if (request.action === 'add' && owns.count >= ANONYMOUS_NOTE_QUOTA) return refused('rejected', `At most ${ANONYMOUS_NOTE_QUOTA} notes per person.`);
      try {
        await this.rooms.withDoc(boardRef(sessionId), (room) => {
          const board = new Board(room.doc);
          if (request.action === 'edit') board.editNote(ANONYMOUS_ORIGIN, request.id, request.text);
          if (request.action === 'delete') board.deleteNote(ANONYMOUS_ORIGIN, request.id);
          if (request.action === 'add') {
            // Participants leave the last items for the facilitator, as the write guard has them do.
            const used = COLLECTION_NAMES.reduce((n, name) => n + room.doc.getMap(name).size, 0);
            if (used >= LIMITS.itemsPerBoard - FACILITATOR_RESERVE) throw new BoardError(`The board is full (${LIMITS.itemsPerBoard} items).`);
            board.addNote(ANONYMOUS_ORIGIN, { text: '', x: request.x, y: request.y, color: request.color }, request.id);
          }
        });
      } catch (err) {
        if (err instanceof BoardError) return refused('rejected', err.message);
        throw err;
      }
      await this.rooms.withDoc(drafts, (room) => {
        const mine = new PrivateBoard(room.doc);
        if (request.action === 'add') mine.claimAnonymousNote(SERVER_ORIGIN, request.id);
        if (request.action === 'delete') mine.releaseAnonymousNote(SERVER_ORIGIN, request.id);
      });
      return { ok: true } as const;
    });
  }

  /**
   * A participant's drafts document changed (from their device): after an
   * anonymous reveal, whatever drafts it holds go up through the server. The
   * reveal command itself moves everyone's drafts; this catches the late ones.
   */
  draftsChanged(sessionId: string, participantId: string): Promise<number> {
    if (this.blocked(sessionId)) return Promise.resolve(0);
    return this.inTurn(`${sessionId}/${participantId}`, () =>
      revealLateDrafts(this.rooms, sessionId, participantId, { anonymous: true, now: this.now }),
    );
  }

  /** Why a participant may not write notes now (the same rules the write guard keeps for attributed notes), or null. */
  private blocked(sessionId: string): string | null {
    const control = this.control(sessionId);
    if (!control) return 'This session is not open.';
    if (!control.anonymous || !control.revealed) return 'Notes are not anonymous in this meeting.';
    if (control.locked) return 'The board is locked.';
    const now = this.now();
    const open = STEP_IDS.some((step) => STEPS[step].accepts.includes('note') && stepStillOpen(control, step, now, this.graceMs));
    return open ? null : 'This step does not take notes now.';
  }

  private inTurn<T>(key: string, run: () => Promise<T>): Promise<T> {
    const result = (this.queues.get(key) ?? Promise.resolve()).then(run, run);
    const tail = result.catch(() => {});
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return result;
  }
}

function refused(code: Problem['code'], message: string): AnonymousNoteResult {
  return { ok: false, error: { code, message } };
}
