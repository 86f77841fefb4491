import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { privateDocName } from '../../shared/board/schema.ts';
import { connectControl, connectYjs, createSession, join, waitFor, type TestServer } from './helpers.ts';
import { bearerHeader } from '../../shared/bearer.ts';

/** What the export integration tests check for. */
export const MEETING = {
  title: 'Attendance inquiry, spring',
  final: 'How might we make conferences work for families who speak Spanish?',
  draft: 'How might we look at our attendance data together?',
  story: 'They missed both conferences',
  anaCommitment: 'Call three families with an interpreter',
  benCommitment: 'Visit the bus stop at 7:30',
  privateDraft: 'PRIVATE draft nobody else may see',
  privateCause: 'PRIVATE cause not revealed yet',
} as const;

export interface Meeting {
  sessionId: string;
  facilitatorToken: string;
  projectorToken: string;
  ana: { participantId: string; participantToken: string };
  ben: { participantId: string; participantToken: string };
}

/**
 * A short meeting through real clients: Ana shares a story and writes a cause
 * and two questions, both vote, the facilitator marks the heaviest category and
 * the final question, both commit. Ana also keeps a private story draft and an
 * unrevealed cause, which no export may show. Every client is closed after.
 */
export async function holdMeeting(server: TestServer): Promise<Meeting> {
  const session = await createSession(server, { title: MEETING.title });
  const ana = await join(server, session.joinCode, 'Ana');
  const ben = await join(server, session.joinCode, 'Ben');
  const anaBoard = await connectYjs(server, session.id, ana.participantToken);
  const benBoard = await connectYjs(server, session.id, ben.participantToken);
  const anaPrivate = await connectYjs(server, privateDocName(session.id, ana.participantId), ana.participantToken);
  const facilitator = await connectControl(server, session.facilitatorToken);
  const asAna = { actor: ana.participantId };
  const asBen = { actor: ben.participantId };
  const run = async (command: unknown) => {
    const result = await facilitator.command(command);
    if (!result.ok) throw new Error(`command refused: ${JSON.stringify(result)}`);
  };
  const onServer = <T>(read: (board: Board) => T) => server.rooms.withDoc(boardRef(session.id), (room) => read(new Board(room.doc)));
  // The server takes each kind of record only in its step, so the meeting moves on as it would.
  await run({ type: 'goto', step: 'story' });
  const story = anaBoard.board.shareStory(asAna, { who: 'A family', what: MEETING.story, did: 'Sent a letter', ended: 'No reply' });
  await waitFor(async () => (await onServer((b) => b.get('stories', story))) !== null, 5_000, 'the story on the server');
  await run({ type: 'goto', step: 'causes' });
  await run({ type: 'reveal' });
  await run({ type: 'goto', step: 'sort' });
  const note = anaBoard.board.addNote(asAna, { text: 'No translation process', x: 0, y: 0, storyId: story });
  anaBoard.board.sortNote(asAna, note, 'structures');
  await waitFor(async () => (await onServer((b) => b.note(note)?.category)) === 'structures', 5_000, 'the sorted note on the server');
  await run({ type: 'heaviest', category: 'structures' });
  await run({ type: 'goto', step: 'hmw' });
  const final = anaBoard.board.addQuestion(asAna, MEETING.final, 'structures', [note]);
  anaBoard.board.addQuestion(asAna, MEETING.draft, 'knowledge');
  new PrivateBoard(anaPrivate.doc).saveStoryDraft(asAna, { who: '', what: MEETING.privateDraft, did: '', ended: '' });
  new PrivateBoard(anaPrivate.doc).addCauseDraft(asAna, MEETING.privateCause, null);
  await waitFor(() => benBoard.board.get('questions', final) !== null, 5_000, 'the question to reach Ben');
  await run({ type: 'voting', status: 'open' });
  anaBoard.board.castVote(asAna, final, 3);
  benBoard.board.castVote(asBen, final, 3);
  await waitFor(async () => (await onServer((b) => b.list('votes').length)) === 2, 5_000, 'both votes on the server');
  await run({ type: 'final', questionId: final, final: true });
  await run({ type: 'goto', step: 'commit' });
  anaBoard.board.saveCommitment(asAna, { action: MEETING.anaCommitment, notice: 'Count who comes', partner: 'Ben', date: '2026-04-09' });
  benBoard.board.saveCommitment(asBen, { action: MEETING.benCommitment, notice: '', partner: 'Ana', date: '' });

  await waitFor(async () => (await onServer((b) => b.list('commitments').length)) === 2, 5_000, 'both commitments on the server');
  for (const client of [anaBoard, benBoard, anaPrivate]) client.destroy();
  facilitator.close();
  return { sessionId: session.id, facilitatorToken: session.facilitatorToken, projectorToken: session.projectorToken, ana, ben };
}

export interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
}

/** GETs an export, with the token as a Bearer header when given. */
export async function download(server: TestServer, sessionId: string, file: string, token?: string): Promise<Download> {
  const res = await fetch(`${server.baseUrl}/api/sessions/${sessionId}/${file}`, {
    headers: token === undefined ? {} : bearerHeader(token),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8') };
}
