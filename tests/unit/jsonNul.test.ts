import { describe, expect, it } from 'vitest';
import { holdsNul } from '../../server/http/jsonNul.ts';

const nul = (text: string) => holdsNul(Buffer.from(text));

describe('the NUL character in a JSON body', () => {
  it('is found as the escape in a string, in either case of hex digit', () => {
    expect(nul(String.raw`{"text":"a\u0000b"}`)).toBe(true);
    expect(nul(String.raw`{"text":"\\\u0000"}`)).toBe(true);
  });

  it('is not the six characters after an escaped backslash, nor other escapes', () => {
    expect(nul(String.raw`{"text":"\\u0000"}`)).toBe(false);
    expect(nul(String.raw`{"text":"\u00001"}`.replace('\\u0000', '\\u0030'))).toBe(false);
    expect(nul('{"text":"u0000"}')).toBe(false);
    expect(nul(String.raw`{"text":"\u2028 and \n"}`)).toBe(false);
  });
});
