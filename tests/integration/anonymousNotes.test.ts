import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { JoinSessionResponse } from '../../shared/api.ts';
import { Board } from '../../shared/board/Board.ts';
import { boardRef, draftsRef } from '../../shared/board/DocRef.ts';
import { ANONYMOUS_ACTOR } from '../../shared/board/origins.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { privateDocName } from '../../shared/board/schema.ts';
import type { AnonymousNoteResult } from '../../shared/events.ts';
import {
  connectControl,
  connectYjs,
  createSession,
  join,
  recordYjsFrames,
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
 * The causes step's anonymous mode, checked where it matters: on the wire.
 * Three participants, a facilitator and a projector are connected with real
 * y-websocket providers (and raw sockets that record every frame the server
 * sends), the notes are revealed anonymously, one arrives late, and an author
 * edits their own: no frame any other browser receives, and no document any
 * browser ends with, ties a note to the person who wrote it.
 */

const NAMES = ['Adaeze Quarshie', 'Bartholomew Ruiz', 'Cleopatra Sandoval'] as const;
const TEXT = 'ANON-';

async function meeting(server: TestServer) {
  const session = await createSession(server, { title: 'Attendance', lengthMinutes: 90 });
  const people: JoinSessionResponse[] = [];
  for (const name of NAMES) people.push(await join(server, session.joinCode, name));
  return { session, people: people as [JoinSessionResponse, JoinSessionResponse, JoinSessionResponse] };
}

function ask(client: ControlClient, request: unknown): Promise<AnonymousNoteResult> {
  return new Promise((resolve, reject) => {
    client.socket.timeout(5_000).emit('anonymousNote', request, (err: Error | null, result: AnonymousNoteResult) => (err ? reject(err) : resolve(result)));
  });
}

const text = (frames: Uint8Array[]) => frames.map((f) => new TextDecoder('utf-8', { fatal: false }).decode(f)).join('\n');

/** The Yjs client ids that wrote a note: its record's item and every field value it holds or held. */
function writersOf(doc: Y.Doc, noteId: string): Set<number> {
  const record = doc.getMap('notes').get(noteId) as Y.Map<unknown>;
  const writers = new Set<number>([record._item!.id.client]);
  for (const item of record._map.values()) {
    for (let at: Y.Item | null = item; at; at = at.left) writers.add(at.id.client);
  }
  return writers;
}

describe('anonymous root causes, at the network level', () => {
  it('no browser can link a revealed, late or edited note to its author; the author alone can change it', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server);
    const [ada, ben, cleo] = people;
    const facilitator = await connectControl(server, session.facilitatorToken);

    // Everyone is connected before anything is written, as browsers in the room would be.
    const controls = await Promise.all(people.map((p) => connectControl(server, p.participantToken)));
    const projectorControl = await connectControl(server, session.projectorToken);
    const boards: YjsClient[] = await Promise.all(people.map((p) => connectYjs(server, session.id, p.participantToken)));
    const projectorBoard = await connectYjs(server, session.id, session.projectorToken);
    const facilitatorBoard = await connectYjs(server, session.id, session.facilitatorToken);
    const drafts = await Promise.all(people.map((p) => connectYjs(server, privateDocName(session.id, p.participantId), p.participantToken)));
    const recorded = {
      ada: await recordYjsFrames(server, session.id, ada.participantToken),
      ben: await recordYjsFrames(server, session.id, ben.participantToken),
      cleo: await recordYjsFrames(server, session.id, cleo.participantToken),
      projector: await recordYjsFrames(server, session.id, session.projectorToken),
      facilitator: await recordYjsFrames(server, session.id, session.facilitatorToken),
    };

    expect(await facilitator.command({ type: 'goto', step: 'causes' })).toMatchObject({ ok: true });
    expect(await facilitator.command({ type: 'anonymous', on: true })).toMatchObject({ ok: true, control: { anonymous: true } });

    // Two drafts each, linked to nothing; Ada's draft even names her story's id, which must not survive.
    people.forEach((person, i) => {
      const mine = new PrivateBoard(drafts[i]!.doc);
      const origin = { actor: person.participantId };
      mine.addCauseDraft(origin, `${TEXT}${i}-first: timetables ignore the bus`, i === 0 ? 'story-of-ada' : null);
      mine.addCauseDraft(origin, `${TEXT}${i}-second: we never asked the families`, null);
    });
    for (const person of people) {
      await waitFor(
        () => server.rooms.withDoc(draftsRef(session.id, person.participantId), (room) => new PrivateBoard(room.doc).causeDrafts().length === 2),
        5_000,
        'the drafts on the server',
      );
    }
    expect(await facilitator.command({ type: 'reveal' })).toMatchObject({ ok: true, control: { revealed: true } });
    const everyone = [...boards, projectorBoard, facilitatorBoard];
    await waitFor(() => everyone.every((c) => c.board.notes().length === 6), 5_000, 'six notes on every board');
    // Revealed anonymously, so the anonymous flag cannot be taken back.
    expect(await facilitator.command({ type: 'anonymous', on: false })).toMatchObject({ ok: false });

    // Each author's private document, and only theirs, says which notes are theirs.
    const claims = drafts.map((d) => new PrivateBoard(d.doc).anonymousNoteIds());
    await waitFor(() => drafts.every((d) => new PrivateBoard(d.doc).anonymousNoteIds().length === 2), 5_000, 'the claims in the drafts');
    const mineOf = drafts.map((d) => new PrivateBoard(d.doc).anonymousNoteIds());
    expect(claims.flat().length).toBeLessThanOrEqual(6);
    expect(new Set(mineOf.flat()).size).toBe(6);
    for (const [i, ids] of mineOf.entries()) {
      for (const id of ids) expect(projectorBoard.board.note(id)!.text.startsWith(`${TEXT}${i}-`)).toBe(true);
    }
    const revealedAt = projectorBoard.board.notes().map((n) => n.createdAt).sort((x, y) => x - y);

    // A late draft: Cleo's laptop was offline at the reveal and comes back with one more.
    drafts[2]!.provider.disconnect();
    new PrivateBoard(drafts[2]!.doc).addCauseDraft({ actor: cleo.participantId }, `${TEXT}2-late: no one owns attendance`, null);
    drafts[2]!.provider.connect();
    await waitFor(() => everyone.every((c) => c.board.notes().length === 7), 5_000, 'the late draft on every board');
    await waitFor(() => new PrivateBoard(drafts[2]!.doc).anonymousNoteIds().length === 3 && new PrivateBoard(drafts[2]!.doc).causeDrafts().length === 0, 5_000, 'the late claim');

    // Ada edits her own note through the server; Ben cannot, by request or by writing it himself.
    const adaNote = mineOf[0]![0]!;
    expect(await ask(controls[0]!, { action: 'edit', id: adaNote, text: `${TEXT}0-first, rewritten` })).toEqual({ ok: true });
    await waitFor(() => everyone.every((c) => c.board.note(adaNote)?.text === `${TEXT}0-first, rewritten`), 5_000, 'the edit everywhere');
    expect(await ask(controls[1]!, { action: 'edit', id: adaNote, text: 'hijacked' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(controls[1]!, { action: 'delete', id: adaNote })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(projectorControl, { action: 'edit', id: adaNote, text: 'hijacked' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(facilitator, { action: 'edit', id: adaNote, text: 'hijacked' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(controls[0]!, { action: 'edit', id: adaNote, text: 'x'.repeat(501) })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    // Ben claims Ada's note in his own private document: the server refuses the write, so the claim never counts.
    const benClaims = drafts[1]!.doc.getMap('anonymousNotes');
    drafts[1]!.doc.transact(() => {
      const forged = new Y.Map<unknown>();
      benClaims.set(adaNote, forged);
      forged.set('authorId', 'server');
      forged.set('createdAt', 1);
    });
    await sleep(300);
    expect(await server.rooms.withDoc(draftsRef(session.id, ben.participantId), (room) => new PrivateBoard(room.doc).ownsAnonymousNote(adaNote))).toBe(false);
    expect(await ask(controls[1]!, { action: 'edit', id: adaNote, text: 'hijacked' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Ben writes the text straight into the shared board: refused too.
    (boards[1]!.doc.getMap('notes').get(adaNote) as Y.Map<unknown>).set('text', 'hijacked');
    await sleep(300);
    const onServer = () => server.rooms.withDoc(boardRef(session.id), (room) => new Board(room.doc).note(adaNote)?.text);
    expect(await onServer()).toBe(`${TEXT}0-first, rewritten`);
    // The server closed Ben's connection for that; his browser loads the board afresh.
    const benBefore = boards[1]!;
    boards[1] = await connectYjs(server, session.id, ben.participantToken);
    everyone[1] = boards[1];
    // Ada deletes her second note.
    const adaSecond = mineOf[0]![1]!;
    expect(await ask(controls[0]!, { action: 'delete', id: adaSecond })).toEqual({ ok: true });
    await waitFor(() => projectorBoard.board.notes().length === 6, 5_000, 'the delete on the wall');
    await waitFor(() => new PrivateBoard(drafts[0]!.doc).anonymousNoteIds().length === 1, 5_000, 'the claim released');
    // Ben adds a note after the reveal (the "+ Add note" button): the server writes it too, and only he may fill it in.
    expect(await ask(controls[1]!, { action: 'add', id: 'benAddedNote0001', x: 40, y: 400, color: 'pink' })).toEqual({ ok: true });
    expect(await ask(controls[1]!, { action: 'add', id: 'benAddedNote0001', x: 40, y: 400 })).toMatchObject({ ok: false });
    expect(await ask(controls[0]!, { action: 'edit', id: 'benAddedNote0001', text: 'hijacked' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(controls[1]!, { action: 'edit', id: 'benAddedNote0001', text: `${TEXT}1-added after the reveal` })).toEqual({ ok: true });
    await waitFor(() => everyone.every((c) => c.board.note('benAddedNote0001')?.text === `${TEXT}1-added after the reveal`), 5_000, 'the added note everywhere');
    await sleep(300);

    // 1. No frame the others' browsers received names Ada, or anyone: the board holds only anonymous notes.
    const identities = people.flatMap((p, i) => [p.participantId, NAMES[i]!]);
    for (const [who, recorder] of Object.entries(recorded)) {
      const received = text(recorder.frames);
      expect(received, `${who} received the notes`).toContain(`${TEXT}0-first, rewritten`);
      expect(received, `${who} received the late note`).toContain(`${TEXT}2-late`);
      for (const identity of identities) expect(received, `${who}'s frames name ${identity}`).not.toContain(identity);
      expect(received).not.toContain('story-of-ada');
    }
    // The control plane carries names (the roster) but never a note.
    for (const client of [...controls, projectorControl, facilitator]) {
      expect(JSON.stringify([client.welcome, client.events])).not.toContain(TEXT);
    }

    // 2. Every board document a browser ends with: the anonymous marker, no story.
    for (const client of everyone) {
      const notes = client.board.notes();
      expect(notes).toHaveLength(7);
      for (const note of notes) {
        expect(note.authorId).toBe(ANONYMOUS_ACTOR);
        expect(note.storyId).toBeNull();
      }
    }

    // Stamped at the reveal, in the shuffled order (one author's times only ever increase, so one apart), not the drafts' times.
    expect(revealedAt.at(-1)! - revealedAt[0]!).toBe(5);

    // 3. No note's structs were written by a participant's Yjs client (only the server's).
    const participantClients = new Set([...boards, benBefore, ...drafts].map((c) => c.doc.clientID));
    for (const note of projectorBoard.board.notes()) {
      for (const writer of writersOf(projectorBoard.doc, note.id)) expect(participantClients.has(writer), `${note.text} written by a participant's client`).toBe(false);
    }
  });

  it('a draft the server got just as the reveal was decided goes up when its writer’s device asks', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server);
    const ada = people[0];
    const facilitator = await connectControl(server, session.facilitatorToken);
    const adaControl = await connectControl(server, ada.participantToken);
    const projector = await connectYjs(server, session.id, session.projectorToken);
    await facilitator.command({ type: 'goto', step: 'causes' });
    await facilitator.command({ type: 'anonymous', on: true });
    // Before the reveal there is nothing to put up early.
    expect(await ask(adaControl, { action: 'revealLate' })).toMatchObject({ ok: false, error: { code: 'rejected' } });
    await facilitator.command({ type: 'reveal' });
    // Stored without passing a connection, so no change of the drafts document sets the server off.
    await server.rooms.withDoc(draftsRef(session.id, ada.participantId), (room) =>
      new PrivateBoard(room.doc).addCauseDraft({ actor: ada.participantId }, `${TEXT}just in time`, null),
    );
    await sleep(200);
    expect(projector.board.notes()).toHaveLength(0);
    expect(await ask(adaControl, { action: 'revealLate' })).toEqual({ ok: true });
    await waitFor(() => projector.board.notes().length === 1, 5_000, 'the note on the wall');
    expect(projector.board.notes()[0]).toMatchObject({ authorId: ANONYMOUS_ACTOR, text: `${TEXT}just in time` });
    // Another participant's request reveals only their own drafts (none), not Ada's.
    const benControl = await connectControl(server, people[1].participantToken);
    expect(await ask(benControl, { action: 'revealLate' })).toEqual({ ok: true });
    expect(projector.board.notes()).toHaveLength(1);
  });

  it('without anonymous mode the notes keep their authors (the check above can see an author)', async () => {
    const server = await startTestServer();
    const { session, people } = await meeting(server);
    const facilitator = await connectControl(server, session.facilitatorToken);
    const projector = await recordYjsFrames(server, session.id, session.projectorToken);
    const draft = await connectYjs(server, privateDocName(session.id, people[0].participantId), people[0].participantToken);
    await facilitator.command({ type: 'goto', step: 'causes' });
    new PrivateBoard(draft.doc).addCauseDraft({ actor: people[0].participantId }, `${TEXT}attributed`, null);
    await waitFor(() => server.rooms.withDoc(draftsRef(session.id, people[0].participantId), (room) => new PrivateBoard(room.doc).causeDrafts().length === 1));
    expect(await facilitator.command({ type: 'reveal' })).toMatchObject({ ok: true });
    await waitFor(() => text(projector.frames).includes(`${TEXT}attributed`), 5_000, 'the note on the wall');
    expect(text(projector.frames)).toContain(people[0].participantId);
    const controlA = await connectControl(server, people[0].participantToken);
    // And no anonymous requests are taken when the mode is off.
    expect(await ask(controlA, { action: 'add', id: 'abcdefgh12', x: 0, y: 0 })).toMatchObject({ ok: false, error: { code: 'rejected' } });
  });
});
