import type { Board, BoardOrigin } from '../../shared/board/Board.ts';
import type { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import type { Assumption, Commitment, Need, Note, Question, StoryDraft } from '../../shared/board/schema.ts';
import type { NotTakenItem } from './notTaken.ts';

/** A refused item written again: on the shared board, or on the private drafts. */
export type RetryCommand =
  | { board: (board: Board, origin: BoardOrigin) => true; mine?: never }
  | { mine: (mine: PrivateBoard, origin: BoardOrigin) => true; board?: never };

/**
 * The normal command that writes a refused item once more: an edit if the
 * record is still on the board, else a new record with the same words. Items
 * with no words (votes, moves) have none.
 */
export function retryCommand(item: NotTakenItem): RetryCommand | null {
  const r = item.record;
  const id = r.id;
  const text = typeof r.text === 'string' ? r.text : '';
  const story = r as unknown as StoryDraft;
  switch (item.collection) {
    case 'notes': {
      const note = r as unknown as Note;
      return {
        board: (b, o) => {
          if (b.note(id)) b.editNote(o, id, text);
          else b.addNote(o, { text, x: note.x, y: note.y, color: note.color, storyId: note.storyId });
          return true;
        },
      };
    }
    case 'norms':
      return { board: (b, o) => (b.get('norms', id) ? b.editNorm(o, id, text) : b.addNorm(o, text), true) };
    case 'hopes':
      return { board: (b, o) => (b.get('hopes', id) ? undefined : b.addHope(o, text), true) };
    case 'stories':
      return { board: (b, o) => (b.shareStory(o, story), true) };
    case 'needs':
      return { board: (b, o) => (b.get('needs', id) ? b.editNeed(o, id, text) : b.addNeed(o, (r as unknown as Need).text), true) };
    case 'assumptions': {
      const storyId = (r as unknown as Assumption).storyId;
      return { board: (b, o) => (b.get('assumptions', id) ? b.editAssumption(o, id, text) : b.addAssumption(o, storyId, text), true) };
    }
    case 'questions': {
      const category = (r as unknown as Question).category;
      return { board: (b, o) => (b.get('questions', id) ? b.editQuestion(o, id, { text }) : b.addQuestion(o, text, category), true) };
    }
    case 'commitments': {
      const { action, notice, partner, date } = r as unknown as Commitment;
      return { board: (b, o) => (b.saveCommitment(o, { action, notice, partner, date }), true) };
    }
    case 'storyDrafts':
      return { mine: (m, o) => (m.saveStoryDraft(o, { who: story.who, what: story.what, did: story.did, ended: story.ended }), true) };
    case 'causeDrafts': {
      const storyId = (r as unknown as { storyId: string | null }).storyId;
      return {
        mine: (m, o) => {
          if (m.causeDrafts().some((d) => d.id === id)) m.editCauseDraft(o, id, text);
          else m.addCauseDraft(o, text, storyId);
          return true;
        },
      };
    }
    default:
      return null;
  }
}
