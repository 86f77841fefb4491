import { CATEGORIES, type CategoryId } from '../../shared/protocol/categories.ts';
import { PROTOCOLS } from '../../shared/protocol/protocols/index.ts';
import { STEPS } from '../../shared/protocol/steps.ts';
import type { InquiryCommitment, InquiryData, InquiryNote, InquiryProtocol } from '../../shared/export/jsonSchema.ts';
import {
  cardFacts,
  cardsByStep,
  checkInLabel,
  minutesLabel,
  notesLabel,
  PRESENTER_NOTES,
  SECTION_TITLES,
  STORY_LABELS,
  storyLabel,
  storyTitle,
  votesLabel,
} from '../../shared/export/labels.ts';
import { COLORS, type PdfCanvas } from './PdfCanvas.ts';

/** Sticky-note colours per category (client/app.css note colours). */
export const CATEGORY_COLORS: Readonly<Record<CategoryId | 'unsorted', string>> = {
  structures: '#bfdcf5',
  knowledge: '#c8e6b5',
  skills: '#fbd0a0',
  dispositions: '#dccbf2',
  unsorted: '#fbe38e',
};

const STATUS_COLORS = { holds: COLORS.ok, doubtful: COLORS.danger, 'to test': COLORS.warn } as const;

export interface PdfSection {
  title: string;
  /** What the contents list says beside the title, e.g. "5 questions". */
  summary: string;
  draw(canvas: PdfCanvas, data: InquiryData): void;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The sections a brief has, in order; empty ones are left out of the PDF. */
export function pdfSections(data: InquiryData): PdfSection[] {
  // The protocols' work comes after the inquiry's, and the agenda, for reference, last.
  const runs: PdfSection[] = [
    ...data.protocols.map((run) => ({
      title: run.title,
      summary: [run.presenter ? `presented by ${run.presenter}` : null, count(run.cards.length, 'card', 'cards')].filter(Boolean).join(', '),
      draw: (c: PdfCanvas, d: InquiryData) => protocol(c, run, d.scope === 'full'),
    })),
  ];
  const plan: PdfSection[] = data.agenda.length > 0 ? [{ title: SECTION_TITLES.agenda, summary: count(data.agenda.length, 'step', 'steps'), draw: agenda }] : [];
  if (data.scope === 'participant') {
    return [{ title: SECTION_TITLES.mine, summary: count(data.commitments.length, 'commitment', 'commitments'), draw: mine }, ...runs, ...plan];
  }
  const all: Array<PdfSection & { size: number }> = [
    { title: SECTION_TITLES.questions, size: data.questions.length, summary: count(data.questions.length, 'question', 'questions'), draw: questions },
    { title: SECTION_TITLES.causes, size: data.notes.length, summary: count(data.notes.length, 'root cause', 'root causes'), draw: causes },
    { title: SECTION_TITLES.stories, size: data.stories.length, summary: count(data.stories.length, 'story shared', 'stories shared'), draw: stories },
    { title: SECTION_TITLES.needs, size: data.needs.length, summary: count(data.needs.length, 'need', 'needs'), draw: needs },
    { title: SECTION_TITLES.assumptions, size: data.assumptions.length, summary: count(data.assumptions.length, 'assumption', 'assumptions'), draw: assumptions },
    { title: SECTION_TITLES.commitments, size: data.commitments.length, summary: count(data.commitments.length, 'commitment', 'commitments'), draw: commitments },
    { title: SECTION_TITLES.open, size: data.norms.length + data.hopes.length, summary: `${count(data.norms.length, 'norm', 'norms')}, ${count(data.hopes.length, 'hope', 'hopes')}`, draw: open },
  ];
  return [...all.filter((s) => s.size > 0), ...runs, ...plan];
}

function agenda(c: PdfCanvas, data: InquiryData): void {
  c.sectionTitle(SECTION_TITLES.agenda, 'The steps of this meeting, in order, with their time boxes.');
  data.agenda.forEach((a, i) => {
    // Number, title, then the block and the minutes in right-hand columns.
    const textW = c.width - 26 - 170;
    const h = Math.max(c.measure(a.title, textW, { face: 'bold', size: 10.5 }), 12) + 10;
    c.ensure(h + 4);
    const top = c.doc.y;
    c.text(String(i + 1), c.left, top, 18, { size: 9.5, color: COLORS.faint, align: 'right' });
    c.text(a.title, c.left + 26, top, textW, { face: 'bold', size: 10.5 });
    c.text(a.block, c.left + c.width - 160, top + 1, 110, { size: 9, color: COLORS.soft });
    c.text(minutesLabel(a.minutes), c.left + c.width - 45, top + 1, 45, { size: 9, color: COLORS.soft, align: 'right' });
    c.doc.moveTo(c.left, top + h - 3).lineTo(c.left + c.width, top + h - 3).lineWidth(0.4).stroke(COLORS.line);
    c.doc.y = top + h + 2;
  });
}

function protocol(c: PdfCanvas, run: InquiryProtocol, community: boolean): void {
  const presenter = PROTOCOLS[run.protocol].presenter;
  c.sectionTitle(run.title, community && presenter ? PRESENTER_NOTES : PROTOCOLS[run.protocol].purpose);
  if (run.presenter) c.doc.y = c.text(`Presenter: ${run.presenter}`, c.left, c.doc.y, c.width, { face: 'bold', size: 11 }) + 8;
  if (run.focus) {
    const h = 14 + c.measure(run.focus, c.width - 40, { face: 'bold', size: 13 }) + 14;
    c.ensure(h + 20);
    const top = c.label('Focusing question', c.doc.y) + 6;
    c.doc.roundedRect(c.left, top, c.width, h, 8).fill(COLORS.accentLight);
    c.text(run.focus, c.left + 20, top + 14, c.width - 40, { face: 'bold', size: 13 });
    c.doc.y = top + h + 14;
  }
  if (run.cards.length === 0) {
    c.text('No cards.', c.left, c.doc.y, c.width, { face: 'oblique', size: 9.5, color: COLORS.faint });
    return;
  }
  for (const group of cardsByStep(run)) {
    c.ensure(50);
    c.doc.y = c.text(group.title, c.left, c.doc.y + 4, c.width, { face: 'bold', size: 13 }) + 8;
    for (const card of group.cards) {
      const facts = cardFacts(card);
      const meta = [facts.length > 0 ? facts.join(', ') : null, card.author].filter(Boolean).join(' · ');
      bullet(c, card.text, meta, card.toPresenter ? COLORS.warn : COLORS.accent);
    }
    c.doc.y += 6;
  }
}

function questions(c: PdfCanvas, data: InquiryData): void {
  c.sectionTitle(SECTION_TITLES.questions, STEPS.hmw.purpose);
  const notes = new Map(data.notes.map((n) => [n.id, n.text]));
  const textX = c.left + 46;
  data.questions.forEach((q, i) => {
    const final = data.finalQuestionIds.includes(q.id);
    // Final ones keep the top right corner free for their label.
    const textW = c.width - 46 - (final ? 64 : 16);
    const facts = [votesLabel(q.votes), q.category ? CATEGORIES[q.category].title : null, q.author].filter(Boolean).join('  ·  ');
    const from = q.noteIds.map((id) => notes.get(id)).filter((t): t is string => t !== undefined);
    const fromText = from.length > 0 ? `From: ${from.map((t) => `“${t}”`).join('  ')}` : null;
    const textH = c.measure(q.text, textW, { face: 'bold', size: 12 });
    const factsH = c.measure(facts, textW, { size: 9 });
    const fromH = fromText ? c.measure(fromText, textW, { face: 'oblique', size: 8.5 }) + 5 : 0;
    const height = 14 + textH + 5 + factsH + fromH + 14;
    c.ensure(height + 10);
    const top = c.doc.y;
    c.doc.roundedRect(c.left, top, c.width, height, 8).fill(final ? COLORS.accentLight : COLORS.paper);
    if (final) c.doc.roundedRect(c.left, top, c.width, height, 8).lineWidth(1).stroke(COLORS.accent);
    c.doc.circle(c.left + 23, top + 22, 12).fill(final ? COLORS.accent : COLORS.faint);
    c.text(String(i + 1), c.left + 11, top + 17, 24, { face: 'bold', size: 10, color: COLORS.white, align: 'center' });
    let y = c.text(q.text, textX, top + 14, textW, { face: 'bold', size: 12 });
    y = c.text(facts, textX, y + 5, textW, { size: 9, color: COLORS.soft });
    if (final) c.pill('FINAL', c.left + c.width - 52, top + 10, COLORS.accent, COLORS.white);
    if (fromText) c.text(fromText, textX, y + 5, textW, { face: 'oblique', size: 8.5, color: COLORS.soft });
    c.doc.y = top + height + 10;
  });
}

function causes(c: PdfCanvas, data: InquiryData): void {
  c.sectionTitle(SECTION_TITLES.causes, STEPS.sort.purpose);
  // A clustered note carries its cluster's label, and a cluster's notes sit together after the notes on their own.
  const clusterLabels = new Map(data.clusters.map((k) => [k.id, `${k.label || 'Cluster'} (cluster of ${notesLabel(k.count)})`]));
  const clusterOrder = new Map(data.clusters.map((k, i) => [k.id, i]));
  const labelOf = (n: InquiryNote) => (n.clusterId ? (clusterLabels.get(n.clusterId) ?? null) : null);
  const byCluster = (notes: InquiryNote[]) =>
    [...notes].sort((a, b) => (a.clusterId ? (clusterOrder.get(a.clusterId) ?? -1) + 1 : 0) - (b.clusterId ? (clusterOrder.get(b.clusterId) ?? -1) + 1 : 0));
  const groups: Array<{ key: CategoryId | 'unsorted'; title: string; meaning: string | null; notes: InquiryNote[] }> = data.categories.map((cat) => ({
    key: cat.id,
    title: cat.title,
    meaning: CATEGORIES[cat.id].meaning,
    notes: byCluster(data.notes.filter((n) => n.category === cat.id)),
  }));
  const tray = data.notes.filter((n) => n.category === null);
  if (tray.length > 0) groups.push({ key: 'unsorted', title: 'Not sorted', meaning: null, notes: tray });

  const columns = 3;
  const gap = 10;
  const noteW = (c.width - gap * (columns - 1)) / columns;
  const inner = noteW - 20;
  for (const group of groups) {
    const meaningH = group.meaning ? c.measure(group.meaning, c.width - 18, { size: 8.5 }) : 0;
    const rows: InquiryNote[][] = [];
    for (let i = 0; i < group.notes.length; i += columns) rows.push(group.notes.slice(i, i + columns));
    const rowHeight = (row: InquiryNote[]) =>
      Math.max(
        ...row.map((n) => {
          const label = labelOf(n);
          const labelH = label ? c.measure(label, inner, { face: 'bold', size: 8 }) + 4 : 0;
          return 12 + labelH + c.measure(n.text, inner, { size: 9.5 }) + (n.author ? 4 + c.measure(n.author, inner, { face: 'oblique', size: 8 }) : 0) + 12;
        }),
      );
    const headerH = 20 + meaningH + 10;
    c.ensure(headerH + (rows[0] ? rowHeight(rows[0]) : 16));
    const top = c.doc.y;
    c.doc.roundedRect(c.left, top + 2, 12, 12, 2).fill(CATEGORY_COLORS[group.key]);
    c.text(group.title, c.left + 18, top, c.width, { face: 'bold', size: 13 });
    c.style({ face: 'bold', size: 13 });
    const titleW = c.doc.widthOfString(group.title);
    const countLabel = notesLabel(group.notes.length);
    c.text(countLabel, c.left + 18 + titleW + 8, top + 3.5, 120, { size: 9.5, color: COLORS.soft });
    const countW = c.doc.widthOfString(countLabel);
    if (data.heaviest === group.key) c.pill('HEAVIEST', c.left + 18 + titleW + 8 + countW + 10, top + 1.5, COLORS.accent, COLORS.white);
    let y = top + 20;
    if (group.meaning) y = c.text(group.meaning, c.left + 18, y, c.width - 18, { size: 8.5, color: COLORS.soft });
    c.doc.y = y + 8;
    if (rows.length === 0) {
      c.text('No notes.', c.left + 18, c.doc.y, c.width, { face: 'oblique', size: 9, color: COLORS.faint });
    }
    for (const row of rows) {
      const h = rowHeight(row);
      c.ensure(h + gap);
      const rowTop = c.doc.y;
      row.forEach((note, i) => {
        const x = c.left + i * (noteW + gap);
        c.doc.rect(x, rowTop, noteW, h).fill(CATEGORY_COLORS[group.key]);
        const label = labelOf(note);
        const textTop = label ? c.text(label, x + 10, rowTop + 12, inner, { face: 'bold', size: 8, color: COLORS.soft }) + 4 : rowTop + 12;
        const below = c.text(note.text, x + 10, textTop, inner, { size: 9.5 });
        if (note.author) c.text(note.author, x + 10, below + 4, inner, { face: 'oblique', size: 8, color: COLORS.soft });
      });
      c.doc.y = rowTop + h + gap;
    }
    c.doc.y += 8;
  }
}

function stories(c: PdfCanvas, data: InquiryData): void {
  c.sectionTitle(SECTION_TITLES.stories, 'Shared by their authors. Stories are about real people: keep this page confidential.');
  data.stories.forEach((story, i) => {
    c.ensure(90);
    const y = c.text(storyTitle(story, i), c.left, c.doc.y, c.width, { face: 'bold', size: 13 });
    c.doc.y = y + 6;
    for (const field of ['who', 'what', 'did', 'ended'] as const) {
      const value = story[field] || '—';
      const h = 14 + c.measure(value, c.width - 14, { size: 10.5 });
      c.ensure(h + 8);
      const top = c.doc.y;
      c.doc.rect(c.left, top, 2.5, h).fill(COLORS.line);
      c.text(STORY_LABELS[field].toUpperCase(), c.left + 12, top, c.width - 14, { face: 'bold', size: 7.5, color: COLORS.soft, spacing: 0.8 });
      c.doc.y = c.text(value, c.left + 12, top + 13, c.width - 14, { size: 10.5 }) + 8;
    }
    c.doc.y += 14;
  });
}

function needs(c: PdfCanvas, data: InquiryData): void {
  c.sectionTitle(SECTION_TITLES.needs, STEPS.need.purpose);
  for (const need of data.needs) {
    const meta = [need.author, storyLabel(data, need.storyId) && `about ${storyLabel(data, need.storyId)}`].filter(Boolean).join(' · ');
    bullet(c, need.text, meta, COLORS.accent);
  }
}

function assumptions(c: PdfCanvas, data: InquiryData): void {
  c.sectionTitle(SECTION_TITLES.assumptions, STEPS.assumptions.purpose);
  for (const a of data.assumptions) {
    const meta = [a.author, storyLabel(data, a.storyId) && `about ${storyLabel(data, a.storyId)}`].filter(Boolean).join(' · ');
    const textX = c.left + 74;
    const textW = c.width - 74;
    const h = c.measure(a.text, textW, { size: 10.5 }) + (meta ? 3 + c.measure(meta, textW, { size: 8.5 }) : 0);
    c.ensure(h + 12);
    const top = c.doc.y;
    c.pill(a.status.toUpperCase(), c.left, top, STATUS_COLORS[a.status], COLORS.white);
    let y = c.text(a.text, textX, top, textW, { size: 10.5 });
    if (meta) y = c.text(meta, textX, y + 3, textW, { size: 8.5, color: COLORS.soft });
    c.doc.y = Math.max(y, top + 14) + 12;
  }
}

function commitments(c: PdfCanvas, data: InquiryData): void {
  c.sectionTitle(SECTION_TITLES.commitments, 'One small thing each person will try or learn before the next meeting.');
  for (const item of data.commitments.filter((x) => !x.carriedOver)) commitmentCard(c, item, true);
  const carried = data.commitments.filter((x) => x.carriedOver);
  if (carried.length > 0) {
    c.ensure(60);
    c.doc.y = c.text(SECTION_TITLES.carried, c.left, c.doc.y + 8, c.width, { face: 'bold', size: 13 }) + 8;
    for (const item of carried) commitmentCard(c, item, true);
  }
}

function mine(c: PdfCanvas, data: InquiryData): void {
  c.sectionTitle(SECTION_TITLES.mine, 'What you will try or learn before the next meeting.');
  if (data.commitments.length === 0) {
    c.text('You have not saved a commitment.', c.left, c.doc.y, c.width, { face: 'oblique', size: 10.5, color: COLORS.soft });
  }
  for (const item of data.commitments) commitmentCard(c, item, false);
}

function commitmentCard(c: PdfCanvas, item: InquiryCommitment, withAuthor: boolean): void {
  const w = c.width - 32;
  const who = withAuthor ? item.author : null;
  const notice = item.notice ? `Noticing: ${item.notice}` : null;
  const checkIn = checkInLabel(item.partner, item.date);
  const h =
    14 +
    (who ? c.measure(who, w, { face: 'bold', size: 9 }) + 3 : 0) +
    c.measure(item.action, w, { size: 11.5 }) +
    (notice ? 5 + c.measure(notice, w, { size: 9.5 }) : 0) +
    (checkIn ? 5 + c.measure(checkIn, w, { face: 'bold', size: 9 }) : 0) +
    14;
  c.ensure(h + 10);
  const top = c.doc.y;
  c.doc.roundedRect(c.left, top, c.width, h, 8).fill(COLORS.paper);
  c.doc.rect(c.left, top + 8, 3, h - 16).fill(COLORS.accent);
  let y = top + 14;
  if (who) y = c.text(who, c.left + 16, y, w, { face: 'bold', size: 9, color: COLORS.soft }) + 3;
  y = c.text(item.action, c.left + 16, y, w, { size: 11.5 });
  if (notice) y = c.text(notice, c.left + 16, y + 5, w, { size: 9.5, color: COLORS.soft });
  if (checkIn) c.text(checkIn, c.left + 16, y + 5, w, { face: 'bold', size: 9, color: COLORS.accent });
  c.doc.y = top + h + 10;
}

function open(c: PdfCanvas, data: InquiryData): void {
  c.sectionTitle(SECTION_TITLES.open, STEPS.open.purpose);
  for (const [title, items] of [
    ['Norms', data.norms.map((n) => ({ text: n.text, meta: '' }))],
    ['Hopes', data.hopes.map((h) => ({ text: h.text, meta: h.author ?? '' }))],
  ] as const) {
    if (items.length === 0) continue;
    c.ensure(50);
    c.doc.y = c.text(title, c.left, c.doc.y, c.width, { face: 'bold', size: 13 }) + 8;
    for (const item of items) bullet(c, item.text, item.meta, COLORS.accent);
    c.doc.y += 10;
  }
}

function bullet(c: PdfCanvas, text: string, meta: string, color: string): void {
  const textX = c.left + 16;
  const textW = c.width - 16;
  const h = c.measure(text, textW, { size: 10.5 }) + (meta ? 3 + c.measure(meta, textW, { size: 8.5 }) : 0);
  c.ensure(h + 10);
  const top = c.doc.y;
  c.doc.circle(c.left + 4, top + 6, 2.6).fill(color);
  let y = c.text(text, textX, top, textW, { size: 10.5 });
  if (meta) y = c.text(meta, textX, y + 3, textW, { size: 8.5, color: COLORS.soft });
  c.doc.y = y + 10;
}
