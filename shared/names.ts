/**
 * When two display names count as the same: a participant must not be able
 * to join as "Ana" while Ana is in the room, nor as "Facilitator", nor as a
 * look-alike of either (zero-width characters, Cyrillic or Greek letters
 * that look Latin, full-width forms, odd spacing). Pure and shared, so the
 * join form could warn before the server refuses.
 */

/** Names nobody may take: they would pass for a role in the roster or on the projector. */
export const RESERVED_NAMES = ['facilitator', 'projector', 'host', 'admin', 'moderator', 'coach'] as const;

/**
 * Letters that look like Latin ones once lower-cased. A small hand-made table
 * (Unicode's full confusables list is ~6,000 entries); it covers the Cyrillic
 * and Greek letters a keyboard layout switch produces. Greek lower case is
 * mapped by its capital's look (η from Η → h), since case is folded first.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', н: 'h', о: 'o', р: 'p',
  с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', ҳ: 'x',
  // Greek
  α: 'a', β: 'b', ε: 'e', ζ: 'z', η: 'h', ι: 'i', κ: 'k', μ: 'm', ν: 'n', ο: 'o', ρ: 'p', τ: 't', υ: 'y', χ: 'x',
  // Latin look-alikes NFKC keeps apart
  ɑ: 'a', ɡ: 'g', ı: 'i', ȷ: 'j', ʏ: 'y', ɪ: 'i', ᴅ: 'd',
  // Digits read as letters
  '0': 'o', '1': 'l',
};

/**
 * Invisible characters: format characters (zero-width space, joiners, BOM,
 * soft hyphen, bidi controls), variation selectors, the combining grapheme
 * joiner and the Hangul and Braille blanks.
 */
const INVISIBLE = /[\p{Cf}\u034f\ufe00-\ufe0f\u115f\u1160\u3164\uffa0\u2800]/gu;

/** The form two names are compared in; equal keys mean "the same name". */
export function nameKey(name: string): string {
  const folded = name.normalize('NFKC').replace(INVISIBLE, '').toUpperCase().toLowerCase().normalize('NFKC');
  let key = '';
  for (const ch of folded) key += CONFUSABLES[ch] ?? ch;
  return key.replace(/\s+/gu, ' ').trim();
}

/**
 * Characters taken out of a name before it is stored: bidi controls (which can
 * make "ana" display as another name) and invisible spaces. Joiners stay, since
 * Persian and emoji need them; they are ignored when names are compared.
 */
const STRIPPED = /[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;

/** A name as it will be stored and shown: stripped as above, spaces collapsed and trimmed. */
export function cleanName(name: string): string {
  return name.replace(STRIPPED, '').replace(/\s+/gu, ' ').trim();
}

export type NameClash = 'reserved' | 'taken' | null;

/** Whether `name` is a role's name or the same as one of `taken`. */
export function nameClash(name: string, taken: Iterable<string>): NameClash {
  const key = nameKey(name);
  if ((RESERVED_NAMES as readonly string[]).includes(key)) return 'reserved';
  for (const other of taken) if (nameKey(other) === key) return 'taken';
  return null;
}
