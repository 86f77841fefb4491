import { describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_CAUSES, closeCause, type CloseCause } from '../../shared/closeCodes.ts';

/** What the stock y-websocket provider does with a code (its defaultShouldReconnect). */
const providerRetries = (code: number) => !(code >= 4400 && code < 4500);

const causes = Object.keys(CLOSE_CAUSES) as CloseCause[];

describe('close codes', () => {
  it('give every cause a code of its own, so the client can tell them apart', () => {
    const codes = causes.map((c) => CLOSE[c]);
    expect(new Set(codes).size).toBe(codes.length);
    expect(CLOSE.roomFull).not.toBe(CLOSE.tooManyMessages);
  });

  it('map each code back to its cause, and nothing else to one', () => {
    for (const cause of causes) expect(closeCause(CLOSE[cause])).toBe(cause);
    for (const code of [1000, 1006, 1009, 4000, 4999]) expect(closeCause(code)).toBeNull();
  });

  it.each([
    ['badMessage', false],
    ['forbidden', false],
    ['replaced', false],
    ['sessionDeleted', false],
    ['roomFull', false],
    ['tooManyMessages', false],
    ['loadFailed', true],
    ['internalError', true],
    ['restart', true],
  ] satisfies Array<[CloseCause, boolean]>)('%s: a stock provider retries it: %s', (cause, retries) => {
    expect(providerRetries(CLOSE[cause])).toBe(retries);
  });

  it('keep each reason within the 123 bytes a close frame carries', () => {
    for (const cause of causes) expect(Buffer.byteLength(CLOSE_CAUSES[cause].reason)).toBeLessThanOrEqual(123);
  });
});
