import { CATEGORIES } from '../protocol/categories.ts';
import { PROTOCOLS } from '../protocol/protocols/index.ts';
import type { InquiryCommitment, InquiryData, InquiryProtocol, InquiryQuestion } from './jsonSchema.ts';
import {
  cardFacts,
  cardsByStep,
  checkInLabel,
  CONFIDENTIAL,
  exportNote,
  finalsTitle,
  metaLine,
  minutesLabel,
  notesLabel,
  PRESENTER_NOTES,
  SECTION_TITLES,
  STORY_LABELS,
  storyLabel,
  storyTitle,
  votesLabel,
} from './labels.ts';

/**
 * The inquiry brief as Markdown (CommonMark). People's words are escaped so
 * that a note reading "<b>" or "# urgent" stays text in any viewer, and their
 * line breaks become hard breaks inside the same list item.
 */
export function renderMarkdown(data: InquiryData): string {
  const out: string[] = [`# ${inline(data.session.title)}`, '', metaLine(data) + '\\', exportNote(data), ''];
  out.push(...finals(data), ...agenda(data));
  for (const run of data.protocols) out.push(...protocol(run, data.scope === 'full'));
  if (data.scope === 'participant') {
    out.push(`## ${SECTION_TITLES.mine}`, '');
    if (data.commitments.length === 0) out.push('_You have not saved a commitment._', '');
    for (const c of data.commitments) out.push(...commitment(c, false));
  } else {
    out.push(...questions(data), ...causes(data), ...stories(data), ...needs(data), ...assumptions(data));
    out.push(...commitments(data), ...open(data));
  }
  out.push('---', '', `_${CONFIDENTIAL}_`, '');
  return out.join('\n');
}

function finals(data: InquiryData): string[] {
  const out = [`## ${finalsTitle(data)}`, ''];
  const byId = new Map(data.questions.map((q) => [q.id, q]));
  const marked = data.finalQuestionIds.map((id) => byId.get(id)).filter((q): q is InquiryQuestion => !!q);
  if (marked.length === 0) out.push('_No final question marked yet._', '');
  for (const q of marked) {
    out.push(`> **${block(q.text, '> ')}**`, '>', `> ${[votesLabel(q.votes), categoryTitle(q.category)].filter(Boolean).join(' · ')}`, '');
  }
  if (data.heaviest) out.push(`Heaviest category: **${CATEGORIES[data.heaviest].title}**`, '');
  return out;
}

function agenda(data: InquiryData): string[] {
  if (data.agenda.length === 0) return [];
  const out = [`## ${SECTION_TITLES.agenda}`, ''];
  for (const a of data.agenda) out.push(`- ${inline(a.title)} — _${inline(a.block)} · ${minutesLabel(a.minutes)}_`);
  return [...out, ''];
}

function protocol(run: InquiryProtocol, community: boolean): string[] {
  const out = [`## ${inline(run.title)}`, ''];
  if (run.presenter) out.push(`Presenter: **${inline(run.presenter)}**`, '');
  if (run.focus) out.push(`> Focusing question: **${block(run.focus, '> ')}**`, '');
  if (community && PROTOCOLS[run.protocol].presenter) out.push(`_${PRESENTER_NOTES}_`, '');
  if (run.cards.length === 0) return [...out, none(), ''];
  for (const group of cardsByStep(run)) {
    out.push(`### ${inline(group.title)}`, '');
    for (const card of group.cards) {
      const facts = cardFacts(card).map((f) => `**${f}**`);
      out.push(`- ${facts.length > 0 ? `${facts.join(', ')}: ` : ''}${block(card.text, '  ')}${suffix(card.author, null)}`);
    }
    out.push('');
  }
  return out;
}

function questions(data: InquiryData): string[] {
  const out = [`## ${SECTION_TITLES.questions}`, ''];
  if (data.questions.length === 0) return [...out, none(), ''];
  const notes = new Map(data.notes.map((n) => [n.id, n.text]));
  const clusters = new Map(data.clusters.map((c) => [c.id, c.label]));
  data.questions.forEach((q, i) => {
    const marker = `${i + 1}. `;
    const indent = ' '.repeat(marker.length);
    const facts = [votesLabel(q.votes), categoryTitle(q.category), data.finalQuestionIds.includes(q.id) ? 'final' : null, q.author];
    out.push(`${marker}${block(q.text, indent)}\\`, `${indent}_${facts.filter(Boolean).map((f) => inline(f!)).join(' · ')}_`);
    const cluster = q.clusterId ? clusters.get(q.clusterId) : undefined;
    if (cluster !== undefined) out.push(`${indent}- From the cluster “${inline(cluster || 'Cluster')}”`);
    const from = q.noteIds.map((id) => notes.get(id)).filter((t): t is string => t !== undefined);
    if (from.length > 0) out.push(`${indent}- From notes: ${from.map((t) => `“${block(t, `${indent}  `)}”`).join('; ')}`);
  });
  return [...out, ''];
}

function causes(data: InquiryData): string[] {
  const out = [`## ${SECTION_TITLES.causes}`, ''];
  for (const category of data.categories) {
    const heaviest = data.heaviest === category.id ? ' — heaviest' : '';
    out.push(`### ${category.title} (${notesLabel(category.count)})${heaviest}`, '');
    const notes = data.notes.filter((n) => n.category === category.id);
    if (notes.length === 0) out.push(none());
    // Notes on their own, then each cluster under its label, its notes indented.
    for (const n of notes) if (!n.clusterId) out.push(item(n.text, n.author));
    for (const cluster of data.clusters.filter((c) => c.category === category.id)) {
      out.push(`- **${inline(cluster.label || 'Cluster')}** (cluster of ${notesLabel(cluster.count)})`);
      for (const n of notes) if (n.clusterId === cluster.id) out.push(`  - ${block(n.text, '    ')}${suffix(n.author, null)}`);
    }
    out.push('');
  }
  const tray = data.notes.filter((n) => n.category === null);
  if (tray.length > 0) {
    out.push(`### Not sorted (${notesLabel(tray.length)})`, '');
    for (const n of tray) out.push(item(n.text, n.author));
    out.push('');
  }
  return out;
}

function stories(data: InquiryData): string[] {
  const out = [`## ${SECTION_TITLES.stories}`, ''];
  if (data.stories.length === 0) return [...out, none(), ''];
  data.stories.forEach((story, i) => {
    out.push(`### ${inline(storyTitle(story, i))}`, '');
    for (const field of ['who', 'what', 'did', 'ended'] as const) out.push(`- **${STORY_LABELS[field]}:** ${block(story[field], '  ')}`);
    out.push('');
  });
  return out;
}

function needs(data: InquiryData): string[] {
  const out = [`## ${SECTION_TITLES.needs}`, ''];
  if (data.needs.length === 0) return [...out, none(), ''];
  for (const n of data.needs) out.push(item(n.text, n.author, storyLabel(data, n.storyId)));
  return [...out, ''];
}

function assumptions(data: InquiryData): string[] {
  const out = [`## ${SECTION_TITLES.assumptions}`, ''];
  if (data.assumptions.length === 0) return [...out, none(), ''];
  for (const a of data.assumptions) {
    out.push(`- **${a.status}:** ${block(a.text, '  ')}${suffix(a.author, storyLabel(data, a.storyId))}`);
  }
  return [...out, ''];
}

function commitments(data: InquiryData): string[] {
  const out = [`## ${SECTION_TITLES.commitments}`, ''];
  const fresh = data.commitments.filter((c) => !c.carriedOver);
  const carried = data.commitments.filter((c) => c.carriedOver);
  if (fresh.length === 0) out.push(none(), '');
  for (const c of fresh) out.push(...commitment(c, true));
  if (carried.length > 0) {
    out.push(`### ${SECTION_TITLES.carried}`, '');
    for (const c of carried) out.push(...commitment(c, true));
  }
  return out;
}

function commitment(c: InquiryCommitment, withAuthor: boolean): string[] {
  const who = withAuthor && c.author ? `**${inline(c.author)}:** ` : '';
  const lines = [`- ${who}${block(c.action, '  ')}`];
  if (c.notice) lines.push(`  - Noticing: ${block(c.notice, '    ')}`);
  const checkIn = checkInLabel(c.partner, c.date);
  if (checkIn) lines.push(`  - ${inline(checkIn)}`);
  return [...lines, ''];
}

function open(data: InquiryData): string[] {
  const out = [`## ${SECTION_TITLES.open}`, '', '### Norms', ''];
  if (data.norms.length === 0) out.push(none());
  for (const n of data.norms) out.push(item(n.text, null));
  out.push('', '### Hopes', '');
  if (data.hopes.length === 0) out.push(none());
  for (const h of data.hopes) out.push(item(h.text, h.author));
  return [...out, ''];
}

function item(text: string, author: string | null, about: string | null = null): string {
  return `- ${block(text, '  ')}${suffix(author, about)}`;
}

function suffix(author: string | null, about: string | null): string {
  const parts = [author, about ? `about ${about}` : null].filter((p): p is string => !!p);
  return parts.length > 0 ? ` — _${inline(parts.join(', '))}_` : '';
}

function categoryTitle(category: InquiryQuestion['category']): string | null {
  return category ? CATEGORIES[category].title : null;
}

function none(): string {
  return '_None yet._';
}

/**
 * Escapes what CommonMark would read as markup or HTML inside a line. A line
 * break (a name, a title) becomes a space: here nothing may start a new block.
 */
export function inline(text: string): string {
  return text.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ').replace(/[\\`*_[\]<>|~]/g, '\\$&');
}

/**
 * Escaped text whose own line breaks become hard breaks, continued at `indent`.
 * Each line loses its leading and trailing spaces and tabs: four spaces or a
 * tab would open a code block that swallows the author after the text, and
 * CommonMark drops a paragraph line's indentation anyway. Then no line may
 * start a heading, list or rule of its own (even right after a list marker);
 * inline() has already escaped quotes, fences, tables and HTML.
 */
export function block(text: string, indent: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      inline(line.replace(/^[ \t]+|[ \t]+$/g, ''))
        .replace(/^[#=+-]/, '\\$&')
        .replace(/^(\d+)([.)])/, '$1\\$2'),
    );
  if (lines.every((line) => line === '')) return '_(empty)_';
  return lines.join(`\\\n${indent}`);
}
