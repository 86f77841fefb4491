import type { StoryField } from '../board/schema.ts';
import { STEPS, type StepId } from '../protocol/steps.ts';
import type { InquiryCard, InquiryData, InquiryProtocol, InquiryStory } from './jsonSchema.ts';

/** Words every export format uses, so Markdown, CSV and PDF read alike (and the app's story cards with them). */

export const STORY_LABELS: Readonly<Record<StoryField, string>> = {
  who: 'Who was involved',
  what: 'What happened',
  did: 'What I did',
  ended: 'How it ended',
};

export const SECTION_TITLES = {
  finals: 'Our inquiry question',
  finalsPlural: 'Our inquiry questions',
  questions: 'How might we… drafts',
  causes: 'Root causes by category',
  stories: 'Equity stories',
  needs: 'What we needed',
  assumptions: 'Assumption check',
  commitments: 'Commitments',
  carried: 'Carried over from the last meeting',
  mine: 'Your commitment',
  open: 'Norms and hopes',
  agenda: 'Agenda',
} as const;

export const CONFIDENTIAL = 'What is shared here stays here.';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-03-12" → "12 March 2026", the same on every machine whatever its locale. */
export function longDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
}

/** An ISO timestamp as "2026-03-12 18:04 UTC". */
export function exportedAtLabel(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function finalsTitle(data: InquiryData): string {
  return data.finalQuestionIds.length > 1 ? SECTION_TITLES.finalsPlural : SECTION_TITLES.finals;
}

/** One line under the title: what this is, when, how long. */
export function metaLine(data: InquiryData): string {
  const kind = data.scope === 'participant' ? 'Inquiry brief (participant copy)' : 'Inquiry brief';
  return `${kind} · ${longDate(data.session.date)} · ${data.session.lengthMinutes}-minute meeting`;
}

/** When it was exported, and whether mid-meeting or with names left out. */
export function exportNote(data: InquiryData): string {
  const parts = [`Exported ${exportedAtLabel(data.exportedAt)}`];
  if (data.session.step !== 'close') parts.push(`during “${STEPS[data.session.step].title}”`);
  let note = parts.join(', ') + '.';
  if (!data.names) note += ' Names left out.';
  return note;
}

export function votesLabel(votes: number): string {
  return votes === 1 ? '1 vote' : `${votes} votes`;
}

export function notesLabel(count: number): string {
  return count === 1 ? '1 note' : `${count} notes`;
}

/** Stories are numbered in the order they were shared; the author is added when names are in. */
export function storyLabel(data: InquiryData, storyId: string | null): string | null {
  if (!storyId) return null;
  const index = data.stories.findIndex((s) => s.id === storyId);
  if (index === -1) return null;
  return storyTitle(data.stories[index]!, index);
}

export function storyTitle(story: InquiryStory, index: number): string {
  return story.author ? `Story ${index + 1} (${story.author})` : `Story ${index + 1}`;
}

export function storyText(story: InquiryStory): string {
  return (Object.keys(STORY_LABELS) as StoryField[]).map((field) => `${STORY_LABELS[field]}: ${story[field]}`).join('\n');
}

/** A commitment's check-in line, e.g. "Check-in with Ben on 15 December 2026". */
export function checkInLabel(partner: string | null, date: string | null): string | null {
  if (!partner && !date) return null;
  return `Check-in${partner ? ` with ${partner}` : ''}${date ? ` on ${longDate(date)}` : ''}`;
}

/** "5 min" for an agenda step. */
export function minutesLabel(minutes: number): string {
  return `${minutes} min`;
}

/** What the brief says beside a card: its tone, and that it was addressed to the presenter. */
export function cardFacts(card: InquiryCard): string[] {
  return [card.tone, card.toPresenter ? 'to the presenter' : null].filter((f): f is string => !!f);
}

/** The cards of a run grouped by the step that wrote them, in the order of the steps' first cards. */
export function cardsByStep(run: InquiryProtocol): Array<{ step: StepId; title: string; cards: InquiryCard[] }> {
  const groups = new Map<StepId, InquiryCard[]>();
  for (const card of run.cards) groups.set(card.step, [...(groups.get(card.step) ?? []), card]);
  return [...groups].map(([step, cards]) => ({ step, title: STEPS[step].title, cards }));
}

export const PRESENTER_NOTES = 'Notes addressed to the presenter are theirs: they are in this brief only if the presenter shared them.';
