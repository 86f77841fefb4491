/**
 * How large a full board's JSON export is, which sizes the body limit of
 * `POST /api/sessions` (a new session may carry the export as `from`):
 * `npx tsx scripts/measure-export-size.ts`. A board holds at most
 * LIMITS.itemsPerBoard records; notes of LIMITS.noteText characters are the
 * largest kind a full board is made of in practice. Text is ASCII, accented
 * Latin and CJK (3 UTF-8 bytes a character), and the worst case for JSON,
 * quotes and backslashes (2 bytes each once escaped).
 */
import * as Y from 'yjs';
import { Board } from '../shared/board/Board.ts';
import { LIMITS } from '../shared/board/schema.ts';
import { buildInquiryData } from '../shared/export/inquiryData.ts';
import { renderJson } from '../shared/export/renderJson.ts';
import { initialControl } from '../shared/protocol/control.ts';

const TEXTS: Record<string, string> = {
  ascii: 'x',
  accented: 'é',
  cjk: '学',
  escaped: '"',
};

for (const [label, ch] of Object.entries(TEXTS)) {
  const doc = new Y.Doc();
  const board = new Board(doc);
  doc.transact(() => {
    for (let i = 0; i < LIMITS.itemsPerBoard; i++) {
      board.addNote({ actor: 'p1' }, { text: ch.repeat(LIMITS.noteText), x: i, y: i });
    }
  });
  const data = buildInquiryData(
    {
      board,
      control: initialControl(90),
      session: { title: 'A full board', createdAt: Date.now(), lengthMinutes: 90 },
      participants: [{ id: 'p1', name: 'Ana' }],
    },
    { names: true, participantId: null, now: Date.now() },
  );
  const file = Buffer.byteLength(renderJson(data));
  // What the browser sends: the file parsed and sent again as `from`, without indentation.
  const body = Buffer.byteLength(JSON.stringify({ title: 'A full board', from: data }));
  console.log(`${label.padEnd(10)} export file ${(file / 1e6).toFixed(2)} MB, request body ${(body / 1e6).toFixed(2)} MB`);
}
