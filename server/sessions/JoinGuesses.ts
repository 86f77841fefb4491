/**
 * Tells facilitators when someone on their school's network is guessing join
 * codes. A wrong code names no session, so a guess is charged to the address
 * it came from, and reported to the facilitators of every session someone
 * joined from that address in the last JOINED_MS: "N wrong join codes from
 * your school's network in the last 10 minutes". The facilitator can then
 * close joining once everyone is in. Memory only; a restart forgets.
 */
export const GUESS_WINDOW_MS = 10 * 60_000;
const JOINED_MS = 3 * 60 * 60_000;
/** At most one report per session this often, with the latest count. */
const REPORT_EVERY_MS = 2_000;
const MAX_ADDRESSES = 10_000;

export type GuessReport = (sessionId: string, wrongCodes: number) => void;

export class JoinGuesses {
  /** Wrong-code times per address, oldest first. */
  private readonly misses = new Map<string, number[]>();
  /** Per address: session id → when someone last joined it from there. */
  private readonly joinedFrom = new Map<string, Map<string, number>>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly report: GuessReport,
    private readonly now: () => number = Date.now,
  ) {}

  joined(address: string, sessionId: string): void {
    const sessions = this.joinedFrom.get(address) ?? new Map<string, number>();
    sessions.set(sessionId, this.now());
    this.joinedFrom.set(address, sessions);
    if (this.joinedFrom.size > MAX_ADDRESSES) this.sweep();
  }

  miss(address: string): void {
    const times = this.misses.get(address) ?? [];
    times.push(this.now());
    // A flood from one address need not be remembered past what the window can show.
    if (times.length > 10_000) times.splice(0, times.length - 10_000);
    this.misses.set(address, times);
    if (this.misses.size > MAX_ADDRESSES) this.sweep();
    const since = this.now() - JOINED_MS;
    for (const [sessionId, at] of this.joinedFrom.get(address) ?? []) if (at >= since) this.schedule(sessionId);
  }

  /** Wrong codes in the window from every address this session's people joined from. */
  countFor(sessionId: string): number {
    const now = this.now();
    let count = 0;
    for (const [address, sessions] of this.joinedFrom) {
      const at = sessions.get(sessionId);
      if (at === undefined || at < now - JOINED_MS) continue;
      count += this.recent(address, now);
    }
    return count;
  }

  forget(sessionId: string): void {
    for (const sessions of this.joinedFrom.values()) sessions.delete(sessionId);
    clearTimeout(this.pending.get(sessionId));
    this.pending.delete(sessionId);
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private recent(address: string, now: number): number {
    const times = this.misses.get(address);
    if (!times) return 0;
    const from = now - GUESS_WINDOW_MS;
    while (times.length > 0 && times[0]! < from) times.shift();
    return times.length;
  }

  private schedule(sessionId: string): void {
    if (this.pending.has(sessionId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(sessionId);
      this.report(sessionId, this.countFor(sessionId));
    }, REPORT_EVERY_MS);
    timer.unref();
    this.pending.set(sessionId, timer);
  }

  private sweep(): void {
    const now = this.now();
    for (const [address] of this.misses) if (this.recent(address, now) === 0) this.misses.delete(address);
    for (const [address, sessions] of this.joinedFrom) {
      for (const [sessionId, at] of sessions) if (at < now - JOINED_MS) sessions.delete(sessionId);
      if (sessions.size === 0) this.joinedFrom.delete(address);
    }
  }
}
