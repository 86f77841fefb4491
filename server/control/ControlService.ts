import type { Problem, Role } from '../../shared/events.ts';
import { applyCommand, commandSchema, withPresence, type ControlState } from '../../shared/protocol/control.ts';
import type { Store } from '../store/Store.ts';
import type { Presence } from './Presence.ts';

export type CommandOutcome = { ok: true; control: ControlState; changed: boolean } | { ok: false; problem: Problem };

export interface ControlHooks {
  /** Moves every participant's private root-cause drafts onto the shared board. */
  reveal(sessionId: string): void;
}

/**
 * The authority over meeting progress: checks the role, validates the
 * command, applies the shared transition and persists the result.
 */
export class ControlService {
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
    const result = applyCommand(session.control, parsed.data, {
      now: this.now(),
      length: session.lengthMinutes,
      present: this.presence.presentIds(sessionId, this.now()),
      random: this.random,
    });
    if (!result.ok) return { ok: false, problem: { code: 'rejected', message: result.error } };
    if (result.changed) {
      // The reveal runs before the state says "revealed", so a failed reveal can be tried again.
      if (parsed.data.type === 'reveal') {
        try {
          this.hooks.reveal(sessionId);
        } catch (err) {
          return { ok: false, problem: { code: 'rejected', message: `The notes could not be revealed: ${(err as Error).message}` } };
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
