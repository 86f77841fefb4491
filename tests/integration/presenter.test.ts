import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { JoinSessionResponse } from '../../shared/api.ts';
import { Board } from '../../shared/board/Board.ts';
import { CLOSE } from '../../shared/closeCodes.ts';
import { parseInquiry, type InquiryData } from '../../shared/export/jsonSchema.ts';
import { templatePlan } from '../../shared/protocol/agendas.ts';
import type { StepId } from '../../shared/protocol/steps.ts';
import { download } from './exportSetup.ts';
import {
  connectControl,
  connectYjs,
  createSession,
  join,
  post,
  sleep,
  startTestServer,
  useCleanup,
  waitFor,
  type ControlClient,
  type TestServer,
  type YjsClient,
} from './helpers.ts';

useCleanup();

/**
 * The presenter's part in a Consultancy (YEAR.md 4, issue 13): the server
 * turns their board inputs off while the group discusses their dilemma, only
 * they write their focusing question, and the notes addressed to them are
 * theirs: in their own export, and in the community brief only once they
 * share them. Real server, real clients, real downloads.
 */

type Person = JoinSessionResponse & { client: YjsClient; control: ControlClient };

interface Consultancy {
  server: TestServer;
  sessionId: string;
  facilitatorToken: string;
  ana: Person;
  ben: Person;
  cleo: Person;
  facilitator: YjsClient;
  command(payload: unknown): Promise<void>;
  /** The board as the server holds it. */
  stored(): Board;
}

const PLAN = templatePlan('monthly-consultancy', 90);
const TEXT = {
  focus: 'How might I get my seventh graders to talk to each other, not just to me?',
  answer: 'I have tried think-pair-share twice',
  clarify: 'How many students are in the class?',
  toAna: 'NOTE FOR ANA: try talk moves posted on the wall',
  benOwn: 'We seem to assume silence means disengagement',
  cleoOwn: 'What would the students say?',
  listening: 'ANA WHILE LISTENING: I disagree',
} as const;

/** A 90-minute meeting on the Consultancy plan, Ana chosen as presenter, at `step`. */
async function consultancy(step: StepId): Promise<Consultancy> {
  const server = await startTestServer(undefined, { rooms: { refusalBackoffMs: 0 } });
  const session = await createSession(server, { title: 'Monthly meeting, November', lengthMinutes: 90 });
  const people = await Promise.all(['Ana', 'Ben', 'Cleo'].map((name) => join(server, session.joinCode, name)));
  const control = await connectControl(server, session.facilitatorToken);
  const command = async (payload: unknown) => {
    const result = await control.command(payload);
    if (!result.ok) throw new Error(`${JSON.stringify(payload)}: ${result.error.message}`);
  };
  const [ana, ben, cleo] = await Promise.all(
    people.map(async (p) => ({
      ...p,
      client: await connectYjs(server, session.id, p.participantToken),
      // Online on the control plane: the presenter must be here to be chosen.
      control: await connectControl(server, p.participantToken),
    })),
  );
  // A new session is at the inquiry's first step: the agenda keeps it until the meeting moves into the plan.
  await command({ type: 'agenda', steps: ['open', ...PLAN.steps], minutes: PLAN.minutes });
  await command({ type: 'goto', step: PLAN.steps[0] });
  await command({ type: 'agenda', steps: PLAN.steps, minutes: PLAN.minutes });
  await command({ type: 'presenter', participantId: ana!.participantId });
  await command({ type: 'goto', step });
  return {
    server,
    sessionId: session.id,
    facilitatorToken: session.facilitatorToken,
    ana: ana!,
    ben: ben!,
    cleo: cleo!,
    facilitator: await connectYjs(server, session.id, session.facilitatorToken),
    command,
    stored: () => new Board(server.rooms.get(session.id)!.doc),
  };
}

/** Resolves with the reason the server closed this client's socket for a refused update. */
function refusalOf(client: YjsClient): Promise<string> {
  return new Promise((resolve) => {
    client.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event && event.code === CLOSE.badMessage) resolve(event.reason);
    });
  });
}

/** `act` is refused with `reason`, and nothing of it reaches the server's document. */
async function expectRefused(m: Consultancy, client: YjsClient, act: () => void, reason: RegExp): Promise<void> {
  const before = Y.encodeStateVector(m.server.rooms.get(m.sessionId)!.doc);
  const refused = refusalOf(client);
  act();
  expect(await refused).toMatch(reason);
  expect(Y.encodeStateVector(m.server.rooms.get(m.sessionId)!.doc)).toEqual(before);
}

/** Adds a card, then waits until the server holds it. */
async function card(m: Consultancy, who: Person, fields: { text: string; step: StepId; toPresenter?: string | null }): Promise<string> {
  const id = who.client.board.addCard({ actor: who.participantId }, fields);
  await waitFor(() => m.stored().get('cards', id) !== null, 3_000, `the card “${fields.text}” on the server`);
  return id;
}

async function brief(m: Consultancy, token: string, query = ''): Promise<InquiryData> {
  const res = await download(m.server, m.sessionId, `export.json${query}`, token);
  expect(res.status).toBe(200);
  const parsed = parseInquiry(JSON.parse(res.text));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.data;
}

const cardTexts = (data: InquiryData) => data.protocols.flatMap((run) => run.cards.map((c) => c.text));

describe('the presenter listens: their inputs are off on the server', () => {
  it('takes the presenter’s answers and focusing question at the probing step, refuses their card while the group discusses, and takes the others’', async () => {
    const m = await consultancy('consultProbe');
    const asAna = { actor: m.ana.participantId };
    // Probing: the presenter answers, and restates the focusing question.
    await card(m, m.ana, { text: TEXT.answer, step: 'consultProbe' });
    const focus = m.ana.client.board.saveFocus(asAna, TEXT.focus);
    await waitFor(() => m.stored().get('focus', focus)?.text === TEXT.focus, 3_000, 'Ana’s focusing question');

    await m.command({ type: 'goto', step: 'consultDiscuss' });
    const cleoCard = await card(m, m.cleo, { text: TEXT.cleoOwn, step: 'consultDiscuss' });
    await waitFor(() => m.ben.client.board.get('cards', cleoCard) !== null, 3_000, 'Cleo’s card at Ben’s');

    // A card for the discussion, or for the probing step just left (which still takes cards, within its grace), or an edit of the focusing question: all off.
    const attempts: Array<(client: YjsClient) => void> = [
      (client) => client.board.addCard(asAna, { text: TEXT.listening, step: 'consultDiscuss' }),
      (client) => client.board.addCard(asAna, { text: TEXT.listening, step: 'consultProbe' }),
      (client) => client.board.saveFocus(asAna, TEXT.listening),
    ];
    for (const attempt of attempts) {
      // A refusal closes the socket for good: each attempt comes from a fresh tab.
      const tab = await connectYjs(m.server, m.sessionId, m.ana.participantToken);
      await expectRefused(m, tab, () => attempt(tab), /the presenter listens at this step: their board inputs are off/);
    }
    // None of it reached anyone: give a relayed update the time it would take.
    await sleep(200);
    expect(m.ben.client.board.list('cards').map((c) => c.text)).not.toContain(TEXT.listening);
    expect(m.stored().list('cards').map((c) => c.text)).not.toContain(TEXT.listening);
    expect(m.stored().get('focus', focus)?.text).toBe(TEXT.focus);
    expect(m.ben.client.provider.wsconnected).toBe(true);
  });

  it('refuses the presenter’s card for the discussion later, within the step’s grace, when they no longer listen', async () => {
    const m = await consultancy('consultDiscuss');
    await m.command({ type: 'goto', step: 'consultRespond' });
    await expectRefused(
      m,
      m.ana.client,
      () => m.ana.client.board.addCard({ actor: m.ana.participantId }, { text: TEXT.listening, step: 'consultDiscuss' }),
      /presenter listens at that step/,
    );
    // Ben's late card for the discussion is still taken (the grace keeps a dropped laptop's words).
    await card(m, m.ben, { text: TEXT.benOwn, step: 'consultDiscuss' });
  });
});

describe('the focusing question is the presenter’s', () => {
  it('is saved by the presenter only; nobody else edits it, or shares the notes for them', async () => {
    const m = await consultancy('consultFrame');
    await expectRefused(m, m.ben.client, () => m.ben.client.board.saveFocus({ actor: m.ben.participantId }, 'Ben’s question'), /only the presenter writes this/);
    // Ben's socket is closed now: the rest uses Cleo's and the facilitator's.
    const focus = m.ana.client.board.saveFocus({ actor: m.ana.participantId }, TEXT.focus);
    await waitFor(() => m.cleo.client.board.get('focus', focus) !== null, 3_000, 'Ana’s question at Cleo’s');
    const rawSet = (client: YjsClient, fields: Record<string, unknown>) => {
      const record = client.doc.getMap<Y.Map<unknown>>('focus').get(focus)!;
      client.doc.transact(() => {
        for (const [key, value] of Object.entries(fields)) record.set(key, value);
      });
    };
    await expectRefused(m, m.cleo.client, () => rawSet(m.cleo.client, { text: 'Cleo’s words now' }), /only its author can change text/);
    // Sharing opens the community brief: not even the facilitator decides it for the presenter.
    await expectRefused(m, m.facilitator, () => rawSet(m.facilitator, { shareNotes: true }), /only the presenter shares their notes/);
    expect(m.stored().get('focus', focus)).toMatchObject({ text: TEXT.focus, shareNotes: false, authorId: m.ana.participantId });
  });
});

describe('notes addressed to the presenter', () => {
  async function discussed(): Promise<Consultancy & { toAna: string }> {
    const m = await consultancy('consultFrame');
    const focus = m.ana.client.board.saveFocus({ actor: m.ana.participantId }, TEXT.focus);
    await waitFor(() => m.stored().get('focus', focus) !== null, 3_000, 'the focusing question');
    await m.command({ type: 'goto', step: 'consultClarify' });
    await card(m, m.cleo, { text: TEXT.clarify, step: 'consultClarify' });
    await m.command({ type: 'goto', step: 'consultDiscuss' });
    const toAna = await card(m, m.ben, { text: TEXT.toAna, step: 'consultDiscuss', toPresenter: m.ana.participantId });
    await card(m, m.ben, { text: TEXT.benOwn, step: 'consultDiscuss' });
    await m.command({ type: 'goto', step: 'consultRespond' });
    return { ...m, toAna };
  }

  it('reach the presenter’s export and no other member’s', async () => {
    const m = await discussed();
    const anas = await brief(m, m.ana.participantToken);
    expect(anas.scope).toBe('participant');
    expect(cardTexts(anas)).toEqual([TEXT.toAna]);
    expect(anas.protocols[0]!.cards[0]).toMatchObject({ toPresenter: true, author: 'Ben', step: 'consultDiscuss' });
    expect(anas.protocols[0]).toMatchObject({ protocol: 'consultancy', presenter: 'Ana', focus: TEXT.focus });
    // Ben's copy: his own ordinary card, not the one he gave Ana; Cleo's: her own question only.
    expect(cardTexts(await brief(m, m.ben.participantToken))).toEqual([TEXT.benOwn]);
    expect(cardTexts(await brief(m, m.cleo.participantToken))).toEqual([TEXT.clarify]);
    for (const who of [m.ben, m.cleo]) {
      const md = await download(m.server, m.sessionId, 'export.md', who.participantToken);
      expect(md.text).not.toContain(TEXT.toAna);
    }
    const md = await download(m.server, m.sessionId, 'export.md', m.ana.participantToken);
    expect(md.text).toContain(TEXT.toAna);
  });

  it('stay out of the facilitator’s brief until the presenter shares them, then are in it', async () => {
    const m = await discussed();
    const before = await brief(m, m.facilitatorToken);
    expect(before.scope).toBe('full');
    expect(cardTexts(before)).toEqual([TEXT.clarify, TEXT.benOwn]);
    for (const file of ['export.md', 'export.csv']) {
      expect((await download(m.server, m.sessionId, file, m.facilitatorToken)).text).not.toContain(TEXT.toAna);
    }

    const focus = m.stored().list('focus')[0]!;
    m.ana.client.board.shareNotes({ actor: m.ana.participantId }, focus.id, true);
    await waitFor(() => m.stored().get('focus', focus.id)?.shareNotes === true, 3_000, 'Ana sharing her notes');
    const after = await brief(m, m.facilitatorToken);
    expect(cardTexts(after)).toEqual([TEXT.clarify, TEXT.toAna, TEXT.benOwn]);
    expect(after.protocols[0]!.cards.find((c) => c.text === TEXT.toAna)).toMatchObject({ toPresenter: true, author: 'Ben' });
    for (const file of ['export.md', 'export.csv']) {
      expect((await download(m.server, m.sessionId, file, m.facilitatorToken)).text).toContain(TEXT.toAna);
    }
    const pdf = await download(m.server, m.sessionId, 'export.pdf', m.facilitatorToken);
    expect(pdf.status).toBe(200);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    // Names left out: no presenter, no authors.
    const anonymous = await brief(m, m.facilitatorToken, '?names=0');
    expect(anonymous.protocols[0]!.presenter).toBeNull();
    expect(anonymous.protocols[0]!.cards.map((c) => c.author)).toEqual([null, null, null]);
    const md = (await download(m.server, m.sessionId, 'export.md?names=0', m.facilitatorToken)).text;
    expect(md).not.toMatch(/Ana|Ben|Cleo/);
  });

  it('can be addressed only to the presenter: a card addressed to someone else, to hide it from the brief, is refused', async () => {
    const m = await consultancy('consultDiscuss');
    await expectRefused(
      m,
      m.ben.client,
      () => m.ben.client.board.addCard({ actor: m.ben.participantId }, { text: 'hidden from the brief', step: 'consultDiscuss', toPresenter: m.cleo.participantId }),
      /addressed only to this meeting's presenter/,
    );
    await card(m, m.cleo, { text: TEXT.toAna, step: 'consultDiscuss', toPresenter: m.ana.participantId });
    // And the address cannot be changed afterwards.
    const id = m.stored().list('cards')[0]!.id;
    const record = m.cleo.client.doc.getMap<Y.Map<unknown>>('cards').get(id)!;
    await expectRefused(m, m.cleo.client, () => record.set('toPresenter', null), /toPresenter cannot change/);
  });
});

describe('a card names the step it was written at', () => {
  it('and the server takes it only for a step that takes cards now', async () => {
    const m = await consultancy('consultClarify');
    const asBen = { actor: m.ben.participantId };
    await card(m, m.ben, { text: TEXT.clarify, step: 'consultClarify' });
    // Tagged with a step that is not open (to slip a card into a later block), or one that takes none.
    for (const step of ['successConditions', 'consultRespond'] as const) {
      const fresh = await connectYjs(m.server, m.sessionId, m.ben.participantToken);
      await expectRefused(m, fresh, () => fresh.board.addCard(asBen, { text: `late for ${step}`, step }), /written for a step that does not take them now/);
      fresh.destroy();
    }
  });
});

describe('the meeting brief', () => {
  it('lists the agenda, step by step, with its block and minutes', async () => {
    const m = await consultancy('consultClarify');
    const data = await brief(m, m.facilitatorToken);
    expect(data.agenda.map((a) => a.step)).toEqual(PLAN.steps);
    expect(data.agenda.map((a) => a.minutes)).toEqual(PLAN.steps.map((s) => PLAN.minutes[s]));
    expect(data.agenda.find((a) => a.step === 'consultDiscuss')).toEqual({ step: 'consultDiscuss', title: 'Discussion', block: 'Consultancy', minutes: 15 });
    expect(data.agenda[0]).toMatchObject({ step: 'checkin', block: 'Open' });
    // On a monthly agenda, Commit and Close are its own blocks, not the inquiry's.
    expect(data.agenda.find((a) => a.step === 'commit')).toMatchObject({ block: 'Commit', minutes: 5 });
    const md = (await download(m.server, m.sessionId, 'export.md', m.facilitatorToken)).text;
    expect(md).toContain('## Agenda');
    expect(md).toContain('- Discussion — _Consultancy · 15 min_');
    const csv = (await download(m.server, m.sessionId, 'export.csv', m.facilitatorToken)).text;
    expect(csv).toContain('consultDiscuss,agenda,,Discussion,Consultancy,,15,');
    // A participant's copy has the agenda too.
    expect((await brief(m, m.ben.participantToken)).agenda).toHaveLength(PLAN.steps.length);
  });

  it('still carries forward, from today’s brief and from an export made before agendas and protocols', async () => {
    const m = await consultancy('consultRespond');
    const today = JSON.parse((await download(m.server, m.sessionId, 'export.json', m.facilitatorToken)).text) as Record<string, unknown>;
    expect(today.agenda).toBeInstanceOf(Array);
    const { agenda: _agenda, protocols: _protocols, ...older } = today;
    const parsed = parseInquiry(older);
    expect(parsed.ok && parsed.data.agenda.length === 0 && parsed.data.protocols.length === 0).toBe(true);
    for (const from of [today, older]) {
      const res = await post(m.server, '/api/sessions', { title: 'Monthly meeting, December', lengthMinutes: 90, from });
      expect(res.status).toBe(201);
    }
  });
});
