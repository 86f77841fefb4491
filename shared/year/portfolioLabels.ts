import { slugify, type ExportFormat } from '../export/fileName.ts';
import { exportedAtLabel, longDate } from '../export/labels.ts';
import { CATEGORIES } from '../protocol/categories.ts';
import type { CommitmentStatus } from './api.ts';
import type {
  PortfolioCommitment,
  PortfolioData,
  PortfolioLogEntry,
  PortfolioLogNote,
  PortfolioMeetingRef,
  PortfolioPulse,
  PortfolioPulseFigure,
  PortfolioQuestion,
} from './portfolio.ts';
import { DECISION_LABELS, LOG_FIELDS, type LogField, type Visibility } from './practiceLog.ts';
import { FACET_DEFS, FACETS, type Facet } from './pulseInstrument.ts';

/** Words every portfolio format uses, so Markdown, CSV and PDF read alike. */
export const PORTFOLIO_SECTIONS = {
  question: 'The inquiry question',
  lineage: 'How the question changed',
  meetings: 'Meetings',
  commitments: 'Commitments and how they ended',
  mine: 'My commitments and how they ended',
  log: 'Practice log',
  pulse: 'Trust pulse',
} as const;

/** An entry's fields in the order its author writes them, named as the log and the log round name them. */
export { LOG_FIELDS, type LogField };

/** Whom an entry was shared with, read by someone other than its author too. */
export const SHARED_LABELS: Readonly<Record<Visibility, string>> = {
  private: 'Kept private',
  peer: 'Shared with a peer partner',
  community: 'Shared with the community',
  cohort: 'Shared with the whole cohort',
};

export const STATUS_LABELS: Readonly<Record<CommitmentStatus, string>> = {
  open: 'Open',
  done: 'Done',
  carried: 'Carried to the next meeting',
  dropped: 'Dropped',
  unreviewed: 'Not reviewed',
};

/** "Funds for need · the year's portfolio", or "Ana · my year". */
export function portfolioTitle(data: PortfolioData): string {
  if (data.scope === 'member') return data.member?.name ? `${data.member.name} · my year` : 'My year';
  return `${data.community?.name ?? data.cohort.name} · the year's portfolio`;
}

/** "Equity cohort 2026-27 · 1 September 2026 to 30 June 2027" */
export function cohortLine(data: PortfolioData): string {
  return `${data.cohort.name} · ${longDate(data.cohort.startsOn)} to ${longDate(data.cohort.endsOn)}`;
}

export function portfolioNote(data: PortfolioData): string {
  const scope =
    data.scope === 'member' ? 'For you alone: your own commitments and practice log, and your community’s question.' : 'For the cohort’s facilitators and coaches.';
  return `Exported ${exportedAtLabel(data.exportedAt)}.${data.names ? '' : ' Names left out.'} ${scope}`;
}

/** "Meeting 2" or "Cohort meeting 1". */
export function meetingName(ref: { cohortWide: boolean; index: number }): string {
  return `${ref.cohortWide ? 'Cohort meeting' : 'Meeting'} ${ref.index}`;
}

/** "2026-10-13T16:00" → "13 October 2026, 16:00" */
export function meetingWhen(startsAt: string): string {
  return `${longDate(startsAt.slice(0, 10))}, ${startsAt.slice(11, 16)}`;
}

/** "Meeting 2 · 13 October 2026", or what stands in for a meeting when there was none. */
export function madeInLabel(ref: PortfolioMeetingRef | null, none: string): string {
  return ref ? `${meetingName(ref)} · ${longDate(ref.startsAt.slice(0, 10))}` : none;
}

export function questionWhere(q: PortfolioQuestion): string {
  return madeInLabel(q.meeting, `Between meetings, ${longDate(q.createdAt.slice(0, 10))}`);
}

/** "From the cluster “Budget lines” (Structures)", or null when the version has no source. */
export function sourceLabel(q: PortfolioQuestion): string | null {
  if (!q.source) return null;
  const category = q.source.category ? CATEGORIES[q.source.category].title : null;
  if (q.source.cluster !== null) return `From the cluster “${q.source.cluster || 'Cluster'}”${category ? ` (${category})` : ''}`;
  return category ? `From the category ${category}` : 'From the notes of its meeting';
}

/** "Done, marked 13 October 2026" */
export function outcomeLabel(c: PortfolioCommitment): string {
  const label = STATUS_LABELS[c.status];
  return c.reviewedAt ? `${label}, marked ${longDate(c.reviewedAt.slice(0, 10))}` : label;
}

/** "Check-in with Ben by 1 October 2026", or null. */
export function checkIn(c: PortfolioCommitment): string | null {
  if (!c.partner && !c.due) return null;
  return `Check-in${c.partner ? ` with ${c.partner}` : ''}${c.due ? ` by ${longDate(c.due)}` : ''}`;
}

export function attendanceLabel(count: number): string {
  return `${count} ${count === 1 ? 'member' : 'members'} came`;
}

/** How each status tallies ("2 done · 1 carried to the next meeting"), in a fixed order, leaving out the ones with none. */
export function outcomeTally(commitments: PortfolioCommitment[]): string {
  const counts = (Object.keys(STATUS_LABELS) as CommitmentStatus[])
    .map((s) => [s, commitments.filter((c) => c.status === s).length] as const)
    .filter(([, n]) => n > 0);
  return counts.length === 0 ? 'No commitments' : counts.map(([s, n]) => `${n} ${STATUS_LABELS[s].toLowerCase()}`).join(' · ');
}

/** What the log section holds and, as much, what it leaves out. */
export function logIntro(data: PortfolioData): string {
  return data.scope === 'member'
    ? 'Every entry of yours, whoever you shared it with, and the notes on them.'
    : 'The entries its members shared with the community or the whole cohort. Entries kept private or shared with one peer partner are not here, nor the notes on any entry.';
}

/** "3 entries · 2 notes" (a member's), "2 entries shared" (a community's). */
export function logTally(data: PortfolioData): string {
  const entries = `${data.log.length} ${data.log.length === 1 ? 'entry' : 'entries'}`;
  if (data.scope === 'community') return data.log.length === 0 ? 'No entries shared' : `${entries} shared`;
  const notes = data.log.reduce((n, e) => n + e.notes.length, 0);
  return notes === 0 ? entries : `${entries} · ${notes} ${notes === 1 ? 'note' : 'notes'}`;
}

/** "12 October 2026 · Ana · Shared with the community"; the author only where the portfolio is not theirs. */
export function logEntryFacts(data: PortfolioData, e: PortfolioLogEntry): string {
  const who = data.scope === 'community' && e.author ? e.author : null;
  return [longDate(e.createdAt.slice(0, 10)), who, SHARED_LABELS[e.visibility]].filter(Boolean).join(' · ');
}

/** The fields the author filled in, in order. */
export function logEntryFields(e: PortfolioLogEntry): Array<{ field: LogField; label: string; text: string }> {
  return LOG_FIELDS.map(([field, label]) => ({ field, label, text: e[field] })).filter((f) => f.text.trim() !== '');
}

export function decisionLabel(e: PortfolioLogEntry): string | null {
  return e.decision ? `Decision: ${DECISION_LABELS[e.decision]}` : null;
}

/** "Following up: Ask the PTA chair", or null for an entry that follows no commitment. */
export function followsLabel(e: PortfolioLogEntry): string | null {
  return e.commitment ? `Following up: ${e.commitment.action}` : null;
}

/** "Ben, 13 October 2026", or "13 October 2026" when names are left out. */
export function logNoteBy(n: PortfolioLogNote): string {
  const day = longDate(n.createdAt.slice(0, 10));
  return n.author ? `${n.author}, ${day}` : day;
}

/**
 * e.g. "funds-for-need-portfolio-2026-2027.pdf"; a member's copy is
 * "<cohort>-my-year-2026-2027.pdf" (no name in it: file names travel).
 */
export function portfolioFileName(data: PortfolioData, format: ExportFormat): string {
  const years = `${data.cohort.startsOn.slice(0, 4)}-${data.cohort.endsOn.slice(0, 4)}`;
  if (data.scope === 'member') return `${slugify(data.cohort.name)}-my-year-${years}.${format}`;
  return `${slugify(data.community?.name ?? data.cohort.name)}-portfolio-${years}.${format}`;
}

/** What the pulse section holds, and what it never does. */
export function pulseIntro(data: PortfolioData): string {
  const whose = data.scope === 'member' ? 'your community’s' : 'the community’s';
  return `The trust pulse’s closed windows, oldest first: ${whose} own figures where enough of its members answered, else the whole cohort’s. Figures only, never an answer; a group of fewer answers than the floor is not shown.`;
}

export const PULSE_NOT_SHOWN = 'not shown (fewer than the floor)';

/** "Closed 12 October 2026 · 15 of 16 members of the cohort answered · floor 5 · weakest in the cohort: Predictability" */
export function pulseFacts(w: PortfolioPulse): string {
  const answered = w.respondents === null ? `fewer than ${w.floor} of ${w.members} members of the cohort answered` : `${w.respondents} of ${w.members} members of the cohort answered`;
  return [`Closed ${longDate(w.closedAt.slice(0, 10))}`, answered, `floor ${w.floor}`, w.weakest ? `weakest in the cohort: ${FACET_DEFS[w.weakest].title}` : null].filter(Boolean).join(' · ');
}

/** Whose figures a window shows: "The figures of Funds for need alone", or the cohort's, saying why (no possessive: names end in "s"). */
export function pulseGroupLabel(data: PortfolioData, w: PortfolioPulse): string {
  if (w.group === 'community') return `The figures of ${data.community?.name ?? 'the community'} alone`;
  return data.community ? `The whole cohort’s figures: none are shown for ${data.community.name} alone` : 'The whole cohort’s figures';
}

/** The facets a window asked, in the instrument's order, with their figures (null: not shown). */
export function pulseRows(w: PortfolioPulse): Array<{ facet: Facet; title: string; figure: PortfolioPulseFigure | null }> {
  return FACETS.filter((f) => f in w.facets).map((f) => ({ facet: f, title: FACET_DEFS[f].title, figure: w.facets[f] ?? null }));
}

/** "4.5 · 6 answers · ±0.8 · 25% strongly agree", as on the cohort page. */
export function pulseFigureLabel(figure: PortfolioPulseFigure | null): string {
  if (!figure) return PULSE_NOT_SHOWN;
  return `${figure.mean.toFixed(1)} · ${figure.n} answers · ±${figure.sd.toFixed(1)} · ${Math.round(figure.strongly * 100)}% strongly agree`;
}

/** "2 windows closed", for the year at a glance. */
export function pulseTally(data: PortfolioData): string {
  return data.pulse.length === 0 ? 'No window closed' : `${data.pulse.length} ${data.pulse.length === 1 ? 'window' : 'windows'} closed`;
}
