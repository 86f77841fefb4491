import { boardRef, draftsRef, type DocKind, type DocRefOf } from '../../shared/board/DocRef.ts';

export const SAMPLE_SESSION = 'Ab3_-xYz09QwErTy';
export const SAMPLE_PARTICIPANT = 'p-9_Zq1w2e3r';

/** One document of every kind: a kind added to DocRef does not compile here until it has one. */
export const SAMPLE_REFS: { [K in DocKind]: DocRefOf<K> } = {
  board: boardRef(SAMPLE_SESSION),
  drafts: draftsRef(SAMPLE_SESSION, SAMPLE_PARTICIPANT),
};
