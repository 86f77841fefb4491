import type { Problem, Role } from '../../shared/events.ts';
import { applyCommand, commandSchema, serverEffectOf, withPresence, type Command, type ControlState } from '../../shared/protocol/control.ts';
import { SERVER_EFFECTS, type ServerEffect } from '../../shared/protocol/serverEffects.ts';
import { ControlChangedMeanwhile, type SessionRecord, type SessionStore } from '../storage/SessionStore.ts';
import type { Presence } from './Presence.ts';
import { RecentCommands } from './RecentCommands.ts';

export type CommandOutcome = { ok: true; control: ControlState; changed: boolean } | { ok: false; problem: Problem };

/**
 * How the server performs each effect a step's command names (serverEffects.ts).
 * revealDrafts: moves every participant's private root-cause drafts onto the shared board
 * (anonymously when the state before the reveal says so). Each is handed the
 * state before the command and the command itself (featureResource reads which resource).
 */
export type ControlHooks = Readonly<Record<ServerEffect, (sessionId: string, control: ControlState, command: Command) => Promise<unknown>>>;

/** What a change decides from the stored session: a refusal, the next state, or null for no change. */
type Decision = { ok: false; problem: Problem } | { ok: true; next: ControlState | null };

const GONE: Problem = { code: 'rejected', message: 'This session no longer exists.' };

/**
 * The authority over meeting progress, and the one place control state
 * changes: checks the role, validates the command, applies the shared
 * transition and saves the result with the next version. It also keeps each
 * live session's state in memory, because the write guard reads it for every
 * board update.
 */
export class ControlService {
  private readonly recent = new RecentCommands();
  /** The latest saved state of each session in use (a room open, a command made). */
  private readonly states = new Map<string, ControlState>();
  /** Each session's changes run one after another, in the order they came (the tail of each queue). */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly sessions: SessionStore,
    private readonly presence: Presence,
    private readonly hooks: ControlHooks,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Told after every saved change, with the new state: with several processes
   * the others hear of it on the bus and read it again (`refresh`).
   */
  onSaved: (sessionId: string, state: ControlState) => void = () => {};

  /**
   * Another process saved this session's state at `version`: a copy held here
   * that is older is read again, so this process's write guard follows the
   * step, the lock and the voting wherever the facilitator is connected.
   */
  async refresh(sessionId: string, version: number): Promise<ControlState | null> {
    const held = this.states.get(sessionId);
    if (!held || held.version >= version) return null;
    const session = await this.sessions.getSession(sessionId);
    const now = this.states.get(sessionId);
    if (!session || !now || now.version >= session.control.version) return null;
    this.states.set(sessionId, session.control);
    return session.control;
  }

  /**
   * Reads every state held here again (the bus was away, so notices may be
   * lost) and returns those another process changed meanwhile.
   */
  async refreshAll(): Promise<Array<{ sessionId: string; state: ControlState }>> {
    const changed: Array<{ sessionId: string; state: ControlState }> = [];
    for (const [sessionId, held] of [...this.states]) {
      const state = await this.refresh(sessionId, held.version + 1);
      if (state) changed.push({ sessionId, state });
    }
    return changed;
  }

  /** Reads a session's state into memory before one of its rooms opens. */
  async load(sessionId: string): Promise<void> {
    if (this.states.has(sessionId)) return;
    const session = await this.sessions.getSession(sessionId);
    if (session && !this.states.has(sessionId)) this.states.set(sessionId, session.control);
  }

  /** The state in memory (see `load`); null for a session not loaded or deleted. */
  current(sessionId: string): ControlState | null {
    return this.states.get(sessionId) ?? null;
  }

  /**
   * A command from a control socket. The facilitator's take any command; a
   * participant's only one: passing their own turn in a go-round, which is
   * refused unless they have the turn when it is decided.
   */
  async command(sessionId: string, role: Role, raw: unknown, participantId: string | null = null): Promise<CommandOutcome> {
    const parsed = commandSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'payload';
      return { ok: false, problem: { code: 'invalid', message: `Invalid command: ${where} ${issue?.message ?? ''}`.trim() } };
    }
    const ownPass = role === 'participant' && participantId !== null && parsed.data.type === 'pass';
    if (role !== 'facilitator' && !ownPass) {
      return { ok: false, problem: { code: 'forbidden', message: 'Only the facilitator can do that.' } };
    }
    const commandId = parsed.data.id;
    const seen = commandId === undefined ? undefined : this.recent.get(sessionId, commandId);
    if (seen) {
      // A replay answers as the first delivery did, with today's state, and applies nothing.
      const session = await this.sessions.getSession(sessionId);
      if (!session) return { ok: false, problem: GONE };
      return seen.ok ? { ok: true, control: session.control, changed: false } : seen;
    }
    const outcome = await this.apply(sessionId, parsed.data, ownPass ? participantId : null);
    if (commandId !== undefined) this.recent.remember(sessionId, commandId, outcome.ok ? { ok: true } : outcome);
    return outcome;
  }

  private saved(sessionId: string, next: ControlState): void {
    // Another save may have come in from the bus meanwhile: the newest version stays.
    if ((this.states.get(sessionId)?.version ?? -1) < next.version) this.states.set(sessionId, next);
    this.onSaved(sessionId, next);
  }

  /** Forgets a deleted session's remembered command ids and state. */
  forget(sessionId: string): void {
    this.recent.forget(sessionId);
    this.states.delete(sessionId);
  }

  /** `speaker`: the participant passing their own turn, who must have it in the state the pass is decided on. */
  private apply(sessionId: string, command: Command, speaker: string | null = null): Promise<CommandOutcome> {
    return this.change(sessionId, async (session) => {
      if (speaker !== null && session.control.turns.speaking !== speaker) {
        return { ok: false, problem: { code: 'forbidden', message: 'Only the person who has the turn can pass it.' } };
      }
      const now = this.now();
      const result = applyCommand(session.control, command, {
        now,
        length: session.lengthMinutes,
        present: await this.presence.presentIds(sessionId, now),
        random: this.random,
      });
      if (!result.ok) return { ok: false, problem: { code: 'rejected', message: result.error } };
      if (!result.changed) return { ok: true, next: null };
      // The effect runs before the state records the command, so a failed effect can be tried again.
      const effect = serverEffectOf(session.control, command);
      if (effect) {
        try {
          await this.hooks[effect](sessionId, session.control, command);
        } catch (err) {
          return { ok: false, problem: { code: 'rejected', message: `${SERVER_EFFECTS[effect].failed}: ${(err as Error).message}` } };
        }
      }
      return { ok: true, next: result.state };
    });
  }

  /** After someone arrives or leaves: the new state if the pairs had to change. */
  async presenceChanged(sessionId: string): Promise<ControlState | null> {
    const outcome = await this.change(sessionId, async (session) => {
      const next = withPresence(session.control, await this.presence.presentIds(sessionId, this.now()));
      return { ok: true, next: next === session.control ? null : next };
    });
    return outcome.ok && outcome.changed ? outcome.control : null;
  }

  /** A change made by the server itself (a carried-forward meeting's starting state). */
  edit(sessionId: string, edit: (control: ControlState) => ControlState): Promise<CommandOutcome> {
    return this.change(sessionId, async (session) => ({ ok: true, next: edit(session.control) }));
  }

  /**
   * This process runs a session's changes in order, one at a time; the store
   * keeps other writers (another process, another service) from coming in
   * between a decision and its save (decideAndSave).
   */
  private change(sessionId: string, decide: (session: SessionRecord) => Promise<Decision>): Promise<CommandOutcome> {
    const run = () => this.decideAndSave(sessionId, decide);
    const result = (this.queues.get(sessionId) ?? Promise.resolve()).then(run);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.queues.set(sessionId, tail);
    void tail.then(() => {
      if (this.queues.get(sessionId) === tail) this.queues.delete(sessionId);
    });
    return result;
  }

  /**
   * Decides from the stored state and saves, with nothing coming in between
   * (SessionStore.changeControl: PostgreSQL's row lock, SQLite's
   * compare-and-set on the version, decided again when it loses). Every
   * saved change gets the next version.
   */
  private async decideAndSave(sessionId: string, decide: (session: SessionRecord) => Promise<Decision>): Promise<CommandOutcome> {
    let outcome: CommandOutcome | null;
    try {
      outcome = await this.sessions.changeControl(sessionId, async (session): Promise<{ save: ControlState | null; value: CommandOutcome }> => {
        const decision = await decide(session);
        if (!decision.ok) return { save: null, value: decision };
        if (!decision.next) return { save: null, value: { ok: true, control: session.control, changed: false } };
        const next = { ...decision.next, version: session.control.version + 1 };
        return { save: next, value: { ok: true, control: next, changed: true } };
      });
    } catch (err) {
      if (err instanceof ControlChangedMeanwhile) return { ok: false, problem: { code: 'rejected', message: err.message } };
      throw err;
    }
    if (!outcome) return { ok: false, problem: GONE };
    if (outcome.ok && outcome.changed) this.saved(sessionId, outcome.control);
    return outcome;
  }
}
