import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board } from '../../shared/board/Board.ts';
import { boardRef, draftsRef } from '../../shared/board/DocRef.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { COLLECTION_NAMES, privateDocName } from '../../shared/board/schema.ts';
import type { JoinSessionResponse } from '../../shared/api.ts';
import type { ControlState } from '../../shared/protocol/control.ts';
import {
  connectControl,
  connectYjs,
  createSession,
  join,
  onlineByName,
  recordYjsFrames,
  sleep,
  startTestServer,
  upgradeStatus,
  useCleanup,
  waitFor,
  type ControlClient,
  type TestServer,
} from './helpers.ts';

useCleanup();

/** Text no other browser may hold before the reveal; unique so any leak is found by search. */
const SECRET = {
  cause1: 'ZQX-cause-one: the bus schedule ignores the Eastside families',
  cause2: 'ZQX-cause-two: we assumed they did not care',
  story: 'ZQX-story: the Nguyen family and the missed conference',
};
const MARKER = 'ZQX-';

async function meeting(server: TestServer, names: string[] = ['Ada', 'Ben']) {
  const session = await createSession(server, { title: 'Family engagement', lengthMinutes: 90 });
  const people: JoinSessionResponse[] = [];
  for (const name of names) people.push(await join(server, session.joinCode, name));
  return { session, people };
}

/** A participant's private drafts document, connected like their browser would. */
async function privateDrafts(server: TestServer, sessionId: string, person: { participantId: string; participantToken: string }) {
  const client = await connectYjs(server, privateDocName(sessionId, person.participantId), person.participantToken);
  return { ...client, drafts: new PrivateBoard(client.doc), origin: { actor: person.participantId } };
}

/** The private drafts as the server holds them, whether or not the room is open. */
function serverDrafts(server: TestServer, sessionId: string, participantId: string) {
  return server.rooms.withDoc(draftsRef(sessionId, participantId), (room) => new PrivateBoard(room.doc).causeDrafts());
}

/** Everything a board client holds, as text: the raw document and every record it decodes. */
function boardText(doc: Y.Doc): string {
  const raw = new TextDecoder('utf-8', { fatal: false }).decode(Y.encodeStateAsUpdate(doc));
  const board = new Board(doc);
  const records = COLLECTION_NAMES.map((name) => JSON.stringify(board.list(name))).join('\n');
  return `${raw}\n${records}`;
}

const framesText = (frames: Uint8Array[]) => frames.map((f) => new TextDecoder('utf-8', { fatal: false }).decode(f)).join('\n');
const eventsText = (client: ControlClient) => JSON.stringify([client.welcome, client.events]);

describe('only the facilitator runs the meeting', () => {
  it('rejects a participant’s step, timer, pairs, reveal and final-question commands, changing nothing', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server, ['Ada', 'Ben', 'Cleo']);
    const [ada, ben, cleo] = people as [JoinSessionResponse, JoinSessionResponse, JoinSessionResponse];
    const facilitator = await connectControl(server, session.facilitatorToken);
    const participant = await connectControl(server, ada.participantToken);
    await connectControl(server, ben.participantToken);
    await connectControl(server, cleo.participantToken);
    await waitFor(() => Object.values(onlineByName(facilitator)).filter(Boolean).length === 3, 5_000, 'three online');

    // Ada has a private draft a sneaked-in reveal would publish.
    const adaDrafts = await privateDrafts(server, session.id, ada);
    adaDrafts.drafts.addCauseDraft(adaDrafts.origin, SECRET.cause1, null);
    await waitFor(async () => (await serverDrafts(server, session.id, ada.participantId)).length === 1, 5_000, 'the draft on the server');
    const board = await connectYjs(server, session.id, ben.participantToken);

    const before: ControlState = (await server.store.sessions.getSession(session.id))!.control;
    const seenBroadcasts = facilitator.controls.length;
    // In meeting order: each step's own commands are sent at that step.
    const commands = [
      { type: 'next', from: 'open' },
      { type: 'previous', from: 'story' },
      { type: 'goto', step: 'assumptions' },
      { type: 'timer', action: 'start' },
      { type: 'timer', action: 'addMinute' },
      { type: 'timer', action: 'reset' },
      { type: 'pairs', action: 'form' },
      { type: 'movePerson', participantId: ada.participantId, group: 1 },
      { type: 'goto', step: 'causes' },
      { type: 'reveal' },
      { type: 'goto', step: 'sort' },
      { type: 'heaviest', category: 'skills' },
      { type: 'goto', step: 'hmw' },
      { type: 'final', questionId: 'q1', final: true },
      { type: 'lock', locked: true },
      { type: 'spotlight', target: { kind: 'story', id: 's1' } },
      { type: 'voting', status: 'open', perPerson: 5 },
    ];

    for (const command of commands) {
      const result = await participant.command(command);
      expect(result, JSON.stringify(command)).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    }
    await waitFor(() => participant.problems.length === commands.length, 5_000, 'one problem event per command');
    expect(participant.problems.every((p) => p.code === 'forbidden')).toBe(true);

    await sleep(200);
    expect((await server.store.sessions.getSession(session.id))!.control).toEqual(before);
    expect(facilitator.controls).toHaveLength(seenBroadcasts);
    expect(participant.controls).toEqual([]);
    const fresh = await connectControl(server, session.facilitatorToken);
    expect(fresh.welcome.control).toEqual(before);
    expect(fresh.welcome.control).toMatchObject({ step: 'open', pairs: [], revealed: false, finalQuestionIds: [], locked: false });
    expect(fresh.welcome.control.timer.runningSince).toBeNull();
    // The refused reveal moved nothing.
    expect((await serverDrafts(server, session.id, ada.participantId)).map((d) => d.text)).toEqual([SECRET.cause1]);
    expect(board.board.notes()).toEqual([]);

    // The same commands, in the same order, from the facilitator are valid and each changes the state.
    let version = before.version;
    for (const command of commands) {
      const result = await facilitator.command(command);
      expect(result, JSON.stringify(command)).toMatchObject({ ok: true });
      if (result.ok) {
        expect(result.control.version, JSON.stringify(command)).toBe(version + 1);
        version = result.control.version;
      }
    }
  });

  it('a projector is refused the same way', async () => {
    const server = await startTestServer();
    const { session } = await meeting(server);
    const projector = await connectControl(server, session.projectorToken);
    const result = await projector.command({ type: 'reveal' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await waitFor(() => projector.problems.length === 1, 5_000, 'a problem event');
    expect((await server.store.sessions.getSession(session.id))!.control.revealed).toBe(false);
  });
});

describe('private drafts before the reveal', () => {
  it('another participant’s document, sync frames and socket.io events hold none of them', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server);
    const [ada, ben] = people as [JoinSessionResponse, JoinSessionResponse];

    // Ben is fully connected before Ada writes, so anything broadcast would reach him.
    const benBoard = await connectYjs(server, session.id, ben.participantToken);
    const benFrames = await recordYjsFrames(server, session.id, ben.participantToken);
    const benControl = await connectControl(server, ben.participantToken);
    const projectorBoard = await connectYjs(server, session.id, session.projectorToken);
    const facilitator = await connectControl(server, session.facilitatorToken);

    // Ada writes on the shared board too (so Ben demonstrably receives her updates) and drafts privately.
    const adaBoard = await connectYjs(server, session.id, ada.participantToken);
    await connectControl(server, ada.participantToken);
    const adaDrafts = await privateDrafts(server, session.id, ada);
    adaBoard.board.addHope({ actor: ada.participantId }, 'Public hope from Ada');
    await waitFor(() => benBoard.board.list('hopes').length === 1, 5_000, 'Ada’s public hope to reach Ben');
    await facilitator.command({ type: 'goto', step: 'causes' });
    adaDrafts.drafts.saveStoryDraft(adaDrafts.origin, { who: SECRET.story, what: 'w', did: 'd', ended: 'e' });
    const draftId = adaDrafts.drafts.addCauseDraft(adaDrafts.origin, SECRET.cause1, null);
    adaDrafts.drafts.addCauseDraft(adaDrafts.origin, 'ZQX-typing', null);
    adaDrafts.drafts.editCauseDraft(adaDrafts.origin, draftId, `${SECRET.cause1} (edited)`);

    await waitFor(async () => (await serverDrafts(server, session.id, ada.participantId)).length === 2, 5_000, 'the drafts on the server');

    await waitFor(() => framesText(benFrames.frames).includes('Public hope from Ada'), 5_000, 'the hope in Ben’s raw frames');
    await sleep(300);

    expect(boardText(benBoard.doc)).not.toContain(MARKER);
    expect(framesText(benFrames.frames)).not.toContain(MARKER);
    expect(eventsText(benControl)).not.toContain(MARKER);
    expect(eventsText(benControl)).toContain('"step":"causes"'); // the search does see what Ben received
    expect(boardText(projectorBoard.doc)).not.toContain(MARKER);
    expect(benBoard.board.notes()).toEqual([]);
    // …while the server and Ada's own browser hold them.
    expect(new PrivateBoard(server.rooms.get(privateDocName(session.id, ada.participantId))!.doc).storyDraft()!.who).toBe(SECRET.story);
    expect(adaDrafts.drafts.causeDrafts()).toHaveLength(2);
  });

  it('nobody but the author can open the private document', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server);
    const [ada, ben] = people as [JoinSessionResponse, JoinSessionResponse];
    const adaPrivate = privateDocName(session.id, ada.participantId);

    expect(await upgradeStatus(server, adaPrivate, ben.participantToken)).toBe(401);
    expect(await upgradeStatus(server, adaPrivate, session.projectorToken)).toBe(401);
    expect(await upgradeStatus(server, adaPrivate, session.facilitatorToken)).toBe(401);
    expect(await upgradeStatus(server, adaPrivate)).toBe(401);
    expect(await upgradeStatus(server, encodeURIComponent(adaPrivate), ben.participantToken)).toBe(401);
    // The author can, and everyone can open the board.
    expect(await upgradeStatus(server, adaPrivate, ada.participantToken)).toBe(101);
    expect(await upgradeStatus(server, privateDocName(session.id, ben.participantId), ben.participantToken)).toBe(101);
    for (const token of [ben.participantToken, session.projectorToken, session.facilitatorToken]) {
      expect(await upgradeStatus(server, session.id, token)).toBe(101);
    }
    // A participant of another session cannot reach in either.
    const other = await createSession(server, { title: 'Other CoP' });
    const outsider = await join(server, other.joinCode, 'Olu');
    expect(await upgradeStatus(server, adaPrivate, outsider.participantToken)).toBe(401);
  });
});

describe('the reveal', () => {
  it('is refused, with where it belongs, before the root-causes step; the drafts stay private and the state does not move', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server);
    const [ada, ben] = people as [JoinSessionResponse, JoinSessionResponse];
    const facilitator = await connectControl(server, session.facilitatorToken);
    const benControl = await connectControl(server, ben.participantToken);
    const benBoard = await connectYjs(server, session.id, ben.participantToken);
    const adaDrafts = await privateDrafts(server, session.id, ada);
    adaDrafts.drafts.addCauseDraft(adaDrafts.origin, SECRET.cause1, null);
    await waitFor(async () => (await serverDrafts(server, session.id, ada.participantId)).length === 1, 5_000, 'the draft on the server');
    const at = await facilitator.command({ type: 'goto', step: 'sort' });
    if (!at.ok) throw new Error(at.error.message);

    const early = await facilitator.command({ type: 'reveal' });
    expect(early).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'Revealing the notes belongs to the Root causes step; the meeting is at Sort.' },
    });
    await sleep(200);
    expect((await serverDrafts(server, session.id, ada.participantId)).map((d) => d.text)).toEqual([SECRET.cause1]);
    expect(boardText(benBoard.doc)).not.toContain(MARKER);
    expect((await server.store.sessions.getSession(session.id))!.control).toEqual(at.control);
    expect(benControl.controls.map((c) => c.control.version)).toEqual([at.control.version]);

    // Other steps' commands are refused the same way; the step's own and the shared ones are taken.
    expect(await facilitator.command({ type: 'voting', status: 'open' })).toMatchObject({
      ok: false,
      error: { code: 'rejected', message: 'Voting belongs to the How might we… step; the meeting is at Sort.' },
    });
    expect(await facilitator.command({ type: 'heaviest', category: 'skills' })).toMatchObject({ ok: true, control: { heaviest: 'skills' } });
    expect(await facilitator.command({ type: 'lock', locked: true })).toMatchObject({ ok: true, control: { locked: true } });
  });

  it('moves every draft onto the board for everyone at once, clears them from the private doc, and only once', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server);
    const [ada, ben] = people as [JoinSessionResponse, JoinSessionResponse];
    const facilitator = await connectControl(server, session.facilitatorToken);
    const benBoard = await connectYjs(server, session.id, ben.participantToken);
    const projectorBoard = await connectYjs(server, session.id, session.projectorToken);

    const adaDrafts = await privateDrafts(server, session.id, ada);
    adaDrafts.drafts.addCauseDraft(adaDrafts.origin, SECRET.cause1, 'story-ada');
    adaDrafts.drafts.addCauseDraft(adaDrafts.origin, SECRET.cause2, null);
    adaDrafts.drafts.saveStoryDraft(adaDrafts.origin, { who: SECRET.story, what: '', did: '', ended: '' });
    await waitFor(async () => (await serverDrafts(server, session.id, ada.participantId)).length === 2, 5_000, 'the drafts on the server');
    expect(boardText(benBoard.doc)).not.toContain(MARKER);

    await facilitator.command({ type: 'goto', step: 'causes' });
    const revealed = await facilitator.command({ type: 'reveal' });
    expect(revealed).toMatchObject({ ok: true, control: { revealed: true } });

    await waitFor(() => benBoard.board.notes().length === 2, 5_000, 'the revealed notes to reach Ben');
    const notes = benBoard.board.notes();
    expect(notes.map((n) => n.text).sort()).toEqual([SECRET.cause1, SECRET.cause2].sort());
    expect(notes.every((n) => n.authorId === ada.participantId)).toBe(true);
    expect(notes.find((n) => n.text === SECRET.cause1)!.storyId).toBe('story-ada');
    await waitFor(() => projectorBoard.board.notes().length === 2, 5_000, 'the projector to see them');
    // The check used before the reveal does find the text now.
    expect(boardText(benBoard.doc)).toContain(SECRET.cause1);

    // Gone from the private document: on the server and in Ada's browser. The story draft stays private.
    await waitFor(() => adaDrafts.drafts.causeDrafts().length === 0, 5_000, 'the drafts to leave Ada’s private doc');
    expect(await serverDrafts(server, session.id, ada.participantId)).toEqual([]);
    expect(adaDrafts.drafts.storyDraft()!.who).toBe(SECRET.story);
    expect(boardText(benBoard.doc)).not.toContain(SECRET.story);

    // A second reveal adds nothing.
    const again = await facilitator.command({ type: 'reveal' });
    expect(again).toMatchObject({ ok: true });
    if (again.ok && revealed.ok) expect(again.control.version).toBe(revealed.control.version);
    await sleep(300);
    expect(benBoard.board.notes()).toHaveLength(2);
    expect(new Board(server.rooms.get(session.id)!.doc).notes()).toHaveLength(2);
  });

  it('reveals the drafts of a participant who is offline, with nobody on the board', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server, ['Ada', 'Ben', 'Cleo']);
    const [ada, ben, cleo] = people as [JoinSessionResponse, JoinSessionResponse, JoinSessionResponse];
    const facilitator = await connectControl(server, session.facilitatorToken);

    // Cleo drafts, then closes her laptop: her private room is unloaded to the store.
    const cleoDrafts = await privateDrafts(server, session.id, cleo);
    cleoDrafts.drafts.addCauseDraft(cleoDrafts.origin, 'Cleo: no interpreter at conferences', null);
    const cleoName = privateDocName(session.id, cleo.participantId);
    await waitFor(() => (server.rooms.get(cleoName) ? new PrivateBoard(server.rooms.get(cleoName)!.doc).causeDrafts().length : 0) === 1, 5_000, 'Cleo’s draft on the server');
    cleoDrafts.destroy();
    await waitFor(() => server.rooms.get(cleoName) === undefined, 5_000, 'Cleo’s private room to unload');

    // Ada is online with her private doc open; nobody has the board open.
    const adaDrafts = await privateDrafts(server, session.id, ada);
    adaDrafts.drafts.addCauseDraft(adaDrafts.origin, 'Ada: newsletters only in English', null);
    await waitFor(async () => (await serverDrafts(server, session.id, ada.participantId)).length === 1, 5_000, 'Ada’s draft on the server');
    expect(server.rooms.get(session.id)).toBeUndefined();

    await facilitator.command({ type: 'goto', step: 'causes' });
    expect(await facilitator.command({ type: 'reveal' })).toMatchObject({ ok: true, control: { revealed: true } });

    const benBoard = await connectYjs(server, session.id, ben.participantToken);
    await waitFor(() => benBoard.board.notes().length === 2, 5_000, 'both revealed notes');
    expect(benBoard.board.notes().map((n) => [n.authorId, n.text]).sort()).toEqual(
      [
        [ada.participantId, 'Ada: newsletters only in English'],
        [cleo.participantId, 'Cleo: no interpreter at conferences'],
      ].sort(),
    );

    // When Cleo comes back her drafts are gone from her private doc (they are on the board now).
    const cleoBack = await privateDrafts(server, session.id, cleo);
    expect(cleoBack.drafts.causeDrafts()).toEqual([]);
    await waitFor(() => adaDrafts.drafts.causeDrafts().length === 0, 5_000, 'Ada’s drafts to clear');
  });
});

describe('the reveal on a busy board', () => {
  it('still answers the facilitator and publishes the drafts when the board already holds 570 notes (limit: 2000 items)', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server);
    const [ada] = people as [JoinSessionResponse];
    await server.rooms.withDoc(boardRef(session.id), (room) => {
      const board = new Board(room.doc);
      for (let i = 0; i < 570; i++) board.addNote({ actor: 'earlier-meeting' }, { text: `earlier note ${i}`, x: 0, y: 0 });
    });
    const adaDrafts = await privateDrafts(server, session.id, ada);
    adaDrafts.drafts.addCauseDraft(adaDrafts.origin, 'Ada: one more cause', null);
    await waitFor(async () => (await serverDrafts(server, session.id, ada.participantId)).length === 1, 5_000, 'the draft on the server');
    const facilitator = await connectControl(server, session.facilitatorToken);

    // A crash in the reveal must not go unnoticed (in production nothing catches it and the process exits).
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      await facilitator.command({ type: 'goto', step: 'causes' });
      const result = await facilitator.command({ type: 'reveal' }).catch((err: Error) => ({ ok: false as const, noAck: err.message }));
      await sleep(200);
      expect(uncaught.map(String)).toEqual([]);
      expect(result).toMatchObject({ ok: true, control: { revealed: true } });
      // Nobody has the board open, so read it the way the server does.
      const texts = await server.rooms.withDoc(boardRef(session.id), (room) =>
        new Board(room.doc).notes().filter((n) => n.authorId === ada.participantId).map((n) => n.text),
      );
      expect(texts).toEqual(['Ada: one more cause']);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});

describe('pairs for the assumption check', () => {
  it('forms one trio from three people online, splits it for a late fourth, and broadcasts both', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server, ['Ada', 'Ben', 'Cleo']);
    const facilitator = await connectControl(server, session.facilitatorToken);
    const clients: ControlClient[] = [];
    for (const person of people) clients.push(await connectControl(server, person.participantToken));
    await waitFor(() => Object.values(onlineByName(facilitator)).filter(Boolean).length === 3, 5_000, 'three online');
    await facilitator.command({ type: 'goto', step: 'assumptions' });

    const formed = await facilitator.command({ type: 'pairs', action: 'form' });
    if (!formed.ok) throw new Error(formed.error.message);
    const ids = people.map((p) => p.participantId).sort();
    expect(formed.control.pairs).toHaveLength(1);
    expect([...formed.control.pairs[0]!].sort()).toEqual(ids);
    for (const client of clients) {
      await waitFor(() => client.controls.at(-1)?.control.pairs.length === 1, 5_000, 'the pairs broadcast');
      expect(client.controls.at(-1)!.control).toEqual(formed.control);
    }

    // Dee joins late: the server places her and tells everyone.
    const dee = await join(server, session.joinCode, 'Dee');
    const deeClient = await connectControl(server, dee.participantToken);
    const twoPairs = (c: ControlClient) => {
      const pairs = c.controls.at(-1)?.control.pairs ?? [];
      return pairs.length === 2 && pairs.every((g) => g.length === 2);
    };
    for (const client of [facilitator, ...clients, deeClient]) await waitFor(() => twoPairs(client), 5_000, 'two pairs broadcast');
    const pairs = facilitator.controls.at(-1)!.control.pairs;
    expect(pairs.flat().sort()).toEqual([...ids, dee.participantId].sort());
    expect(deeClient.controls.at(-1)!.control).toEqual(facilitator.controls.at(-1)!.control);
    expect((await server.store.sessions.getSession(session.id))!.control.pairs).toEqual(pairs);
    await waitFor(() => onlineByName(clients[0]!).Dee === true, 5_000, 'the roster with Dee online');
    expect(onlineByName(facilitator)).toEqual({ Ada: true, Ben: true, Cleo: true, Dee: true });

    // A fresh connection is welcomed with the same pairs.
    const late = await connectControl(server, session.projectorToken);
    expect(late.welcome.control.pairs).toEqual(pairs);
  });

  it('pairs only the people online, not everyone who ever joined', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server, ['Ada', 'Ben', 'Cleo', 'Dee']);
    const facilitator = await connectControl(server, session.facilitatorToken);
    for (const person of people.slice(0, 2)) await connectControl(server, person.participantToken);
    await waitFor(() => Object.values(onlineByName(facilitator)).filter(Boolean).length === 2, 5_000, 'two online');
    await facilitator.command({ type: 'goto', step: 'assumptions' });
    const formed = await facilitator.command({ type: 'pairs', action: 'form' });
    if (!formed.ok) throw new Error(formed.error.message);
    expect(formed.control.pairs.flat().sort()).toEqual(people.slice(0, 2).map((p) => p.participantId).sort());
  });
});
