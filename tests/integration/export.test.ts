import { beforeAll, describe, expect, it } from 'vitest';
import { parseInquiry } from '../../shared/export/jsonSchema.ts';
import { pdfText } from '../pdfText.ts';
import { cleanup, createSession, startTestServer, type TestServer } from './helpers.ts';
import { download, holdMeeting, MEETING, type Meeting } from './exportSetup.ts';

// One meeting serves every test here; the server closes after the file.
let server: TestServer;
let meeting: Meeting;

beforeAll(async () => {
  server = await startTestServer();
  meeting = await holdMeeting(server);
  return cleanup;
});

const FORMATS = [
  ['md', 'text/markdown; charset=utf-8'],
  ['csv', 'text/csv; charset=utf-8'],
  ['json', 'application/json; charset=utf-8'],
  ['pdf', 'application/pdf'],
] as const;

/** The text of a download, whatever its format. */
async function textOf(file: string, bytes: Buffer): Promise<string> {
  if (!file.endsWith('.pdf')) return bytes.toString('utf8');
  return (await pdfText(bytes)).pages.join('\n').replace(/\s+/g, ' ');
}

describe('GET /api/sessions/<id>/export.<format> for the facilitator', () => {
  it.each(FORMATS)('export.%s: the right type, an attachment name, no caching, the final question', async (format, type) => {
    const res = await download(server, meeting.sessionId, `export.${format}`, meeting.facilitatorToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="attendance-inquiry-spring-\\d{4}-\\d{2}-\\d{2}\\.${format}"$`),
    );
    const text = await textOf(`x.${format}`, res.bytes);
    expect(text).toContain(MEETING.final);
    expect(text).toContain(MEETING.benCommitment);
  });

  it('holds the whole brief, with names, and never a private draft', async () => {
    const md = (await download(server, meeting.sessionId, 'export.md', meeting.facilitatorToken)).text;
    for (const expected of [MEETING.draft, MEETING.story, MEETING.anaCommitment, 'Structures (1 note) — heaviest', '**Ana:**']) {
      expect(md).toContain(expected);
    }
    for (const format of ['md', 'csv', 'json', 'pdf']) {
      const res = await download(server, meeting.sessionId, `export.${format}`, meeting.facilitatorToken);
      const text = await textOf(`x.${format}`, res.bytes);
      expect(text).not.toContain(MEETING.privateDraft);
      expect(text).not.toContain(MEETING.privateCause);
    }
  });

  it('JSON validates against the versioned schema and counts the votes', async () => {
    const res = await download(server, meeting.sessionId, 'export.json', meeting.facilitatorToken);
    const parsed = parseInquiry(JSON.parse(res.text));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.data.session.title).toBe(MEETING.title);
    expect(parsed.data.heaviest).toBe('structures');
    const final = parsed.data.questions.find((q) => q.id === parsed.data.finalQuestionIds[0]);
    expect(final).toMatchObject({ text: MEETING.final, votes: 2, author: 'Ana' });
  });

  it('leaves names out with ?names=0', async () => {
    for (const format of ['md', 'csv', 'json', 'pdf']) {
      const res = await download(server, meeting.sessionId, `export.${format}?names=0`, meeting.facilitatorToken);
      expect(res.status).toBe(200);
      const text = await textOf(`x.${format}`, res.bytes);
      expect(text).toContain(MEETING.final);
      expect(text).not.toMatch(/\bAna\b|\bBen\b/);
    }
  });

  it('answers an unknown format with 404', async () => {
    expect((await download(server, meeting.sessionId, 'export.txt', meeting.facilitatorToken)).status).toBe(404);
  });
});

describe('who may export', () => {
  it.each(FORMATS)('export.%s without a token, or with a wrong one, is 401', async (format) => {
    for (const token of [undefined, '', 'nonsense', 'AAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', `${meeting.facilitatorToken}x`]) {
      const res = await download(server, meeting.sessionId, `export.${format}`, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.text).not.toContain(MEETING.final);
    }
  });

  it('does not take the token from the query string', async () => {
    const res = await download(server, meeting.sessionId, `export.md?token=${meeting.facilitatorToken}`);
    expect(res.status).toBe(401);
  });

  it.each(FORMATS)('export.%s with another session’s facilitator token is 404 and shows nothing', async (format) => {
    const other = await createSession(server, { title: 'Another group' });
    const res = await download(server, meeting.sessionId, `export.${format}`, other.facilitatorToken);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(MEETING.final);
  });

  it.each(FORMATS)('export.%s for a session that does not exist is 404', async (format) => {
    const res = await download(server, 'no-such-session', `export.${format}`, meeting.facilitatorToken);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('refuses the projector link', async () => {
    const res = await download(server, meeting.sessionId, 'export.md', meeting.projectorToken);
    expect(res.status).toBe(403);
  });

  it.each(FORMATS)('export.%s with a participant token is their copy: final questions and their own commitment', async (format) => {
    const res = await download(server, meeting.sessionId, `export.${format}`, meeting.ana.participantToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/-my-brief\.\w+"$/);
    const text = await textOf(`x.${format}`, res.bytes);
    expect(text).toContain(MEETING.final);
    expect(text).toContain(MEETING.anaCommitment);
    for (const hidden of [MEETING.benCommitment, MEETING.draft, MEETING.story, MEETING.privateDraft]) expect(text).not.toContain(hidden);
  });
});
