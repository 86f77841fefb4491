import type { Problem, Role } from '../../shared/events.ts';
import { applyCommand, commandSchema, type ControlState } from '../../shared/protocol/control.ts';
import type { Store } from '../store/Store.ts';

export type CommandOutcome = { ok: true; control: ControlState; changed: boolean } | { ok: false; problem: Problem };

/**
 * The authority over meeting progress: checks the role, validates the
 * command, applies the shared transition and persists the result.
 */
export class ControlService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  command(sessionId: string, role: Role, raw: unknown): CommandOutcome {
    const parsed = commandSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, problem: { code: 'invalid', message: `Invalid command: ${issue?.path.join('.') || 'payload'} ${issue?.message ?? ''}`.trim() } };
    }
    if (role !== 'facilitator') {
      return { ok: false, problem: { code: 'forbidden', message: 'Only the facilitator can do that.' } };
    }
    const session = this.store.getSession(sessionId);
    if (!session) return { ok: false, problem: { code: 'rejected', message: 'This session no longer exists.' } };
    const result = applyCommand(session.control, parsed.data, this.now(), session.lengthMinutes);
    if (!result.ok) return { ok: false, problem: { code: 'rejected', message: result.error } };
    if (result.changed) this.store.saveControl(sessionId, result.state);
    return { ok: true, control: result.state, changed: result.changed };
  }
}
