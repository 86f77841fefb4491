import { vi } from 'vitest';
import * as Y from 'yjs';
import { Board, FACILITATOR_ACTOR } from '../../shared/board/Board.ts';
import { carriedActor } from '../../shared/export/carryForward.ts';
import { buildInquiryData, type InquiryOptions, type InquirySource } from '../../shared/export/inquiryData.ts';
import type { InquiryData } from '../../shared/export/jsonSchema.ts';
import { initialControl, type ControlState } from '../../shared/protocol/control.ts';
import { resetIds } from './fixtureIds.ts';

/**
 * A fixed, finished meeting for the export tests: commas, quotes, line breaks,
 * emoji, Greek, Cyrillic and Japanese text, and cells that a spreadsheet would
 * run as formulas. Test files must mock shared/ids.ts with ./fixtureIds.ts so
 * the ids are the same every run; the clock is faked while the board is built.
 */
export const FIXTURE_START = Date.UTC(2026, 2, 12, 16, 0, 0);
export const FIXTURE_EXPORTED_AT = Date.UTC(2026, 2, 12, 17, 31, 0);

export const PEOPLE = {
  ana: { id: 'p-ana', name: 'Ana' },
  ben: { id: 'p-ben', name: 'Ben O\'Neil, "BJ"' },
  chloe: { id: 'p-chloe', name: 'Chloé' },
  dmitri: { id: 'p-dmitri', name: 'Дмитрий' },
  misaki: { id: 'p-misaki', name: '美咲' },
} as const;

export const FINAL_QUESTIONS = [
  'How might we make conferences work for families who speak Spanish?',
  'How might we look at our discipline data, together, every month?',
] as const;

export function fixtureSource(): InquirySource {
  resetIds();
  vi.useFakeTimers({ toFake: ['Date'], now: FIXTURE_START });
  try {
    return buildBoard();
  } finally {
    vi.useRealTimers();
  }
}

export function fixtureData(options: Partial<InquiryOptions> = {}): InquiryData {
  return buildInquiryData(fixtureSource(), { names: true, now: FIXTURE_EXPORTED_AT, ...options });
}

function buildBoard(): InquirySource {
  const board = new Board(new Y.Doc());
  const as = (person: { id: string }) => {
    // Every command a minute apart, so records sort the same way every run.
    vi.setSystemTime(Date.now() + 60_000);
    return { actor: person.id };
  };
  const facilitator = { id: FACILITATOR_ACTOR };
  const { ana, ben, chloe, dmitri, misaki } = PEOPLE;

  board.addNorm(as(facilitator), 'Presume positive intentions');
  board.addNorm(as(facilitator), '=1+1 is not a norm, but a spreadsheet would think so');
  board.addHope(as(ben), 'Leave with something I can use 🎉');
  board.addHope(as(misaki), '@everyone: 一緒に学びましょう');

  const anaStory = board.shareStory(as(ana), {
    who: 'A family new to the district, Spanish-speaking',
    what: 'They missed both conferences.\nThe letter was in English only.',
    did: 'Sent the usual letter home, "as always"',
    ended: 'They never came',
  });
  const dmitriStory = board.shareStory(as(dmitri), {
    who: 'Ученик седьмого класса',
    what: 'Отстранён дважды за неделю; the second time, nobody called home.',
    did: 'Talked with the dean',
    ended: 'Still unresolved',
  });

  board.addNeed(as(ana), 'I needed to know which families we were not reaching');
  board.addNeed(as(dmitri), '-2 hours of planning time, "at least", every week');

  board.addAssumption(as(ben), anaStory, 'Families do not value conferences', 'doubtful');
  board.addAssumption(as(ana), anaStory, 'The letter reached them', 'to test');
  board.addAssumption(as(chloe), dmitriStory, 'The dean knew the family\'s context', 'holds');

  const translation = board.addNote(as(ana), { text: 'No translation process, for conferences', x: 0, y: 0, storyId: anaStory });
  const times = board.addNote(as(chloe), { text: 'Conference times fit office hours only', x: 200, y: 0 });
  const data = board.addNote(as(ben), { text: 'Discipline data never reviewed by race', x: 400, y: 0, storyId: dmitriStory });
  const formula = board.addNote(as(ben), { text: '=HYPERLINK("http://x.example","click")', x: 600, y: 0 });
  const conflict = board.addNote(as(misaki), { text: 'Avoiding conflict 😬 with "difficult" parents\nespecially in spring', x: 800, y: 0 });
  board.addNote(as(misaki), { text: '学校の文化 (school culture) — Ελληνικά too', x: 1000, y: 0 });
  board.sortNote(as(ana), translation, 'structures');
  board.sortNote(as(chloe), times, 'structures');
  board.sortNote(as(ben), data, 'knowledge');
  board.sortNote(as(ben), formula, 'skills');
  board.sortNote(as(misaki), conflict, 'dispositions');
  vi.setSystemTime(Date.now() + 60_000);
  board.duplicateNote({ actor: ana.id }, translation, 'knowledge');

  const q1 = board.addQuestion(as(ana), FINAL_QUESTIONS[0], 'structures', [translation, times]);
  const q2 = board.addQuestion(as(ben), FINAL_QUESTIONS[1], 'knowledge', [data]);
  const q3 = board.addQuestion(as(misaki), '+ How might we build courage for "hard" conversations? 💬', 'dispositions', [conflict]);
  board.addQuestion(as(dmitri), 'Как мы можем слышать семьи?', null);
  const perPerson = 3;
  for (const person of [ana, ben, chloe, dmitri]) board.castVote(as(person), q1, perPerson);
  for (const person of [ben, misaki]) board.castVote(as(person), q2, perPerson);
  board.castVote(as(misaki), q3, perPerson);

  board.saveCommitment(as(ana), { action: 'Call three families with an interpreter', notice: 'Count who comes in March', partner: PEOPLE.ben.name, date: '2026-04-09' });
  board.saveCommitment(as(dmitri), { action: 'Review discipline data,\nby race', notice: '', partner: '', date: '' });
  board.saveCommitment({ actor: carriedActor(0) }, { action: '@mention the counsellor in the newsletter', notice: '', partner: 'Chloé', date: '2026-03-01' });

  const control: ControlState = {
    ...initialControl(90),
    step: 'close',
    heaviest: 'structures',
    voting: { status: 'closed', perPerson },
    finalQuestionIds: [q1, q2],
  };
  return {
    board,
    control,
    session: { title: 'Equity CoP, "March" — Año nuevo', createdAt: FIXTURE_START, lengthMinutes: 90 },
    participants: Object.values(PEOPLE),
  };
}
