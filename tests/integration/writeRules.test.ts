import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, FACILITATOR_ACTOR } from '../../shared/board/Board.ts';
import { draftsRef } from '../../shared/board/DocRef.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { DOC_META } from '../../shared/board/migrateDoc.ts';
import { BOARD_DOC, privateDocName, type Collection } from '../../shared/board/schema.ts';
import type { JoinSessionResponse } from '../../shared/api.ts';
import type { StepId } from '../../shared/protocol/steps.ts';
import {
  atStep,
  connectControl,
  connectYjs,
  createSession,
  join,
  sleep,
  startTestServer,
  useCleanup,
  waitFor,
  type TestServer,
  type YjsClient,
} from './helpers.ts';
import { CLOSE } from '../../shared/closeCodes.ts';
import { rawYjs, updateMessage } from './rawYjs.ts';

useCleanup();

/**
 * The server, not the browser, keeps the board's rules: each case is a stock
 * y-websocket client that writes straight into its Y.Doc, as a modified
 * browser could, and the server either takes the change or refuses it
 * (closing that socket with 4400 and the reason) without applying anything.
 */

type Person = JoinSessionResponse & { client: YjsClient };

interface Meeting {
  server: TestServer;
  sessionId: string;
  ada: Person;
  ben: Person;
  facilitator: YjsClient;
  /** The board as the server holds it. */
  stored(): Board;
  command(payload: unknown): Promise<void>;
}

async function meeting(step: StepId, options: { reveal?: boolean; voting?: boolean; stepGraceMs?: number } = {}): Promise<Meeting> {
  const server = await startTestServer(undefined, { rooms: { refusalBackoffMs: 0, ...(options.stepGraceMs === undefined ? {} : { stepGraceMs: options.stepGraceMs }) } });
  const session = await createSession(server);
  const ada = await join(server, session.joinCode, 'Ada');
  const ben = await join(server, session.joinCode, 'Ben');
  await atStep(server, session, step, options);
  const control = await connectControl(server, session.facilitatorToken);
  const command = async (payload: unknown) => {
    const result = await control.command(payload);
    if (!result.ok) throw new Error(result.error.message);
  };
  return {
    server,
    sessionId: session.id,
    ada: { ...ada, client: await connectYjs(server, session.id, ada.participantToken) },
    ben: { ...ben, client: await connectYjs(server, session.id, ben.participantToken) },
    facilitator: await connectYjs(server, session.id, session.facilitatorToken),
    stored: () => new Board(server.rooms.get(session.id)!.doc),
    command,
  };
}

/** Resolves with the reason the server closed this client's socket. */
function refusalOf(client: YjsClient): Promise<string> {
  return new Promise((resolve) => {
    client.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event && event.code === CLOSE.badMessage) resolve(event.reason);
    });
  });
}

/** Writes `fields` straight into a record's map, past the Board wrapper's own checks. */
function rawSet(client: YjsClient, collection: Collection, id: string, fields: Record<string, unknown>): void {
  const record = client.doc.getMap<Y.Map<unknown>>(collection).get(id)!;
  client.doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) record.set(key, value);
  });
}

/** Adds a record with exactly these fields, as a modified client could. */
function rawInsert(client: YjsClient, collection: Collection, id: string, fields: Record<string, unknown>): void {
  const record = new Y.Map<unknown>();
  client.doc.transact(() => {
    client.doc.getMap(collection).set(id, record);
    for (const [key, value] of Object.entries(fields)) record.set(key, value);
  });
}

/** Casts `count` votes in one transaction, each with the fields `fields(i)` gives. */
function rawVotes(client: YjsClient, count: number, fields: (i: number) => Record<string, unknown>): void {
  client.doc.transact(() => {
    for (let i = 0; i < count; i++) rawInsert(client, 'votes', `v${i}`, fields(i));
  });
}

function rawDelete(client: YjsClient, collection: Collection, id: string): void {
  client.doc.getMap(collection).delete(id);
}

const noteFields = (authorId: string, text = 'mine') => ({
  authorId,
  createdAt: Date.now(),
  text,
  x: 0,
  y: 0,
  color: 'yellow',
  storyId: null,
  category: null,
  copyOf: null,
});

/** Ada's note, on the server and at Ben's. */
async function adasNote(m: Meeting): Promise<string> {
  const id = m.ada.client.board.addNote({ actor: m.ada.participantId }, { text: 'Ada wrote this', x: 1, y: 1 });
  await waitFor(() => m.ben.client.board.note(id) !== null && m.stored().note(id) !== null, 3_000, 'Ada’s note');
  return id;
}

async function expectRefused(m: Meeting, client: YjsClient, act: () => void, reason: RegExp): Promise<void> {
  const before = Y.encodeStateVector(m.server.rooms.get(m.sessionId)!.doc);
  const refused = refusalOf(client);
  act();
  expect(await refused).toMatch(reason);
  expect(Y.encodeStateVector(m.server.rooms.get(m.sessionId)!.doc)).toEqual(before);
}

describe('authorship: a participant changes only their own words', () => {
  const REFUSED: Array<[string, 'ada' | 'ben', (m: Meeting, c: YjsClient, note: string) => void, RegExp]> = [
    ['Ben rewrites Ada’s note', 'ben', (_m, c, note) => rawSet(c, 'notes', note, { text: 'Ben’s words now' }), /only its author can change text/],
    ['Ben deletes Ada’s note', 'ben', (_m, c, note) => rawDelete(c, 'notes', note), /only its author can remove it/],
    ['Ben adds a note under Ada’s id', 'ben', (m, c) => rawInsert(c, 'notes', 'forged', noteFields(m.ada.participantId)), /author must be its writer/],
    ['Ben adds a note as the facilitator', 'ben', (_m, c) => rawInsert(c, 'notes', 'forged', noteFields('facilitator')), /author must be its writer/],
    ['Ben adds a note as a carried-over author', 'ben', (_m, c) => rawInsert(c, 'notes', 'forged', noteFields('carried-1')), /author must be its writer/],
    ['Ben takes Ada’s note as his', 'ben', (m, c, note) => rawSet(c, 'notes', note, { authorId: m.ben.participantId }), /authorId cannot change/],
    ['Ada backdates her own note', 'ada', (_m, c, note) => rawSet(c, 'notes', note, { createdAt: 1 }), /createdAt cannot change/],
    ['Ada makes her note a copy', 'ada', (_m, c, note) => rawSet(c, 'notes', note, { copyOf: 'someone-else' }), /copyOf cannot change/],
    ['Ada writes an unknown field', 'ada', (_m, c, note) => rawSet(c, 'notes', note, { owner: 'x' }), /unknown field "owner"/],
    ['Ada writes a number as text', 'ada', (_m, c, note) => rawSet(c, 'notes', note, { text: 42 }), /text/],
  ];
  it.each(REFUSED)('refuses: %s', async (_what, who, act, reason) => {
    const m = await meeting('sort');
    const note = await adasNote(m);
    const client = m[who].client;
    await expectRefused(m, client, () => act(m, client, note), reason);
    expect(m.stored().note(note)).toMatchObject({ text: 'Ada wrote this', authorId: m.ada.participantId });
  });

  it('lets anyone move and sort any note, and the facilitator edit and remove it', async () => {
    const m = await meeting('sort');
    const note = await adasNote(m);
    rawSet(m.ben.client, 'notes', note, { x: 300, y: 200, category: 'skills' });
    await waitFor(() => m.stored().note(note)?.category === 'skills', 3_000, 'Ben’s move');
    expect(m.stored().note(note)).toMatchObject({ x: 300, y: 200 });
    m.facilitator.board.editNote({ actor: FACILITATOR_ACTOR }, note, 'tidied by the facilitator');
    await waitFor(() => m.stored().note(note)?.text === 'tidied by the facilitator', 3_000, 'the facilitator’s edit');
    m.facilitator.board.deleteNote({ actor: FACILITATOR_ACTOR }, note);
    await waitFor(() => m.stored().note(note) === null, 3_000, 'the facilitator’s delete');
    expect(m.ben.client.provider.wsconnected && m.facilitator.provider.wsconnected).toBe(true);
  });

  it('lets anyone copy a note into a second category under its author, but not put other words in her name', async () => {
    const m = await meeting('sort');
    const note = await adasNote(m);
    const copy = m.ben.client.board.duplicateNote({ actor: m.ben.participantId }, note, 'skills');
    await waitFor(() => m.stored().note(copy) !== null, 3_000, 'Ben’s copy');
    expect(m.stored().note(copy)).toMatchObject({ authorId: m.ada.participantId, copyOf: note, text: 'Ada wrote this', category: 'skills' });
    const forged = { ...noteFields(m.ada.participantId, 'words Ada never wrote'), copyOf: note };
    await expectRefused(m, m.ben.client, () => rawInsert(m.ben.client, 'notes', 'forged-copy', forged), /author must be its writer/);
  });

  it('puts back a note whose shared field a crafted update deleted, and refuses that update', async () => {
    const m = await meeting('sort');
    const note = await adasNote(m);
    const refused = refusalOf(m.ben.client);
    m.ben.client.doc.getMap<Y.Map<unknown>>('notes').get(note)!.delete('x');
    expect(await refused).toMatch(/notes: x/);
    await waitFor(() => m.ada.client.board.note(note)?.x === 1, 3_000, 'the note put back at Ada’s');
    expect(m.stored().note(note)).toMatchObject({ x: 1, text: 'Ada wrote this' });
  });

  it('puts back a field whose new value the same update deletes (a move and its undo merged into one message)', async () => {
    const m = await meeting('sort');
    const note = await adasNote(m);
    // Ben's copy of the board, offline: two changes merged into one update, sent as one frame.
    m.ben.client.provider.disconnect();
    const updates: Uint8Array[] = [];
    m.ben.client.doc.on('update', (u: Uint8Array) => updates.push(u));
    const fields = m.ben.client.doc.getMap<Y.Map<unknown>>('notes').get(note)!;
    fields.set('x', 250);
    fields.delete('x');
    expect(updates).toHaveLength(2);
    const raw = await rawYjs(m.server.port, m.sessionId, m.ben.participantToken);
    raw.ws.send(updateMessage(Y.mergeUpdates(updates)));
    expect((await raw.closed).reason).toMatch(/notes: x/);
    expect(m.stored().note(note)).toMatchObject({ x: 1, text: 'Ada wrote this' });
    await waitFor(() => m.ada.client.board.note(note)?.x === 1, 3_000, 'the note as it was at Ada’s');
  });

  it('takes a colleague’s moves of a note and leaves the rest of it whole', async () => {
    const m = await meeting('sort');
    const note = await adasNote(m);
    for (let i = 0; i < 5; i++) rawSet(m.ben.client, 'notes', note, { x: 10 + i, y: 20 + i });
    await waitFor(() => m.stored().note(note)?.x === 14, 3_000, 'Ben’s last move');
    expect(m.stored().note(note)).toMatchObject({ x: 14, y: 24, text: 'Ada wrote this', authorId: m.ada.participantId });
    expect(m.ben.client.provider.wsconnected).toBe(true);
  });

  it('keeps each author’s story, question and commitment theirs', async () => {
    const m = await meeting('story');
    const story = m.ada.client.board.shareStory({ actor: m.ada.participantId }, { who: 'a family', what: 'w', did: 'd', ended: 'e' });
    await waitFor(() => m.ben.client.board.get('stories', story) !== null, 3_000, 'Ada’s story');
    await expectRefused(m, m.ben.client, () => rawSet(m.ben.client, 'stories', story, { who: 'someone else' }), /only its author can change who/);

    const ben2 = await connectYjs(m.server, m.sessionId, m.ben.participantToken);
    await m.command({ type: 'goto', step: 'hmw' });
    const question = m.ada.client.board.addQuestion({ actor: m.ada.participantId }, 'How might we?', null);
    await waitFor(() => ben2.board.get('questions', question) !== null, 3_000, 'Ada’s question');
    await expectRefused(m, ben2, () => rawDelete(ben2, 'questions', question), /only its author can remove it/);

    const ben3 = await connectYjs(m.server, m.sessionId, m.ben.participantToken);
    await m.command({ type: 'goto', step: 'commit' });
    const commitment = m.ada.client.board.saveCommitment({ actor: m.ada.participantId }, { action: 'call', notice: 'n', partner: 'Ben', date: '' });
    await waitFor(() => ben3.board.get('commitments', commitment) !== null, 3_000, 'Ada’s commitment');
    await expectRefused(m, ben3, () => rawSet(ben3, 'commitments', commitment, { action: 'nothing' }), /only its author can change action/);
  });

  it('lets either partner of a pair mark an assumption, and nobody else', async () => {
    const server = await startTestServer(undefined, { rooms: { refusalBackoffMs: 0 } });
    const session = await createSession(server);
    const people = await Promise.all(['Ada', 'Ben', 'Cy', 'Di'].map((name) => join(server, session.joinCode, name)));
    for (const person of people) await connectControl(server, person.participantToken);
    const facilitator = await connectControl(server, session.facilitatorToken);
    await facilitator.command({ type: 'goto', step: 'story' });
    const author = people[0]!;
    const authorBoard = await connectYjs(server, session.id, author.participantToken);
    const story = authorBoard.board.shareStory({ actor: author.participantId }, { who: 'w', what: 'w', did: 'd', ended: 'e' });
    await facilitator.command({ type: 'goto', step: 'assumptions' });
    const paired = await facilitator.command({ type: 'pairs', action: 'form' });
    if (!paired.ok) throw new Error(paired.error.message);
    const group = paired.control.pairs.find((g) => g.includes(author.participantId))!;
    const partner = people.find((p) => p !== author && group.includes(p.participantId))!;
    const outsider = people.find((p) => !group.includes(p.participantId))!;
    const assumption = authorBoard.board.addAssumption({ actor: author.participantId }, story, 'They did not want to come');
    const stored = () => new Board(server.rooms.get(session.id)!.doc);
    await waitFor(() => stored().get('assumptions', assumption) !== null, 3_000, 'the assumption');

    const partnerBoard = await connectYjs(server, session.id, partner.participantToken);
    partnerBoard.board.markAssumption({ actor: partner.participantId }, assumption, 'doubtful');
    await waitFor(() => stored().get('assumptions', assumption)?.status === 'doubtful', 3_000, 'the partner’s mark');

    const outsiderBoard = await connectYjs(server, session.id, outsider.participantToken);
    const refused = refusalOf(outsiderBoard);
    outsiderBoard.board.markAssumption({ actor: outsider.participantId }, assumption, 'holds');
    expect(await refused).toMatch(/only its author can change status/);
    expect(stored().get('assumptions', assumption)?.status).toBe('doubtful');
  });
});

describe('clusters', () => {
  /** Ada's note and Ben's, both in `category`, synced everywhere. */
  async function twoNotes(m: Meeting, category: 'skills' | 'knowledge' = 'skills'): Promise<[string, string]> {
    const ada = m.ada.client.board.addNote({ actor: m.ada.participantId }, { text: 'Ada wrote this', x: 1, y: 1 });
    const ben = m.ben.client.board.addNote({ actor: m.ben.participantId }, { text: 'Ben wrote this', x: 1, y: 1 });
    m.ada.client.board.sortNote({ actor: m.ada.participantId }, ada, category);
    m.ben.client.board.sortNote({ actor: m.ben.participantId }, ben, category);
    await waitFor(
      () => [m.stored(), m.ada.client.board, m.ben.client.board].every((b) => b.note(ada)?.category === category && b.note(ben)?.category === category),
      3_000,
      'two sorted notes',
    );
    return [ada, ben];
  }

  /** Ben stacks his note onto Ada's: a cluster of both, on the server and at Ada's. */
  async function clustered(m: Meeting): Promise<{ ada: string; ben: string; cluster: string }> {
    const [ada, ben] = await twoNotes(m);
    const cluster = m.ben.client.board.groupNotes({ actor: m.ben.participantId }, ben, ada);
    await waitFor(() => m.stored().note(ada)?.clusterId === cluster && m.ada.client.board.note(ben)?.clusterId === cluster, 3_000, 'the cluster');
    return { ada, ben, cluster };
  }

  it('lets anyone stack anyone’s notes, rename any cluster and take a note out', async () => {
    const m = await meeting('sort');
    const { ada, cluster } = await clustered(m);
    expect(m.stored().get('clusters', cluster)).toMatchObject({ label: 'Ada wrote this', category: 'skills', authorId: m.ben.participantId });
    m.ada.client.board.renameCluster({ actor: m.ada.participantId }, cluster, 'What we wrote');
    await waitFor(() => m.stored().get('clusters', cluster)?.label === 'What we wrote', 3_000, 'Ada’s label');
    m.ada.client.board.ungroupNote({ actor: m.ada.participantId }, ada);
    await waitFor(() => m.stored().note(ada)?.clusterId === null, 3_000, 'Ada’s note out of the cluster');
    expect(m.ada.client.provider.wsconnected && m.ben.client.provider.wsconnected).toBe(true);
  });

  const REFUSED: Array<[string, (m: Meeting, c: { ada: string; ben: string; cluster: string }) => void, RegExp]> = [
    ['a label over 60 characters', (m, c) => rawSet(m.ada.client, 'clusters', c.cluster, { label: 'x'.repeat(61) }), /clusters: label/],
    ['a cluster moved to another category', (m, c) => rawSet(m.ada.client, 'clusters', c.cluster, { category: 'knowledge' }), /clusters: category cannot change/],
    ['a note sorted elsewhere that stays in its cluster', (m, c) => rawSet(m.ada.client, 'notes', c.ada, { category: 'knowledge' }), /clusterId must name a cluster with the same category/],
    ['a new note put in a cluster of another category', (m, c) =>
      rawInsert(m.ada.client, 'notes', 'elsewhere', { ...noteFields(m.ada.participantId), category: 'knowledge', clusterId: c.cluster }),
    /clusterId must name a cluster with the same category/],
    ['a note in a tray with a cluster', (m, c) => rawSet(m.ada.client, 'notes', c.ada, { category: null }), /clusterId must name a cluster with the same category/],
    ['a note in a cluster that does not exist', (m, c) => rawSet(m.ada.client, 'notes', c.ada, { clusterId: 'no-such-cluster' }), /clusterId names no cluster/],
    ['a new cluster under someone else’s name', (m) => rawInsert(m.ada.client, 'clusters', 'forged', { authorId: m.ben.participantId, createdAt: Date.now(), label: 'x', category: 'skills' }), /author must be its writer/],
  ];
  it.each(REFUSED)('refuses %s', async (_what, act, reason) => {
    const m = await meeting('sort');
    const c = await clustered(m);
    await expectRefused(m, m.ada.client, () => act(m, c), reason);
    expect(m.stored().get('clusters', c.cluster)).toMatchObject({ label: 'Ada wrote this', category: 'skills' });
    expect(m.stored().note(c.ada)).toMatchObject({ category: 'skills', clusterId: c.cluster });
  });

  it('takes a question linked to a cluster, and refuses one linked to no cluster', async () => {
    const m = await meeting('sort');
    const { cluster } = await clustered(m);
    await m.command({ type: 'goto', step: 'hmw' });
    await waitFor(() => m.server.rooms.get(m.sessionId) !== undefined, 3_000, 'the room');
    const q = m.ada.client.board.addQuestion({ actor: m.ada.participantId }, 'How might we plan together?', 'skills', [], cluster);
    await waitFor(() => m.stored().get('questions', q)?.clusterId === cluster, 3_000, 'the linked question');
    await expectRefused(m, m.ada.client, () => rawSet(m.ada.client, 'questions', q, { clusterId: 'no-such-cluster' }), /questions: clusterId names no cluster/);
  });
});

describe('votes', () => {
  async function voting(open = true) {
    const m = await meeting('hmw', { voting: open });
    const question = m.ada.client.board.addQuestion({ actor: m.ada.participantId }, 'How might we listen?', null);
    await waitFor(() => m.ben.client.board.get('questions', question) !== null, 3_000, 'the question');
    return { m, question };
  }
  const vote = (authorId: string, questionId: string) => ({ authorId, questionId, createdAt: Date.now() });

  it('refuses thirty invented voters, and counts the real one', async () => {
    const { m, question } = await voting();
    const ben = m.ben.client;
    await expectRefused(
      m,
      ben,
      () => rawVotes(ben, 30, (i) => vote(`invented-${i}`, question)),
      /author must be its writer/,
    );
    m.ada.client.board.castVote({ actor: m.ada.participantId }, question, 3);
    await waitFor(() => m.stored().list('votes').length === 1, 3_000, 'Ada’s vote');
  });

  it('refuses moving someone else’s vote, or one’s own to another question', async () => {
    const { m, question } = await voting();
    const other = m.ada.client.board.addQuestion({ actor: m.ada.participantId }, 'How might we ask?', null);
    const adaVote = m.ada.client.board.castVote({ actor: m.ada.participantId }, question, 3);
    await waitFor(() => m.ben.client.board.get('votes', adaVote) !== null && m.ben.client.board.get('questions', other) !== null, 3_000, 'Ada’s vote');
    await expectRefused(m, m.ben.client, () => rawSet(m.ben.client, 'votes', adaVote, { questionId: other }), /questionId cannot change/);
    await expectRefused(m, m.ada.client, () => rawSet(m.ada.client, 'votes', adaVote, { questionId: other }), /questionId cannot change/);
  });

  it('takes votes only while voting is open, from participants, within the allowance, for a question that exists', async () => {
    const closed = await voting(false);
    await expectRefused(closed.m, closed.m.ben.client, () => closed.m.ben.client.board.castVote({ actor: closed.m.ben.participantId }, closed.question, 3), /voting is not open/);

    const { m, question } = await voting();
    await expectRefused(m, m.facilitator, () => rawInsert(m.facilitator, 'votes', 'f1', vote('facilitator', question)), /participants' own/);
    const ben = m.ben.client;
    await expectRefused(
      m,
      ben,
      () => rawVotes(ben, 11, () => vote(m.ben.participantId, question)),
      /at most 10 per person/,
    );
    const ada = await connectYjs(m.server, m.sessionId, m.ada.participantToken);
    const refused = refusalOf(ada);
    rawInsert(ada, 'votes', 'ghost', vote(m.ada.participantId, 'no-such-question'));
    expect(await refused).toMatch(/question is gone/);
    await waitFor(() => m.stored().get('votes', 'ghost') === null && !m.server.rooms.get(m.sessionId)!.doc.getMap('votes').has('ghost'), 3_000, 'the ghost vote removed');
  });
});

describe('the lock and the steps', () => {
  it('refuses participant writes while the board is locked; the facilitator still writes', async () => {
    const m = await meeting('sort');
    const note = await adasNote(m);
    await m.command({ type: 'lock', locked: true });
    await expectRefused(m, m.ben.client, () => m.ben.client.board.moveNote({ actor: m.ben.participantId }, note, 50, 50), /the board is locked/);
    m.facilitator.board.moveNote({ actor: FACILITATOR_ACTOR }, note, 60, 60);
    await waitFor(() => m.stored().note(note)?.x === 60, 3_000, 'the facilitator’s move');
  });

  it('takes notes only after the reveal, and norms only from the facilitator', async () => {
    const m = await meeting('causes', { reveal: false });
    await expectRefused(m, m.ada.client, () => m.ada.client.board.addNote({ actor: m.ada.participantId }, { text: 'too early', x: 0, y: 0 }), /after the reveal/);
    await expectRefused(m, m.ben.client, () => m.ben.client.board.addNorm({ actor: m.ben.participantId }, 'my norm'), /only the facilitator adds these/);
  });

  it('takes a step’s writes for a grace period after the facilitator moves on, and not after', async () => {
    const m = await meeting('open', { stepGraceMs: 2000 });
    await m.command({ type: 'goto', step: 'story' });
    const hope = m.ada.client.board.addHope({ actor: m.ada.participantId }, 'written as the step changed');
    await waitFor(() => m.stored().get('hopes', hope) !== null, 3_000, 'the late hope');
    await sleep(2200);
    await expectRefused(m, m.ben.client, () => m.ben.client.board.addHope({ actor: m.ben.participantId }, 'far too late'), /does not take them now/);
  });
});

describe('fair shares', () => {
  it('holds each participant to their quota: 150 notes, one story', async () => {
    const m = await meeting('sort');
    const ada = m.ada.client;
    ada.doc.transact(() => {
      for (let i = 0; i < 150; i++) ada.board.addNote({ actor: m.ada.participantId }, { text: `n${i}`, x: 0, y: 0 });
    });
    await waitFor(() => m.stored().noteCount === 150, 3_000, '150 notes');
    await expectRefused(m, ada, () => ada.board.addNote({ actor: m.ada.participantId }, { text: 'one more', x: 0, y: 0 }), /at most 150 per person/);

    const s = await meeting('story');
    s.ben.client.board.shareStory({ actor: s.ben.participantId }, { who: 'w', what: 'w', did: 'd', ended: 'e' });
    await waitFor(() => s.stored().list('stories').length === 1, 3_000, 'Ben’s story');
    await expectRefused(s, s.ben.client, () => rawInsert(s.ben.client, 'stories', 'second', { authorId: s.ben.participantId, createdAt: 1, who: 'a', what: 'b', did: 'c', ended: 'd' }), /at most 1 per person/);
  });

  it('holds private drafts to 50 per person', async () => {
    const server = await startTestServer(undefined, { rooms: { refusalBackoffMs: 0 } });
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    const mine = await connectYjs(server, privateDocName(session.id, ada.participantId), ada.participantToken);
    const drafts = new PrivateBoard(mine.doc);
    for (let i = 0; i < 50; i++) drafts.addCauseDraft({ actor: ada.participantId }, `d${i}`, null);
    await waitFor(() => server.rooms.get(privateDocName(session.id, ada.participantId))!.doc.getMap('causeDrafts').size === 50, 3_000, '50 drafts');
    const refused = refusalOf(mine);
    drafts.addCauseDraft({ actor: ada.participantId }, 'one more', null);
    expect(await refused).toMatch(/at most 50 per person/);
  });

  it('plans the reveal before writing: with no room for every draft nothing moves, and nothing is lost', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const people = await Promise.all(['Ada', 'Ben'].map((name) => join(server, session.joinCode, name)));
    for (const person of people) {
      const mine = await connectYjs(server, privateDocName(session.id, person.participantId), person.participantToken);
      for (let i = 0; i < 30; i++) new PrivateBoard(mine.doc).addCauseDraft({ actor: person.participantId }, `${person.participantId} d${i}`, null);
      await waitFor(() => server.rooms.get(privateDocName(session.id, person.participantId))?.doc.getMap('causeDrafts').size === 30, 3_000, 'drafts');
      mine.destroy();
    }
    // The facilitator nearly fills the board: room for 40 notes, 60 drafts waiting.
    const facilitator = await connectYjs(server, session.id, session.facilitatorToken);
    for (let batch = 0; batch < 20; batch++) {
      facilitator.doc.transact(() => {
        for (let i = 0; i < 98; i++) facilitator.board.addNote({ actor: FACILITATOR_ACTOR }, { text: `f${batch}-${i}`, x: 0, y: 0 });
      });
    }
    const stored = () => new Board(server.rooms.get(session.id)!.doc);
    await waitFor(() => stored().noteCount === 1960, 5_000, 'the facilitator’s notes');
    const control = await connectControl(server, session.facilitatorToken);
    await control.command({ type: 'goto', step: 'causes' });
    const reveal = await control.command({ type: 'reveal' });
    expect(reveal).toMatchObject({ ok: false, error: { message: expect.stringMatching(/room for 40 more notes and 60 drafts are waiting/) } });
    expect(stored().noteCount).toBe(1960);
    expect((await server.store.sessions.getSession(session.id))!.control.revealed).toBe(false);
    for (const person of people) {
      const left = await server.rooms.withDoc(draftsRef(session.id, person.participantId), (room) => new PrivateBoard(room.doc).causeDrafts());
      expect(left).toHaveLength(30);
    }

    // Once there is room, every draft moves at once.
    facilitator.doc.transact(() => {
      for (const note of facilitator.board.notes().slice(0, 100)) facilitator.board.deleteNote({ actor: FACILITATOR_ACTOR }, note.id);
    });
    await waitFor(() => stored().noteCount === 1860, 5_000, 'room made');
    expect(await control.command({ type: 'reveal' })).toMatchObject({ ok: true });
    expect(stored().noteCount).toBe(1920);
  });
});

describe('the schema version is the server’s', () => {
  it('reaches every client with the board, which syncs as before; no client writes or deletes it', async () => {
    const m = await meeting('sort', { reveal: true });
    const version = (client: YjsClient) => client.doc.getMap<unknown>(DOC_META).get('schemaVersion');
    await waitFor(() => version(m.ada.client) === BOARD_DOC.migrations.current, 3_000, 'the version at Ada’s');
    expect(version(m.ben.client)).toBe(BOARD_DOC.migrations.current);
    await adasNote(m);

    await expectRefused(m, m.ada.client, () => m.ada.client.doc.getMap<unknown>(DOC_META).set('schemaVersion', 99), /only the server writes/);
    await expectRefused(m, m.ben.client, () => m.ben.client.doc.getMap<unknown>(DOC_META).delete('schemaVersion'), /only the server writes/);
    const fresh = await connectYjs(m.server, m.sessionId, m.ben.participantToken);
    await expectRefused(m, fresh, () => fresh.doc.getMap<unknown>(DOC_META).set('another', 1), /only the server writes/);
    expect(m.server.rooms.get(m.sessionId)!.doc.getMap<unknown>(DOC_META).toJSON()).toEqual({ schemaVersion: BOARD_DOC.migrations.current });
  });

  it('comes back unchanged from a browser’s own copy, and that is no refusal', async () => {
    const m = await meeting('sort', { reveal: true });
    await waitFor(() => m.ada.client.doc.getMap<unknown>(DOC_META).has('schemaVersion'), 3_000, 'the version at Ada’s');
    // What a reload sends when the browser's copy (IndexedDB) loads after the socket opened: everything it holds.
    const again = await rawYjs(m.server.port, m.sessionId, m.ada.participantToken);
    again.ws.send(updateMessage(Y.encodeStateAsUpdate(m.ada.client.doc)));
    await sleep(300);
    expect(again.isOpen()).toBe(true);
    await adasNote(m);
  });
});
