import type { DocKind, DocRef, DocRefOf } from '../../shared/board/DocRef.ts';
import { FACILITATOR_ACTOR } from '../../shared/board/origins.ts';
import type { Grant } from '../auth/tokens.ts';
import type { Writer } from './WriteGuard.ts';

/** What a grant may do on a document it may open. */
export interface DocOpening {
  /** Receives everything, writes nothing: the server drops its updates. */
  readOnly: boolean;
  /** Who its updates are checked as, and the `authorId` its new records must carry. */
  writer: Writer;
}

/** Whether a grant may open one document of a kind; null refuses it (401 at the upgrade). */
export type AccessRule<K extends DocKind> = (grant: Grant, ref: DocRefOf<K>) => DocOpening | null;

/** The access rule of every kind of document (shared/board/DocRef.ts); a new kind does not compile without one. */
export const DOC_ACCESS_RULES: { readonly [K in DocKind]: AccessRule<K> } = {
  // Read-only for the projector, which still receives everything.
  board: (grant, ref) => {
    if (ref.sessionId !== grant.sessionId) return null;
    const writer = writerOf(grant);
    return { readOnly: grant.role === 'projector' || writer.actor === '', writer };
  },
  // A participant's drafts reach nobody else, not even the facilitator or the projector.
  drafts: (grant, ref) => {
    if (ref.sessionId !== grant.sessionId || grant.participantId === null || ref.participantId !== grant.participantId) return null;
    return { readOnly: false, writer: writerOf(grant) };
  },
};

export function openingOf(grant: Grant, ref: DocRef): DocOpening | null {
  // The table pairs each kind with its own rule; TypeScript cannot follow that through an index.
  const rule = DOC_ACCESS_RULES[ref.kind] as AccessRule<DocKind>;
  return rule(grant, ref as never);
}

function writerOf(grant: Grant): Writer {
  const facilitator = grant.role === 'facilitator';
  return { actor: facilitator ? FACILITATOR_ACTOR : (grant.participantId ?? ''), facilitator };
}
