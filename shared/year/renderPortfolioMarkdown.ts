import { CONFIDENTIAL } from '../export/labels.ts';
import { block, inline } from '../export/renderMarkdown.ts';
import { currentQuestion, type PortfolioData } from './portfolio.ts';
import {
  attendanceLabel,
  checkIn,
  cohortLine,
  decisionLabel,
  followsLabel,
  logEntryFacts,
  logEntryFields,
  logIntro,
  logNoteBy,
  logTally,
  madeInLabel,
  meetingName,
  meetingWhen,
  outcomeLabel,
  outcomeTally,
  PORTFOLIO_SECTIONS,
  portfolioNote,
  pulseFacts,
  pulseGroupLabel,
  pulseIntro,
  pulseRows,
  PULSE_NOT_SHOWN,
  portfolioTitle,
  questionWhere,
  sourceLabel,
} from './portfolioLabels.ts';

/**
 * The portfolio as Markdown (CommonMark), escaped as the meeting brief is
 * (shared/export/renderMarkdown.ts): people's words stay text in any viewer.
 */
export function renderPortfolioMarkdown(data: PortfolioData): string {
  const out: string[] = [`# ${inline(portfolioTitle(data))}`, '', `${inline(cohortLine(data))}\\`, inline(portfolioNote(data)), ''];
  if (data.community) {
    out.push(`Community: **${inline(data.community.name)}**${data.community.challenge ? ` · Challenge: ${inline(data.community.challenge)}` : ''}`, '');
  } else if (data.scope === 'member') {
    out.push('_Not placed in a community yet._', '');
  }
  if (data.member?.challenge) out.push(`My challenge: ${inline(data.member.challenge)}`, '');
  out.push(...question(data), ...meetings(data), ...commitments(data), ...log(data), ...pulse(data));
  out.push('---', '', `_${CONFIDENTIAL}_`, '');
  return out.join('\n');
}

function question(data: PortfolioData): string[] {
  const out = [`## ${PORTFOLIO_SECTIONS.question}`, ''];
  const now = currentQuestion(data);
  if (!now) return [...out, '_No question yet: it is set when the first meeting is finished._', ''];
  out.push(`> **${block(now.text, '> ')}**`, '>', `> Version ${now.version}, ${inline(questionWhere(now))}`, '');
  out.push(`### ${PORTFOLIO_SECTIONS.lineage}`, '');
  for (const q of data.questions) {
    const marker = `${q.version}. `;
    const indent = ' '.repeat(marker.length);
    out.push(`${marker}${block(q.text, indent)}\\`, `${indent}_${inline(questionWhere(q))}${q.reason ? ` — ${inline(q.reason)}` : ''}_`);
    const from = sourceLabel(q);
    if (from) out.push(`${indent}- ${inline(from)}`);
    for (const note of q.source?.notes ?? []) {
      out.push(`${indent}  - “${block(note.text, `${indent}    `)}”${note.author ? ` — ${inline(note.author)}` : ''}`);
    }
  }
  out.push('');
  return out;
}

function meetings(data: PortfolioData): string[] {
  const out = [`## ${PORTFOLIO_SECTIONS.meetings}`, ''];
  if (data.meetings.length === 0) return [...out, '_No meetings yet._', ''];
  for (const m of data.meetings) {
    const facts = [
      meetingWhen(m.startsAt),
      `${m.lengthMinutes} minutes`,
      m.finishedAt ? 'held' : 'planned',
      m.finishedAt || m.attendance > 0 ? attendanceLabel(m.attendance) : null,
      m.attended === null ? null : m.attended ? 'you came' : 'you did not come',
    ];
    out.push(`- **${meetingName(m)}** · ${facts.filter(Boolean).map((f) => inline(f!)).join(' · ')}`);
  }
  out.push('');
  return out;
}

function commitments(data: PortfolioData): string[] {
  const mine = data.scope === 'member';
  const out = [`## ${mine ? PORTFOLIO_SECTIONS.mine : PORTFOLIO_SECTIONS.commitments}`, ''];
  if (data.commitments.length === 0) return [...out, '_No commitments yet._', ''];
  out.push(`_${outcomeTally(data.commitments)}_`, '');
  data.commitments.forEach((c, i) => {
    const marker = `${i + 1}. `;
    const indent = ' '.repeat(marker.length);
    const who = !mine && c.owner ? `**${inline(c.owner)}**: ` : '';
    out.push(`${marker}${who}${block(c.action, indent)}\\`);
    if (c.notice) out.push(`${indent}Expecting to notice: ${block(c.notice, indent)}\\`);
    const facts = [madeInLabel(c.madeIn, 'Made between meetings'), checkIn(c), outcomeLabel(c)];
    out.push(`${indent}_${facts.filter(Boolean).map((f) => inline(f!)).join(' · ')}_`);
  });
  out.push('');
  return out;
}

function log(data: PortfolioData): string[] {
  const out = [`## ${PORTFOLIO_SECTIONS.log}`, '', `_${inline(logIntro(data))}_`, ''];
  if (data.log.length === 0) return [...out, data.scope === 'member' ? '_No entries yet._' : '_No entries shared with the community yet._', ''];
  out.push(`_${inline(logTally(data))}_`, '');
  data.log.forEach((e, i) => {
    const marker = `${i + 1}. `;
    const indent = ' '.repeat(marker.length);
    const lines = [`**${inline(logEntryFacts(data, e))}**`];
    const follows = followsLabel(e);
    if (follows) lines.push(block(follows, indent));
    if (e.commitment?.notice) lines.push(`Expecting to notice: ${block(e.commitment.notice, indent)}`);
    for (const f of logEntryFields(e)) lines.push(`${inline(f.label)}: ${block(f.text, indent)}`);
    const decision = decisionLabel(e);
    if (decision) lines.push(`**${inline(decision)}**`);
    out.push(`${marker}${lines.join(`\\\n${indent}`)}`);
    for (const n of e.notes) out.push(`${indent}- Note from ${inline(logNoteBy(n))}: ${block(n.text, `${indent}  `)}`);
  });
  out.push('');
  return out;
}

function pulse(data: PortfolioData): string[] {
  const out = [`## ${PORTFOLIO_SECTIONS.pulse}`, '', `_${inline(pulseIntro(data))}_`, ''];
  if (data.pulse.length === 0) return [...out, '_No pulse window closed yet._', ''];
  const labels = [...new Set(data.pulse.map((w) => w.instrument.label).filter(Boolean))];
  for (const label of labels) out.push(`_${inline(label)}_`, '');
  for (const w of data.pulse) {
    out.push(`### ${inline(w.label)}`, '', `${inline(pulseFacts(w))}\\`, `**${inline(pulseGroupLabel(data, w))}**`, '');
    out.push('| Facet | Mean (1-6) | Answers | Spread | Strongly agree |', '| --- | --- | --- | --- | --- |');
    for (const { title, figure } of pulseRows(w)) {
      out.push(figure ? `| ${title} | ${figure.mean.toFixed(1)} | ${figure.n} | ±${figure.sd.toFixed(1)} | ${Math.round(figure.strongly * 100)}% |` : `| ${title} | ${PULSE_NOT_SHOWN} | | | |`);
    }
    out.push('');
    if (w.notes.trim()) out.push(`What the facilitators changed because of it: ${inline(w.notes)}`, '');
  }
  return out;
}
