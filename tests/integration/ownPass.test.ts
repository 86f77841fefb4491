import { describe, expect, it } from 'vitest';
import { templatePlan } from '../../shared/protocol/agendas.ts';
import { connectControl, createSession, join, startTestServer, useCleanup, waitFor } from './helpers.ts';

useCleanup();

describe('a speaker passes their own turn in a go-round', () => {
  it('is taken from the person who has the turn, and from nobody else; every other command stays the facilitator’s', async () => {
    const server = await startTestServer();
    const session = await createSession(server, { title: 'Monthly, October' });
    const ana = await join(server, session.joinCode, 'Ana');
    const ben = await join(server, session.joinCode, 'Ben');
    const facilitator = await connectControl(server, session.facilitatorToken);
    const anaControl = await connectControl(server, ana.participantToken);
    const benControl = await connectControl(server, ben.participantToken);
    const run = async (command: unknown) => {
      const result = await facilitator.command(command);
      if (!result.ok) throw new Error(JSON.stringify(result));
    };
    const plan = templatePlan('monthly-consultancy', 90);
    await run({ type: 'agenda', steps: plan.steps, minutes: plan.minutes, startAt: 'checkin' });
    await run({ type: 'turns', action: 'start' });
    await run({ type: 'speaker', participantId: ana.participantId });

    // Ben does not have the turn: his pass is refused, and so is any facilitator command of his.
    expect(await benControl.command({ type: 'pass' })).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Only the person who has the turn can pass it.' } });
    expect(await benControl.command({ type: 'speaker', participantId: ben.participantId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Ana has it: her pass goes through, and everyone sees the turn move on.
    const passed = await anaControl.command({ type: 'pass' });
    expect(passed).toMatchObject({ ok: true });
    await waitFor(() => facilitator.controls.at(-1)?.control.turns.speaking === ben.participantId, 5_000, 'the turn at Ben');
    const turns = facilitator.controls.at(-1)!.control.turns;
    expect(turns.passed).toEqual([ana.participantId]);
    expect(turns.order.at(-1)).toBe(ana.participantId);
    // Passing again is hers no longer.
    expect(await anaControl.command({ type: 'pass' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
