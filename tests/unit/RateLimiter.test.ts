import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../server/http/RateLimiter.ts';

/** A limiter on a hand-driven clock. */
function limiter(burst: number, perMinute: number) {
  let now = 1_000_000;
  const rl = new RateLimiter(burst, perMinute, () => now);
  return {
    rl,
    advance(ms: number) {
      now += ms;
    },
    takeN(key: string, n: number): number {
      let granted = 0;
      for (let i = 0; i < n; i++) if (rl.take(key)) granted++;
      return granted;
    },
  };
}

describe('RateLimiter', () => {
  it('allows a burst, then refuses', () => {
    const { rl, takeN } = limiter(5, 60);
    expect(takeN('ip', 5)).toBe(5);
    expect(rl.take('ip')).toBe(false);
    expect(rl.take('ip')).toBe(false);
  });

  it('keeps a bucket per key', () => {
    const { rl, takeN } = limiter(2, 60);
    expect(takeN('a', 3)).toBe(2);
    expect(rl.take('b')).toBe(true);
  });

  it('refills at perMinute, one token at a time', () => {
    const { rl, advance, takeN } = limiter(3, 60); // one token a second
    takeN('ip', 3);
    advance(999);
    expect(rl.take('ip')).toBe(false);
    advance(1);
    expect(rl.take('ip')).toBe(true);
    expect(rl.take('ip')).toBe(false);
    advance(2_000);
    expect(takeN('ip', 5)).toBe(2);
  });

  it('never refills beyond the burst', () => {
    const { advance, takeN } = limiter(4, 60);
    takeN('ip', 1);
    advance(60 * 60_000);
    expect(takeN('ip', 10)).toBe(4);
  });

  it('refused attempts do not cost tokens', () => {
    const { rl, advance, takeN } = limiter(1, 60);
    takeN('ip', 1);
    advance(500);
    expect(takeN('ip', 50)).toBe(0);
    advance(500);
    expect(rl.take('ip')).toBe(true);
  });

  it('retryAfter is 0 with tokens left or for an unknown key', () => {
    const { rl } = limiter(2, 60);
    expect(rl.retryAfter('new')).toBe(0);
    rl.take('ip');
    expect(rl.retryAfter('ip')).toBe(0);
  });

  it('retryAfter gives the whole seconds until the next token', () => {
    const { rl, advance, takeN } = limiter(2, 20); // one token every 3 s
    takeN('ip', 2);
    expect(rl.retryAfter('ip')).toBe(3);
    advance(1_500);
    rl.take('ip'); // refused, but brings the bucket up to date
    expect(rl.retryAfter('ip')).toBe(2);
  });

  it('retryAfter falls to 0 once the bucket has refilled, even without another take', () => {
    // The join route asks retryAfter before it ever takes from the misses
    // bucket, so a stale answer here would lock an address out for good.
    const { rl, advance, takeN } = limiter(2, 20);
    takeN('ip', 2);
    expect(rl.retryAfter('ip')).toBeGreaterThan(0);
    advance(60_000);
    expect(rl.retryAfter('ip')).toBe(0);
  });

  it('forgets idle buckets once it holds many keys, so memory stays bounded', () => {
    const { rl, advance } = limiter(1, 60);
    const buckets = (rl as unknown as { buckets: Map<string, unknown> }).buckets;
    for (let i = 0; i < 10_000; i++) rl.take(`ip-${i}`);
    expect(buckets.size).toBe(10_000);
    advance(2_000); // every bucket is full again
    rl.take('newcomer');
    expect(buckets.size).toBeLessThan(10);
    expect(buckets.has('newcomer')).toBe(true);
  });

  it('sweeping keeps buckets that have not refilled, so it grants nothing extra', () => {
    const { rl, advance, takeN } = limiter(2, 60);
    for (let i = 0; i < 10_001; i++) rl.take(`ip-${i}`);
    takeN('target', 2);
    expect(rl.take('target')).toBe(false);
    advance(500); // not yet full: must not be swept
    rl.take('another');
    expect(rl.take('target')).toBe(false);
  });
});
