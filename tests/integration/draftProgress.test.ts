import { describe, expect, it } from 'vitest';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { privateDocName } from '../../shared/board/schema.ts';
import type { JoinSessionResponse } from '../../shared/api.ts';
import type { DraftProgressReport } from '../../shared/events.ts';
import {
  connectControl,
  connectYjs,
  createSession,
  join,
  startTestServer,
  useCleanup,
  waitFor,
  type ControlClient,
  type TestServer,
} from './helpers.ts';

useCleanup();

/** Unique, so a leak into any frame is found by search. */
const MARKER = 'QPV-';

const reports = (client: ControlClient): DraftProgressReport[] =>
  client.events.filter((e) => e.event === 'draftProgress').map((e) => e.args[0] as DraftProgressReport);
const last = (client: ControlClient) => reports(client).at(-1);

async function writer(server: TestServer, sessionId: string, person: JoinSessionResponse) {
  const client = await connectYjs(server, privateDocName(sessionId, person.participantId), person.participantToken);
  return { drafts: new PrivateBoard(client.doc), origin: { actor: person.participantId } };
}

describe('silent-writing progress', () => {
  it('tells the facilitator, live, how many have written and how many notes, with no text and to nobody else', async () => {
    const server = await startTestServer();
    const session = await createSession(server, { title: 'Attendance', lengthMinutes: 90 });
    const people: JoinSessionResponse[] = [];
    for (const name of ['Ada', 'Ben', 'Cleo']) people.push(await join(server, session.joinCode, name));
    const [ada, ben, cleo] = people as [JoinSessionResponse, JoinSessionResponse, JoinSessionResponse];

    const facilitator = await connectControl(server, session.facilitatorToken);
    const adaControl = await connectControl(server, ada.participantToken);
    const benControl = await connectControl(server, ben.participantToken);
    await connectControl(server, cleo.participantToken);
    const projector = await connectControl(server, session.projectorToken);

    // Before the causes step nothing is counted.
    expect(reports(facilitator)).toEqual([]);
    await facilitator.command({ type: 'goto', step: 'causes' });
    await waitFor(() => last(facilitator)?.people === 3, 5_000, 'the first report');
    expect(last(facilitator)).toEqual({ people: 3, writers: 0, notes: 0 });

    const adaDrafts = await writer(server, session.id, ada);
    const benDrafts = await writer(server, session.id, ben);
    // An empty note is not "written".
    const blank = adaDrafts.drafts.addCauseDraft(adaDrafts.origin, '', null);
    adaDrafts.drafts.addCauseDraft(adaDrafts.origin, `${MARKER}the bus leaves before the bell`, null);
    await waitFor(() => last(facilitator)?.notes === 1, 5_000, 'Ada’s note counted');
    expect(last(facilitator)).toEqual({ people: 3, writers: 1, notes: 1 });

    benDrafts.drafts.addCauseDraft(benDrafts.origin, `${MARKER}we never asked the families`, null);
    adaDrafts.drafts.editCauseDraft(adaDrafts.origin, blank, `${MARKER}the form is only in English`);
    await waitFor(() => last(facilitator)?.notes === 3, 5_000, 'both writers counted');
    expect(last(facilitator)).toEqual({ people: 3, writers: 2, notes: 3 });

    // A facilitator who joins now is told at once.
    const second = await connectControl(server, session.facilitatorToken);
    await waitFor(() => last(second)?.notes === 3, 5_000, 'the report on connecting');

    // Counts only: nothing any facilitator received holds a word of a draft…
    for (const client of [facilitator, second]) expect(JSON.stringify([client.welcome, client.events])).not.toContain(MARKER);
    // …and participants and the projector received no counts at all.
    for (const client of [adaControl, benControl, projector]) expect(reports(client)).toEqual([]);
  });
});
