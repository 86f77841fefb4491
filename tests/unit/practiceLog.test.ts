import { describe, expect, it } from 'vitest';
import { audienceOf, canSee, inLogRound, logEntryBody, nextCommitmentDraft, VISIBILITIES, type Audience, type Viewer } from '../../shared/year/practiceLog.ts';

const ana: Viewer = { memberId: 'ana', communityId: 'c1' };
const ben: Viewer = { memberId: 'ben', communityId: 'c1' };
const cleo: Viewer = { memberId: 'cleo', communityId: 'c1' };
const dev: Viewer = { memberId: 'dev', communityId: 'c2' };
const eve: Viewer = { memberId: 'eve', communityId: null };
const everyone = [ana, ben, cleo, dev, eve];

const byAna = (visibility: Audience['visibility'], peerId: string | null = null, authorCommunityId: string | null = 'c1'): Audience => ({
  authorId: 'ana',
  authorCommunityId,
  visibility,
  peerId,
});

describe('who may receive an entry', () => {
  it.each([
    ['private', null, ['ana']],
    ['peer', 'ben', ['ana', 'ben']],
    ['peer', 'dev', ['ana', 'dev']],
    ['community', null, ['ana', 'ben', 'cleo']],
    ['cohort', null, ['ana', 'ben', 'cleo', 'dev', 'eve']],
  ] as const)('%s (peer %s) reaches %j', (visibility, peer, who) => {
    expect(audienceOf(byAna(visibility, peer), everyone)).toEqual(who);
  });

  it('a community entry of an author in no community reaches nobody else, not the others without one', () => {
    expect(audienceOf(byAna('community', null, null), everyone)).toEqual(['ana']);
  });

  it('a peer entry names one peer; a stale peer id on a wider entry gives that peer nothing more', () => {
    expect(canSee(byAna('peer', 'ben'), cleo)).toBe(false);
    expect(canSee(byAna('private', 'ben'), ben)).toBe(false);
  });

  it('only community and cohort entries go to a meeting’s log round', () => {
    expect(VISIBILITIES.filter(inLogRound)).toEqual(['community', 'cohort']);
  });
});

describe('an entry as its author saves it', () => {
  const base = { tried: 'x', what: '', soWhat: '', nowWhat: '', actual: '', editedAt: 1 };
  it('is private, with no decision, by default', () => {
    expect(logEntryBody.parse(base)).toMatchObject({ visibility: 'private', decision: null, peerId: null, commitmentId: null });
  });
  it('shared with a peer names the peer', () => {
    expect(logEntryBody.safeParse({ ...base, visibility: 'peer' }).success).toBe(false);
    expect(logEntryBody.safeParse({ ...base, visibility: 'peer', peerId: 'benben' }).success).toBe(true);
  });
  it('holds something', () => {
    expect(logEntryBody.safeParse({ ...base, tried: '  ' }).success).toBe(false);
  });
});

describe('what "adapt" opens', () => {
  const from = { action: 'Invite two families', notice: 'More than one will come', partner: 'Ben' };
  it('the next thing to try is the entry’s "now what", the prediction and partner stay', () => {
    expect(nextCommitmentDraft({ nowWhat: ' Ask in their language ', tried: 'Invite two families' }, from)).toEqual({
      action: 'Ask in their language',
      notice: 'More than one will come',
      partner: 'Ben',
    });
  });
  it('with no "now what", what was tried; with neither, the commitment’s action; with no commitment, blanks', () => {
    expect(nextCommitmentDraft({ nowWhat: '', tried: 'A slot on the agenda' }, from).action).toBe('A slot on the agenda');
    expect(nextCommitmentDraft({ nowWhat: '', tried: '' }, from).action).toBe('Invite two families');
    expect(nextCommitmentDraft({ nowWhat: 'Try again', tried: '' }, null)).toEqual({ action: 'Try again', notice: '', partner: '' });
  });
});
