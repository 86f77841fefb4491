import { csvCell } from '../export/renderCsv.ts';
import { inline as md } from '../export/renderMarkdown.ts';
import { CATEGORIES } from '../protocol/categories.ts';
import type { BreakoutsView } from './breakouts.ts';

/**
 * A cohort meeting's groups as files (docs/export-format.md): every group's
 * name, members, step reached and result (final questions, heaviest
 * category, commitments), for the cohort's records. What a group wrote stays
 * in its own board's brief.
 */
export interface BreakoutsExport {
  meeting: string;
  date: string;
  view: BreakoutsView;
}

export const BREAKOUTS_FORMAT = 'howmight-breakouts';

export function renderBreakoutsJson(data: BreakoutsExport): string {
  return `${JSON.stringify(
    {
      format: BREAKOUTS_FORMAT,
      version: 1,
      meeting: data.meeting,
      exportedOn: data.date,
      groups: data.view.groups.map((g) => ({
        name: g.name,
        coach: g.coach,
        members: g.people.map((p) => p.name),
        step: g.stepTitle,
        items: g.notes,
        questions: g.result.questions,
        heaviest: g.result.heaviest,
        commitments: g.result.commitments,
      })),
    },
    null,
    2,
  )}\n`;
}

export const BREAKOUTS_CSV_COLUMNS = ['group', 'coach', 'members', 'step', 'items', 'questions', 'heaviest', 'commitments'] as const;

export function renderBreakoutsCsv(data: BreakoutsExport): string {
  const rows = [BREAKOUTS_CSV_COLUMNS.join(',')];
  for (const g of data.view.groups) {
    rows.push(
      [g.name, g.coach ?? '', g.people.map((p) => p.name).join('; '), g.stepTitle, g.notes, g.result.questions.join(' | '), g.result.heaviest ?? '', g.result.commitments]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}


export function renderBreakoutsMarkdown(data: BreakoutsExport): string {
  const out = [`# ${md(data.meeting)} · groups`, '', `Exported ${data.date}.`, ''];
  for (const g of data.view.groups) {
    out.push(`## ${md(g.name)}`, '');
    out.push(`Members: ${g.people.map((p) => md(p.name)).join(', ')}${g.coach ? ` · coach: ${md(g.coach)}` : ''}`, '');
    out.push(`Reached: ${md(g.stepTitle)} · ${g.notes} items written · ${g.result.commitments} commitments${g.result.heaviest ? ` · heaviest: ${CATEGORIES[g.result.heaviest].title}` : ''}`, '');
    for (const q of g.result.questions) out.push(`- ${md(q)}`);
    if (g.result.questions.length) out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
