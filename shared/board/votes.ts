// The voting rules live with the vote record (records/votes.ts); this path stays for its importers.
export { countedVotes, tallyVotes, votesLeft } from './records/votes.ts';
