import { describe, expect, it } from 'vitest';
import { boardRef, DOC_NAME_LAYOUTS, draftsRef, encodeDocRef, parseDocRef, type DocKind } from '../../shared/board/DocRef.ts';
import { SAMPLE_PARTICIPANT as PERSON, SAMPLE_REFS, SAMPLE_SESSION as SESSION } from './sampleDocRefs.ts';

describe('DocRef names', () => {
  it.each(Object.values(SAMPLE_REFS))('round-trips a $kind document', (ref) => {
    expect(parseDocRef(encodeDocRef(ref))).toEqual(ref);
  });

  it('keeps the wire names stored documents and running clients use', () => {
    expect(encodeDocRef(boardRef(SESSION))).toBe(SESSION);
    expect(encodeDocRef(draftsRef(SESSION, PERSON))).toBe(`${SESSION}.private.${PERSON}`);
    expect(parseDocRef(`${SESSION}.private.${PERSON}`)).toEqual({ kind: 'drafts', sessionId: SESSION, participantId: PERSON });
  });

  it('takes ids up to 64 characters of the base64url alphabet', () => {
    const longest = 'a'.repeat(64);
    expect(parseDocRef(`${longest}.private.${longest}`)).toEqual(draftsRef(longest, longest));
  });

  const refused: Array<[string, unknown]> = [
    ['the empty string', ''],
    ['not a string', 42],
    ['nothing at all', undefined],
    ['a colon for the separator', `${SESSION}:private:${PERSON}`],
    ['a slash for the separator', `${SESSION}/private/${PERSON}`],
    ['a look-alike dot (U+2024)', `${SESSION}\u2024private\u2024${PERSON}`],
    ['a doubled separator', `${SESSION}..${PERSON}`],
    ['a trailing separator', `${SESSION}.private.${PERSON}.`],
    ['a leading separator', `.${SESSION}`],
    ['a missing participant', `${SESSION}.private.`],
    ['a missing session', `.private.${PERSON}`],
    ['the fixed word in another case', `${SESSION}.Private.${PERSON}`],
    ['an id of 65 characters', 'a'.repeat(65)],
    ['a participant id of 65 characters', `${SESSION}.private.${'b'.repeat(65)}`],
    ['a third kind', `${SESSION}.public.${PERSON}`],
    ['a third kind without a participant', `${SESSION}.playlist`],
    ['a percent-encoded separator left encoded', `${SESSION}%2Eprivate%2E${PERSON}`],
    ['a double-encoded separator', `${SESSION}%252Eprivate%252E${PERSON}`],
    ['a percent-encoded NUL', `${SESSION}%00`],
    ['a NUL', `${SESSION}\u0000`],
    ['a path climbing out', `../${SESSION}`],
    ['a space around the id', ` ${SESSION}`],
    ['a very long name', `${SESSION}.`.repeat(10_000)],
  ];
  it.each(refused)('refuses %s', (_why, name) => {
    expect(parseDocRef(name)).toBeNull();
  });

  it('refuses to build a name that would not parse back', () => {
    expect(() => encodeDocRef(boardRef(''))).toThrow(/not a document id/);
    expect(() => encodeDocRef(draftsRef(SESSION, 'a.b'))).toThrow(/not a document id/);
    expect(() => encodeDocRef(boardRef('x'.repeat(65)))).toThrow(/not a document id/);
  });

  it('gives no two kinds a name both could mean', () => {
    const layouts = Object.entries(DOC_NAME_LAYOUTS) as Array<[DocKind, ReadonlyArray<string | { id: string }>]>;
    for (const [i, [kind, layout]] of layouts.entries()) {
      for (const [other, otherLayout] of layouts.slice(i + 1)) {
        if (layout.length !== otherLayout.length) continue;
        // Ids can be any word, so only two different fixed words in one place tell the kinds apart.
        const apart = layout.some((segment, at) => typeof segment === 'string' && typeof otherLayout[at] === 'string' && segment !== otherLayout[at]);
        expect(apart, `${kind} and ${other}`).toBe(true);
      }
    }
  });
});
