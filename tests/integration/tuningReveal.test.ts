import { describe, expect, it } from 'vitest';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { privateDocName } from '../../shared/board/schema.ts';
import { templatePlan } from '../../shared/protocol/agendas.ts';
import { connectControl, connectYjs, createSession, join, startTestServer, useCleanup, waitFor } from './helpers.ts';

useCleanup();

describe('Tuning: warm and cool feedback written in silence, then revealed', () => {
  it('reaches no one until the reveal, then goes up as each writer’s cards, addressed to the presenter', async () => {
    const server = await startTestServer();
    const session = await createSession(server, { title: 'Tuning, March' });
    const ana = await join(server, session.joinCode, 'Ana');
    const ben = await join(server, session.joinCode, 'Ben');
    const cleo = await join(server, session.joinCode, 'Cleo');
    const facilitator = await connectControl(server, session.facilitatorToken);
    // Cleo is online on the control plane: the presenter must be here to be chosen.
    await connectControl(server, cleo.participantToken);
    const run = async (command: unknown) => {
      const result = await facilitator.command(command);
      if (!result.ok) throw new Error(JSON.stringify(result));
    };
    const plan = templatePlan('monthly-tuning', 90);
    await run({ type: 'agenda', steps: plan.steps, minutes: plan.minutes, startAt: plan.steps[0] });
    await run({ type: 'goto', step: 'tuningExamine' });
    await run({ type: 'presenter', participantId: cleo.participantId });

    // Ana and Ben write in their private documents.
    const anaDrafts = await connectYjs(server, privateDocName(session.id, ana.participantId), ana.participantToken);
    const benDrafts = await connectYjs(server, privateDocName(session.id, ben.participantId), ben.participantToken);
    new PrivateBoard(anaDrafts.doc).addCardDraft({ actor: ana.participantId }, { text: 'The goals are clear and measurable', tone: 'warm' });
    new PrivateBoard(benDrafts.doc).addCardDraft({ actor: ben.participantId }, { text: 'How will families hear about it?', tone: 'cool' });
    await waitFor(
      async () => (await server.rooms.withDoc({ kind: 'drafts', sessionId: session.id, participantId: ben.participantId }, (r) => new PrivateBoard(r.doc).cardDrafts().length)) === 1,
      5_000,
      "Ben's draft on the server",
    );
    // Cleo, the presenter, sees none of it yet.
    const cleoBoard = await connectYjs(server, session.id, cleo.participantToken);
    expect(cleoBoard.board.list('cards')).toEqual([]);

    await run({ type: 'goto', step: 'tuningFeedback' });
    await run({ type: 'reveal' });
    await waitFor(() => cleoBoard.board.list('cards').length === 2, 5_000, 'the revealed cards at Cleo');
    const cards = cleoBoard.board.list('cards').map((c) => [c.authorId, c.text, c.tone, c.toPresenter, c.step]);
    expect(cards.sort()).toEqual(
      [
        [ana.participantId, 'The goals are clear and measurable', 'warm', cleo.participantId, 'tuningExamine'],
        [ben.participantId, 'How will families hear about it?', 'cool', cleo.participantId, 'tuningExamine'],
      ].sort(),
    );
    // The drafts are gone from the private documents, so nothing is revealed twice.
    await waitFor(() => new PrivateBoard(anaDrafts.doc).cardDrafts().length === 0, 5_000, "Ana's drafts cleared");
    expect((await facilitator.command({ type: 'reveal' })).ok).toBe(true);
    expect(cleoBoard.board.list('cards')).toHaveLength(2);

    // Feedback that reaches the server after the reveal (a laptop back online) goes up while the step lasts.
    new PrivateBoard(benDrafts.doc).addCardDraft({ actor: ben.participantId }, { text: 'Who decides what counts as success?', tone: 'cool' });
    await waitFor(() => cleoBoard.board.list('cards').length === 3, 5_000, 'the late card at Cleo');
    expect(cleoBoard.board.list('cards').find((c) => c.text === 'Who decides what counts as success?')).toMatchObject({ authorId: ben.participantId, toPresenter: cleo.participantId });
    for (const c of [anaDrafts, benDrafts, cleoBoard]) c.destroy();
  });
});
