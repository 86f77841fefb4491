/**
 * After a refused update or an overspent budget, the same token waits before it
 * may open a board again: 1 s, then twice as long after each further refusal,
 * up to a minute. A stock client does not reconnect after a 44xx close; a
 * crafted one that does gets nothing but a 429 while it waits. The count
 * resets after ten quiet minutes.
 */
export class RefusalBackoff {
  private readonly strikes = new Map<string, { count: number; until: number; last: number }>();

  constructor(
    private readonly baseMs = 1000,
    private readonly maxMs = 60_000,
    private readonly forgetMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  strike(tokenId: string): void {
    const now = this.now();
    this.prune(now);
    const previous = this.strikes.get(tokenId);
    const count = previous && now - previous.last < this.forgetMs ? previous.count + 1 : 1;
    this.strikes.set(tokenId, { count, last: now, until: now + Math.min(this.maxMs, this.baseMs * 2 ** (count - 1)) });
  }

  /** Milliseconds the token must still wait, or 0. */
  waitMs(tokenId: string): number {
    if (this.baseMs === 0) return 0;
    const entry = this.strikes.get(tokenId);
    return entry ? Math.max(0, entry.until - this.now()) : 0;
  }

  private prune(now: number): void {
    if (this.strikes.size < 10_000) return;
    for (const [id, entry] of this.strikes) if (now - entry.last >= this.forgetMs) this.strikes.delete(id);
  }
}
