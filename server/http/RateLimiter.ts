/**
 * A token bucket per key (an IP address): `burst` requests at once, refilled
 * at `perMinute`. Idle buckets are forgotten so the map cannot grow forever.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const now = this.now();
    const bucket = { tokens: this.tokens(key, now), at: now };
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.sweep(now);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until `key` may try again (0 when it may now). */
  retryAfter(key: string): number {
    const tokens = this.tokens(key, this.now());
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 60) / this.perMinute);
  }

  /** The bucket's level at `now`, refills included. */
  private tokens(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.burst;
    return Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
  }

  private sweep(now: number): void {
    const fullAfter = (this.burst * 60_000) / this.perMinute;
    for (const [key, bucket] of this.buckets) if (now - bucket.at > fullAfter) this.buckets.delete(key);
  }
}
