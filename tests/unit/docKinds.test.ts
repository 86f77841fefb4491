import { describe, expect, it } from 'vitest';
import type { Grant } from '../../server/auth/tokens.ts';
import { DOC_ACCESS_RULES, openingOf } from '../../server/sync/docAccessRules.ts';
import { DOC_KINDS } from '../../shared/board/docKinds.ts';
import { DOC_NAME_LAYOUTS, draftsRef, type DocKind, type DocRef } from '../../shared/board/DocRef.ts';
import { FACILITATOR_ACTOR } from '../../shared/board/origins.ts';
import { SAMPLE_PARTICIPANT, SAMPLE_REFS, SAMPLE_SESSION } from './sampleDocRefs.ts';

const KINDS = Object.keys(DOC_NAME_LAYOUTS) as DocKind[];

describe('the table of document kinds', () => {
  it.each(KINDS)('%s has collections, a rule for each, and an access rule', (kind) => {
    const spec = DOC_KINDS[kind];
    expect(Object.keys(spec.schemas).length).toBeGreaterThan(0);
    expect(Object.keys(spec.rules).sort()).toEqual(Object.keys(spec.schemas).sort());
    expect(typeof spec.shared).toBe('boolean');
    expect(spec.itemCap).toBeGreaterThan(0);
    expect(DOC_ACCESS_RULES[kind]).toBeTypeOf('function');
  });

  it('has no entry for a kind DocRef does not know', () => {
    expect(Object.keys(DOC_KINDS).sort()).toEqual([...KINDS].sort());
    expect(Object.keys(DOC_ACCESS_RULES).sort()).toEqual([...KINDS].sort());
    expect(Object.keys(SAMPLE_REFS).sort()).toEqual([...KINDS].sort());
  });

  it('holds only the board to the meeting (lock, steps, voting)', () => {
    expect(KINDS.filter((kind) => DOC_KINDS[kind].shared)).toEqual(['board']);
  });
});

describe('who may open which document', () => {
  const OTHER_SESSION = 'Zz9_-otherSessio';
  const grant = (role: Grant['role'], participantId: string | null = null, sessionId = SAMPLE_SESSION): Grant => ({
    tokenId: `t-${role}`,
    sessionId,
    role,
    participantId,
  });
  const facilitator = grant('facilitator');
  const projector = grant('projector');
  const owner = grant('participant', SAMPLE_PARTICIPANT);
  const someoneElse = grant('participant', 'q-someoneElse');
  const ownerElsewhere = grant('participant', SAMPLE_PARTICIPANT, OTHER_SESSION);
  const facilitatorElsewhere = grant('facilitator', null, OTHER_SESSION);

  const cases: Array<[string, Grant, DocRef, ReturnType<typeof openingOf>]> = [
    ['the facilitator writes the board as the facilitator', facilitator, SAMPLE_REFS.board, { readOnly: false, writer: { actor: FACILITATOR_ACTOR, facilitator: true } }],
    ['a participant writes the board as themselves', owner, SAMPLE_REFS.board, { readOnly: false, writer: { actor: SAMPLE_PARTICIPANT, facilitator: false } }],
    ['the projector reads the board only', projector, SAMPLE_REFS.board, { readOnly: true, writer: { actor: '', facilitator: false } }],
    ['another session’s facilitator may not open the board', facilitatorElsewhere, SAMPLE_REFS.board, null],
    ['the owner writes their drafts', owner, SAMPLE_REFS.drafts, { readOnly: false, writer: { actor: SAMPLE_PARTICIPANT, facilitator: false } }],
    ['another participant may not open them', someoneElse, SAMPLE_REFS.drafts, null],
    ['the facilitator may not open them', facilitator, SAMPLE_REFS.drafts, null],
    ['the projector may not open them', projector, SAMPLE_REFS.drafts, null],
    ['the same participant id in another session may not open them', ownerElsewhere, SAMPLE_REFS.drafts, null],
    ['the owner may not open drafts of their id in another session', owner, draftsRef(OTHER_SESSION, SAMPLE_PARTICIPANT), null],
  ];
  it.each(cases)('%s', (_what, who, ref, expected) => {
    expect(openingOf(who, ref)).toEqual(expected);
  });
});
