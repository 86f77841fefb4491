import { describe, expect, it, vi } from 'vitest';
import { exportFileName, slugify } from '../../shared/export/fileName.ts';
import { buildInquiryData } from '../../shared/export/inquiryData.ts';
import { FINAL_QUESTIONS, FIXTURE_EXPORTED_AT, fixtureData, fixtureSource, PEOPLE } from './exportFixture.ts';

vi.mock('../../shared/ids.ts', () => import('./fixtureIds.ts'));

describe('buildInquiryData', () => {
  it('puts the final questions first, in the order they were marked, then the most voted', () => {
    const data = fixtureData();
    expect(data.questions.map((q) => [q.text, q.votes])).toEqual([
      [FINAL_QUESTIONS[0], 4],
      [FINAL_QUESTIONS[1], 2],
      ['+ How might we build courage for "hard" conversations? 💬', 1],
      ['Как мы можем слышать семьи?', 0],
    ]);
    expect(data.finalQuestionIds).toEqual(data.questions.slice(0, 2).map((q) => q.id));
  });

  it('counts at most votesPerPerson votes of each voter', () => {
    const source = fixtureSource();
    const data = buildInquiryData({ ...source, control: { ...source.control, voting: { status: 'closed', perPerson: 1 } } }, { names: true, now: FIXTURE_EXPORTED_AT });
    // Ben's and Misaki's first votes went elsewhere, so the second question keeps one and the third none.
    expect(data.questions.map((q) => q.votes)).toEqual([4, 1, 0, 0]);
  });

  it('drops final marks whose question was deleted', () => {
    const source = fixtureSource();
    const control = { ...source.control, finalQuestionIds: ['deleted-one', ...source.control.finalQuestionIds] };
    expect(buildInquiryData({ ...source, control }, { names: true, now: 0 }).finalQuestionIds).toEqual(source.control.finalQuestionIds);
  });

  it('counts sorted notes per category and marks carried-over commitments', () => {
    const data = fixtureData();
    expect(data.categories.map((c) => [c.id, c.count])).toEqual([
      ['structures', 2],
      ['knowledge', 2],
      ['skills', 1],
      ['dispositions', 1],
    ]);
    expect(data.commitments.map((c) => [c.author, c.carriedOver])).toEqual([
      ['Ana', false],
      ['Дмитрий', false],
      [null, true],
    ]);
  });

  it('gives a participant only the final questions and their own commitment', () => {
    const data = fixtureData({ participantId: PEOPLE.ana.id });
    expect(data.scope).toBe('participant');
    expect(data.questions.map((q) => q.text)).toEqual([...FINAL_QUESTIONS]);
    expect(data.commitments.map((c) => c.action)).toEqual(['Call three families with an interpreter']);
    for (const list of [data.notes, data.stories, data.needs, data.assumptions, data.norms, data.hopes, data.categories]) {
      expect(list).toEqual([]);
    }
  });
});

describe('export file names', () => {
  it.each([
    ['Equity CoP, "March" — Año nuevo', 'equity-cop-march-ano-nuevo'],
    ['  ¿Qué?  ', 'que'],
    ['学校', 'inquiry'],
    ['x'.repeat(80), 'x'.repeat(60)],
  ])('slugify(%j) is %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('adds the date and the format, and marks a participant copy', () => {
    expect(exportFileName('Equity CoP', '2026-03-12', 'pdf')).toBe('equity-cop-2026-03-12.pdf');
    expect(exportFileName('Equity CoP', '2026-03-12', 'md', true)).toBe('equity-cop-2026-03-12-my-brief.md');
  });
});
