import { describe, expect, it } from 'vitest';
import type { ApiError, CreateSessionResponse } from '../../shared/api.ts';
import { isCarriedActor } from '../../shared/export/carryForward.ts';
import { parseInquiry, type InquiryData } from '../../shared/export/jsonSchema.ts';
import { connectControl, connectYjs, post, rowCount, startTestServer, useCleanup, type TestServer } from './helpers.ts';
import { download, holdMeeting, MEETING } from './exportSetup.ts';

useCleanup();

async function exportJson(server: TestServer, sessionId: string, token: string): Promise<InquiryData> {
  const parsed = parseInquiry(JSON.parse((await download(server, sessionId, 'export.json', token)).text));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.data;
}

async function createFrom(server: TestServer, from: unknown) {
  return post<CreateSessionResponse & ApiError>(server, '/api/sessions', { title: 'Attendance inquiry, May', from });
}

describe('POST /api/sessions with `from` (carry forward)', () => {
  it('starts the new board with last month’s anchor question, heaviest category and commitments', async () => {
    const server = await startTestServer();
    const march = await holdMeeting(server);
    const from = await exportJson(server, march.sessionId, march.facilitatorToken);

    const res = await createFrom(server, from);
    expect(res.status).toBe(201);
    const april = res.body;

    // The board, as any stock y-websocket client sees it.
    const client = await connectYjs(server, april.id, april.facilitatorToken);
    const questions = client.board.list('questions');
    expect(questions.map((q) => [q.text, q.category, q.authorId])).toEqual([[MEETING.final, 'structures', 'facilitator']]);
    const commitments = client.board.list('commitments');
    expect(commitments.map((c) => c.action).sort()).toEqual([MEETING.anaCommitment, MEETING.benCommitment].sort());
    expect(commitments.every((c) => isCarriedActor(c.authorId))).toBe(true);
    expect(commitments.find((c) => c.action === MEETING.anaCommitment)).toMatchObject({ partner: 'Ben', date: '2026-04-09' });
    // Nothing else came over: no votes, notes, stories or drafts.
    for (const collection of ['votes', 'notes', 'stories', 'needs', 'assumptions'] as const) expect(client.board.list(collection)).toEqual([]);

    // The control state, as the facilitator's socket receives it.
    const control = (await connectControl(server, april.facilitatorToken)).welcome.control;
    expect(control.finalQuestionIds).toEqual([questions[0]!.id]);
    expect(control.heaviest).toBe('structures');
    expect(control.step).toBe('open');

    // Its own export marks the commitments as carried over, and keeps the anchor question final.
    const next = await exportJson(server, april.id, april.facilitatorToken);
    expect(next.commitments.every((c) => c.carriedOver && c.author === null)).toBe(true);
    expect(next.questions.find((q) => q.id === next.finalQuestionIds[0])?.text).toBe(MEETING.final);
    expect((await download(server, april.id, 'export.md', april.facilitatorToken)).text).toContain('### Carried over from the last meeting');

    // Carried again, the anchor question continues; last month's commitments do not pile up.
    const may = (await createFrom(server, next)).body;
    const mayClient = await connectYjs(server, may.id, may.facilitatorToken);
    expect(mayClient.board.list('questions').map((q) => q.text)).toEqual([MEETING.final]);
    expect(mayClient.board.list('commitments')).toEqual([]);
  });

  it('accepts an export larger than the usual body limit', async () => {
    const server = await startTestServer();
    const march = await holdMeeting(server);
    const from = await exportJson(server, march.sessionId, march.facilitatorToken);
    // A full board: 1 500 notes of 400 characters, about 700 kB of JSON.
    from.notes = Array.from({ length: 1500 }, (_, i) => ({
      id: `n${i}`,
      text: 'x'.repeat(400),
      category: null,
      storyId: null,
      copyOf: null,
      clusterId: null,
      author: null,
    }));
    expect(JSON.stringify(from).length).toBeGreaterThan(600_000);
    expect((await createFrom(server, from)).status).toBe(201);
  });

  it.each([
    ['a string', 'last month', /^from must be a Howmight inquiry export/],
    ['an array', [], /^from must be a Howmight inquiry export/],
    ['another kind of JSON', { hello: 'world' }, /^from is not a Howmight inquiry export: format must be "howmight\.inquiry"/],
    ['an unknown version', { format: 'howmight.inquiry', version: 99 }, /^from has export version 99; this server reads version 1/],
    ['a version as text', { format: 'howmight.inquiry', version: '1' }, /^from has export version "1"/],
    ['a version 1 missing its session', { format: 'howmight.inquiry', version: 1 }, /^from\.exportedAt: /],
  ])('answers %s with 400 saying what is wrong', async (_name, from, message) => {
    const server = await startTestServer();
    const res = await createFrom(server, from);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid', message: expect.stringMatching(message) });
    expect(rowCount(server, 'sessions')).toBe(0);
  });

  it('answers a damaged export with 400 naming the field', async () => {
    const server = await startTestServer();
    const march = await holdMeeting(server);
    const from = await exportJson(server, march.sessionId, march.facilitatorToken);
    const damaged = { ...from, questions: from.questions.map((q) => ({ ...q, category: 'vibes' })) };
    const res = await createFrom(server, damaged);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid', message: expect.stringMatching(/^from\.questions\.0\.category: /) });
  });
});
