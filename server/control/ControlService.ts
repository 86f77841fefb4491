import type { Problem, Role } from '../../shared/events.ts';
import { applyCommand, commandSchema, serverEffectOf, withPresence, type Command, type ControlState } from '../../shared/protocol/control.ts';
import { SERVER_EFFECTS, type ServerEffect } from '../../shared/protocol/serverEffects.ts';
import type { SessionRecord, Store } from '../store/Store.ts';
import type { Presence } from './Presence.ts';
import { RecentCommands } from './RecentCommands.ts';

export type CommandOutcome = { ok: true; control: ControlState; changed: boolean } | { ok: false; problem: Problem };

/**
 * How the server performs each effect a step's command names (serverEffects.ts).
 * revealDrafts: moves every participant's private root-cause drafts onto the shared board.
 */
export type ControlHooks = Readonly<Record<ServerEffect, (sessionId: string) => void>>;

/**
 * The authority over meeting progress: checks the role, validates the
 * command, applies the shared transition and persists the result.
 */
export class ControlService {
  private readonly recent = new RecentCommands();

  constructor(
    private readonly store: Store,
    private readonly presence: Presence,
    private readonly hooks: ControlHooks,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  command(sessionId: string, role: Role, raw: unknown): CommandOutcome {
    const parsed = commandSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'payload';
      return { ok: false, problem: { code: 'invalid', message: `Invalid command: ${where} ${issue?.message ?? ''}`.trim() } };
    }
    if (role !== 'facilitator') {
      return { ok: false, problem: { code: 'forbidden', message: 'Only the facilitator can do that.' } };
    }
    const session = this.store.getSession(sessionId);
    if (!session) return { ok: false, problem: { code: 'rejected', message: 'This session no longer exists.' } };
    const commandId = parsed.data.id;
    const seen = commandId === undefined ? undefined : this.recent.get(sessionId, commandId);
    // A replay answers as the first delivery did, with today's state, and applies nothing.
    if (seen) return seen.ok ? { ok: true, control: session.control, changed: false } : seen;
    const outcome = this.apply(sessionId, session, parsed.data);
    if (commandId !== undefined) this.recent.remember(sessionId, commandId, outcome.ok ? { ok: true } : outcome);
    return outcome;
  }

  /** Forgets a deleted session's remembered command ids. */
  forget(sessionId: string): void {
    this.recent.forget(sessionId);
  }

  private apply(sessionId: string, session: SessionRecord, command: Command): CommandOutcome {
    const result = applyCommand(session.control, command, {
      now: this.now(),
      length: session.lengthMinutes,
      present: this.presence.presentIds(sessionId, this.now()),
      random: this.random,
    });
    if (!result.ok) return { ok: false, problem: { code: 'rejected', message: result.error } };
    if (result.changed) {
      // The effect runs before the state records the command, so a failed effect can be tried again.
      const effect = serverEffectOf(session.control, command);
      if (effect) {
        try {
          this.hooks[effect](sessionId);
        } catch (err) {
          return { ok: false, problem: { code: 'rejected', message: `${SERVER_EFFECTS[effect].failed}: ${(err as Error).message}` } };
        }
      }
      this.store.saveControl(sessionId, result.state);
    }
    return { ok: true, control: result.state, changed: result.changed };
  }

  /** After someone arrives or leaves: the new state if the pairs had to change. */
  presenceChanged(sessionId: string): ControlState | null {
    const session = this.store.getSession(sessionId);
    if (!session) return null;
    const next = withPresence(session.control, this.presence.presentIds(sessionId, this.now()));
    if (next === session.control) return null;
    this.store.saveControl(sessionId, next);
    return next;
  }
}
