import { z } from 'zod';
import { MAX_VOTES_PER_PERSON } from '../../protocol/control.ts';
import { byCreation } from '../byCreation.ts';
import { BoardError, type BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';
import type { questionSchema } from './questions.ts';
import { base, FIXED_FIELDS, id } from './fields.ts';

/** One dot on a question. */
export const voteSchema = z.object({ ...base, questionId: id });
export type Vote = z.infer<typeof voteSchema>;

/**
 * Dot-voting rules. Votes live in the shared document, where two tabs could
 * both cast a last vote at once; counting only each voter's first
 * `perPerson` votes (in byCreation order) makes the tally the same everywhere.
 */
export function countedVotes(votes: readonly Vote[], perPerson: number): Vote[] {
  const byVoter = new Map<string, Vote[]>();
  for (const vote of votes) {
    const list = byVoter.get(vote.authorId) ?? [];
    list.push(vote);
    byVoter.set(vote.authorId, list);
  }
  const counted: Vote[] = [];
  for (const list of byVoter.values()) {
    list.sort(byCreation);
    counted.push(...list.slice(0, Math.max(0, perPerson)));
  }
  return counted;
}

/** Votes per question id, counting at most `perPerson` votes of each voter. */
export function tallyVotes(votes: readonly Vote[], perPerson: number): Map<string, number> {
  const tally = new Map<string, number>();
  for (const vote of countedVotes(votes, perPerson)) tally.set(vote.questionId, (tally.get(vote.questionId) ?? 0) + 1);
  return tally;
}

export function votesLeft(votes: readonly Vote[], voterId: string, perPerson: number): number {
  return Math.max(0, perPerson - votes.filter((v) => v.authorId === voterId).length);
}

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ votes: typeof voteSchema; questions: typeof questionSchema }>;

export const votes = {
  schema: voteSchema,
  // A vote never changes: it is cast and may be retracted, nothing else.
  rule: {
    kind: 'vote',
    creators: 'anyone',
    shared: [],
    partnerFields: [],
    immutable: [...FIXED_FIELDS, 'questionId'],
    quota: MAX_VOTES_PER_PERSON,
  },
  commands: (board: Store) => ({
    castVote(origin: BoardOrigin, questionId: string, votesPerPerson: number): string {
      if (!board.get('questions', questionId)) throw new BoardError('That question is gone.');
      if (votesLeft(board.list('votes'), origin.actor, votesPerPerson) <= 0) {
        throw new BoardError(`You have used all ${votesPerPerson} of your votes.`);
      }
      return board.insert('votes', origin, { authorId: origin.actor, questionId, createdAt: Date.now() });
    },
    retractVote(origin: BoardOrigin, questionId: string): void {
      const mine = board.list('votes').filter((v) => v.authorId === origin.actor && v.questionId === questionId);
      const last = mine.at(-1);
      if (last) board.remove('votes', origin, last.id);
    },
  }),
} satisfies RecordType<Store>;
