import { describe, expect, it, vi } from 'vitest';
import { carryForwardPlan } from '../../shared/export/carryForward.ts';
import { INQUIRY_FORMAT, INQUIRY_VERSION, inquirySchema, parseInquiry } from '../../shared/export/jsonSchema.ts';
import { MigrationSequence } from '../../shared/MigrationSequence.ts';
import { renderJson } from '../../shared/export/renderJson.ts';
import { FINAL_QUESTIONS, fixtureData, PEOPLE } from './exportFixture.ts';

vi.mock('../../shared/ids.ts', () => import('./fixtureIds.ts'));

describe('renderJson', () => {
  it('writes a versioned document that validates against its schema', () => {
    const json = JSON.parse(renderJson(fixtureData())) as Record<string, unknown>;
    expect(json).toMatchObject({ format: INQUIRY_FORMAT, version: INQUIRY_VERSION, scope: 'full', names: true });
    expect(inquirySchema.safeParse(json).success).toBe(true);
  });

  it('round-trips: what it writes parses back to the same data', () => {
    const data = fixtureData();
    const parsed = parseInquiry(JSON.parse(renderJson(data)));
    expect(parsed).toEqual({ ok: true, data });
  });

  it('validates the no-names and participant variants too', () => {
    for (const data of [fixtureData({ names: false }), fixtureData({ participantId: PEOPLE.dmitri.id })]) {
      expect(parseInquiry(JSON.parse(renderJson(data))).ok).toBe(true);
    }
  });

  it('refuses to write data that breaks the schema', () => {
    const data = fixtureData();
    data.finalQuestionIds = ['nope'];
    expect(() => renderJson(data)).toThrow();
  });

  it('leaves out names and peer partners when asked', () => {
    const data = fixtureData({ names: false });
    const text = renderJson(data);
    for (const person of Object.values(PEOPLE)) expect(text).not.toContain(JSON.stringify(person.name).slice(1, -1));
    for (const list of [data.questions, data.notes, data.stories, data.needs, data.assumptions, data.commitments, data.hopes]) {
      for (const item of list) expect(item.author).toBeNull();
    }
    expect(data.commitments.every((c) => c.partner === null)).toBe(true);
  });
});

describe('parseInquiry', () => {
  const valid = () => JSON.parse(renderJson(fixtureData())) as Record<string, unknown>;

  it.each([
    ['not an object', 'hello', /must be a Howmight inquiry export/],
    ['an array', [1], /must be a Howmight inquiry export/],
    ['another format', { ...valid(), format: 'something.else' }, /format must be "howmight\.inquiry"/],
    ['a newer version', { ...valid(), version: 2 }, /version 2; this server reads version 1/],
    ['no version', { ...valid(), version: undefined }, /version null/],
    ['a bad date', { ...valid(), session: { ...(valid().session as object), date: 'March' } }, /^from\.session\.date: /],
    ['an unknown category', { ...valid(), heaviest: 'vibes' }, /^from\.heaviest: /],
    ['a dangling final id', { ...valid(), finalQuestionIds: ['gone'] }, /^from\.finalQuestionIds\.0: names no question/],
    ['an overlong question', { ...valid(), questions: [{ ...(valid().questions as object[])[0], text: 'x'.repeat(301) }] }, /^from\.questions\.0\.text: /],
  ])('explains %s', (_name, input, message) => {
    const parsed = parseInquiry(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe('carryForwardPlan', () => {
  it('takes the anchor questions in order, the heaviest category and this meeting’s commitments', () => {
    const plan = carryForwardPlan(fixtureData());
    expect(plan.questions).toEqual([
      { text: FINAL_QUESTIONS[0], category: 'structures' },
      { text: FINAL_QUESTIONS[1], category: 'knowledge' },
    ]);
    expect(plan.heaviest).toBe('structures');
    expect(plan.commitments).toEqual([
      { action: 'Call three families with an interpreter', notice: 'Count who comes in March', partner: PEOPLE.ben.name, date: '2026-04-09' },
      { action: 'Review discipline data,\nby race', notice: '', partner: '', date: '' },
    ]);
  });
});

describe('parseInquiry of an older export', () => {
  const current = () => JSON.parse(renderJson(fixtureData())) as Record<string, unknown>;
  /**
   * A sequence that exists only in this test: it pretends today's format had
   * a version 0 in which hopes were called wishes, so today's version is its
   * last step, as a real step will be once the format changes.
   */
  const withWishes = new MigrationSequence<Record<string, unknown>>('inquiry export', 0, [
    {
      version: 1,
      name: 'wishes are hopes',
      up: ({ wishes, ...rest }) => {
        if (!Array.isArray(wishes)) throw new Error('wishes must be a list');
        return { ...rest, hopes: wishes };
      },
    },
  ]);

  it('migrates it to today’s version, then validates it', () => {
    const { hopes, ...today } = current();
    const parsed = parseInquiry({ ...today, version: 0, wishes: hopes }, 'from', withWishes);
    expect(parsed).toEqual({ ok: true, data: fixtureData() });
  });

  it('reads today’s version through the same sequence unchanged', () => {
    expect(parseInquiry(current(), 'from', withWishes)).toEqual({ ok: true, data: fixtureData() });
  });

  it('refuses a newer one, saying what this server reads and what to do', () => {
    const parsed = parseInquiry({ ...current(), version: 2 }, 'from', withWishes);
    expect(parsed).toEqual({
      ok: false,
      error: 'from has export version 2; this server reads versions 0 to 1. It comes from a newer Howmight: update this server to import it.',
    });
  });

  it('answers a step that cannot read the older file with the file’s fault, not a crash', () => {
    const parsed = parseInquiry({ ...current(), version: 0, wishes: 'many' }, 'from', withWishes);
    expect(parsed).toEqual({ ok: false, error: 'from could not be read as export version 0: wishes must be a list' });
  });
});
