/**
 * One connection's message budget: `burst` messages at once, refilled at
 * `perSecond`. Unlike http/RateLimiter it guards a single socket, so it holds
 * no map and is dropped with the socket.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** Takes one token; false when the budget is spent. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Charges `cost` after the fact (time already spent, bytes already read);
   * false once the budget is overdrawn.
   */
  spend(cost: number): boolean {
    this.refill();
    this.tokens -= cost;
    return this.tokens >= 0;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
  }
}
