import { describe, expect, it } from 'vitest';
import { cleanName, nameClash, nameKey } from '../../shared/names.ts';

describe('nameKey', () => {
  it.each([
    ['Ana', 'ana'],
    ['  Ana   María ', 'ana maría'],
    ['A\u200bna', 'ana'],
    ['An\u200da\ufeff', 'ana'],
    ['Аna', 'ana'], // Cyrillic А
    ['Ꭺna', 'ꭺna'], // Cherokee is not in the table: different
    ['Ｆａｃｉｌｉｔａｔｏｒ', 'facilitator'], // full width
    ['FΑCILITΑTOR', 'facilitator'], // Greek capital alpha
    ['Fаcilitаtor', 'facilitator'], // Cyrillic а
    ['fac\u00adilitator', 'facilitator'], // soft hyphen
    ['Ѕесurity', 'security'], // Cyrillic ѕ, е, с
    ['Straße', 'strasse'],
    ['Faci1itat0r', 'facilitator'],
    ['Ana\u3000B', 'ana b'], // ideographic space
  ])('%j → %j', (name, key) => {
    expect(nameKey(name)).toBe(key);
  });

  it('keeps different names apart', () => {
    expect(nameKey('Ana')).not.toBe(nameKey('Anna'));
    expect(nameKey('Chloé')).not.toBe(nameKey('Chloe'));
    expect(nameKey('美咲')).not.toBe(nameKey('美'));
  });
});

describe('nameClash', () => {
  it.each(['Facilitator', 'facilitator ', 'PROJECTOR', 'Host', 'admin', 'Moderator', 'Coach', 'Fаcilitator', 'Ho\u200bst'])(
    'reserves %j',
    (name) => {
      expect(nameClash(name, [])).toBe('reserved');
    },
  );

  it.each(['Ana', 'ana', 'ANA', 'А\u200bnа', ' Ana ', 'Αna'])('finds %j taken by Ana', (name) => {
    expect(nameClash(name, ['Ben', 'Ana'])).toBe('taken');
  });

  it('lets a new name in', () => {
    expect(nameClash('Chloé', ['Ana', 'Ben'])).toBeNull();
    expect(nameClash('Facilitator Jo', [])).toBeNull();
  });
});

describe('cleanName', () => {
  it('takes out bidi controls and invisible spaces, keeps joiners, collapses spaces', () => {
    expect(cleanName('\u202eana\u202c')).toBe('ana');
    expect(cleanName(' Ana \u200b  María ')).toBe('Ana María');
    expect(cleanName('👩\u200d🏫 Jo')).toBe('👩\u200d🏫 Jo');
  });
});
