import { describe, expect, it } from 'vitest';
import { connectControl, createSession, join, startTestServer, useCleanup, waitFor } from './helpers.ts';

useCleanup();

describe('the join code on the wall', () => {
  it('the facilitator shrinks it to a corner: the projector hears it, the server keeps it, a reconnect sees it', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const facilitator = await connectControl(server, s.facilitatorToken);
    const projector = await connectControl(server, s.projectorToken);
    expect(projector.welcome.control.joinCard).toBe('large');

    expect(await facilitator.command({ type: 'joinCard', size: 'corner' })).toMatchObject({ ok: true, control: { joinCard: 'corner' } });
    await waitFor(() => projector.controls.at(-1)?.control.joinCard === 'corner', 2_000, 'the corner to reach the projector');
    expect((await server.store.sessions.getSession(s.id))?.control.joinCard).toBe('corner');

    projector.close();
    const again = await connectControl(server, s.projectorToken);
    expect(again.welcome.control.joinCard).toBe('corner');
  });

  it('takes only the two sizes, and only from the facilitator', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const facilitator = await connectControl(server, s.facilitatorToken);
    for (const payload of [{ type: 'joinCard', size: 'tiny' }, { type: 'joinCard' }, { type: 'joinCard', size: true }]) {
      expect(await facilitator.command(payload), JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    }
    const ana = await join(server, s.joinCode, 'Ana');
    for (const client of [await connectControl(server, ana.participantToken), await connectControl(server, s.projectorToken)]) {
      expect(await client.command({ type: 'joinCard', size: 'corner' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await server.store.sessions.getSession(s.id))?.control.joinCard).toBe('large');
  });
});
