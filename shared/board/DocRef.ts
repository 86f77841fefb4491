/**
 * Which Yjs document a name on the sync server means. Every document is one
 * member of this union; its wire name (the `<docName>` of `/yjs/<docName>`) is
 * only ever built by `encodeDocRef` and read by `parseDocRef`, so nothing else
 * compares strings to find out what a document is. Adding a document type is
 * one member here plus its layout below, its entry in DOC_KINDS
 * (shared/board/docKinds.ts) and its access rule (server/sync/docAccessRules.ts);
 * the compiler asks for each (docs/board-schema.md, "In the code").
 */
export type DocRef =
  | { readonly kind: 'board'; readonly sessionId: string }
  | { readonly kind: 'drafts'; readonly sessionId: string; readonly participantId: string };

export type DocKind = DocRef['kind'];
export type DocRefOf<K extends DocKind> = Extract<DocRef, { kind: K }>;

/** One dot-separated part of a wire name: one of the ref's ids, or a fixed word that tells kinds apart. */
export type NameSegment<K extends DocKind> = { readonly id: Exclude<keyof DocRefOf<K>, 'kind'> } | string;

/**
 * The wire names, unchanged from before the union existed so stored documents
 * and running clients keep working. Two kinds with the same number of parts
 * must differ in a fixed word (a test checks), or a name would mean both.
 */
export const DOC_NAME_LAYOUTS: { readonly [K in DocKind]: readonly NameSegment<K>[] } = {
  board: [{ id: 'sessionId' }],
  drafts: [{ id: 'sessionId' }, 'private', { id: 'participantId' }],
};

/**
 * Session and participant ids are base64url (server/auth/tokens.ts randomId);
 * the ceiling leaves room for longer ids from another store. No id can hold a
 * dot, so splitting a name on dots is unambiguous.
 */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** More than any layout can spell: a long name is refused before it is split. */
const MAX_NAME_LENGTH = 3 * 64 + 32;
const KINDS = Object.keys(DOC_NAME_LAYOUTS) as DocKind[];

/** A layout with its kind forgotten, for the code that walks any of them. */
type Layout = readonly ({ readonly id: string } | string)[];

export function boardRef(sessionId: string): DocRefOf<'board'> {
  return { kind: 'board', sessionId };
}

export function draftsRef(sessionId: string, participantId: string): DocRefOf<'drafts'> {
  return { kind: 'drafts', sessionId, participantId };
}

/** The document's name on the sync server. Throws on an id that would make a name `parseDocRef` refuses. */
export function encodeDocRef(ref: DocRef): string {
  const fields = ref as unknown as Record<string, unknown>;
  const layout: Layout = DOC_NAME_LAYOUTS[ref.kind];
  return layout
    .map((segment) => {
      if (typeof segment === 'string') return segment;
      const id = fields[segment.id];
      if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new Error(`not a document id: ${segment.id} of a ${ref.kind} document`);
      return id;
    })
    .join('.');
}

/**
 * The document a wire name means, or null for anything that is not exactly
 * one layout filled with well-formed ids. Takes the name already decoded from
 * the URL; a `%` left in it is not in the id alphabet, so nothing is decoded twice.
 */
export function parseDocRef(name: unknown): DocRef | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) return null;
  const parts = name.split('.');
  for (const kind of KINDS) {
    const ref = fill(kind, parts);
    if (ref) return ref;
  }
  return null;
}

function fill(kind: DocKind, parts: readonly string[]): DocRef | null {
  const layout: Layout = DOC_NAME_LAYOUTS[kind];
  if (layout.length !== parts.length) return null;
  const ref: Record<string, string> = { kind };
  for (const [i, segment] of layout.entries()) {
    const part = parts[i]!;
    if (typeof segment === 'string') {
      if (part !== segment) return null;
    } else {
      if (!ID_PATTERN.test(part)) return null;
      ref[segment.id] = part;
    }
  }
  return ref as unknown as DocRef;
}
