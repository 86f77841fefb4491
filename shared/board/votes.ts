import { byCreation } from './byCreation.ts';
import type { Vote } from './schema.ts';

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
