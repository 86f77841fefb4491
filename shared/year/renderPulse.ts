import { csvCell } from '../export/renderCsv.ts';
import { inline as md } from '../export/renderMarkdown.ts';
import { FACET_DEFS, FACETS, instrument } from './pulseInstrument.ts';
import type { FacetFigure, GroupResult } from './pulseResults.ts';
import type { PulseWindowView } from './pulse.ts';

/**
 * The trust pulse's results as files (docs/export-format.md): the closed
 * windows' figures as the server computed them, never an answer. A group
 * under the floor is written as not shown, as on screen.
 */
export interface PulseExport {
  cohort: string;
  date: string;
  /** Closed windows, oldest first. */
  windows: PulseWindowView[];
  /** Community id → name, for the communities shown. */
  communityNames: Readonly<Record<string, string>>;
}

export const PULSE_FORMAT = 'howmight-pulse';
const NOT_SHOWN = 'not shown (fewer than the floor)';

function groups(data: PulseExport, w: PulseWindowView): Array<{ name: string; result: GroupResult }> {
  if (!w.results) return [];
  return [
    { name: 'Cohort', result: w.results.cohort },
    ...Object.entries(w.results.communities).map(([id, result]) => ({ name: data.communityNames[id] ?? 'A community', result })),
  ];
}

const facetsOf = (w: PulseWindowView) => FACETS.filter((f) => instrument(w.instrument)?.items.some((i) => w.items.includes(i.id) && i.facet === f));

export function renderPulseJson(data: PulseExport): string {
  return `${JSON.stringify(
    {
      format: PULSE_FORMAT,
      version: 1,
      cohort: data.cohort,
      exportedOn: data.date,
      windows: data.windows.map((w) => ({
        label: w.label,
        instrument: { version: w.instrument, label: instrument(w.instrument)?.label ?? '', items: instrument(w.instrument)?.items.filter((i) => w.items.includes(i.id)) ?? [] },
        openedAt: new Date(w.openedAt).toISOString(),
        closedAt: w.closedAt === null ? null : new Date(w.closedAt).toISOString(),
        floor: w.floor,
        respondents: w.results?.respondents ?? null,
        members: w.results?.members ?? null,
        weakest: w.results?.weakest ?? null,
        notes: w.notes,
        groups: groups(data, w).map((g) => ({ name: g.name, facets: Object.fromEntries(facetsOf(w).map((f) => [f, g.result[f] ?? null])) })),
      })),
    },
    null,
    2,
  )}\n`;
}

export const PULSE_CSV_COLUMNS = ['window', 'closed_on', 'group', 'facet', 'mean', 'answers', 'spread', 'strongly_agree', 'respondents', 'members', 'notes'] as const;

/** RFC 4180 with CRLF and a byte order mark, the brief's cell rules; one row per window, group and facet. */
export function renderPulseCsv(data: PulseExport): string {
  const rows = [PULSE_CSV_COLUMNS.join(',')];
  for (const w of data.windows) {
    for (const g of groups(data, w)) {
      for (const f of facetsOf(w)) {
        const fig: FacetFigure | null = g.result[f] ?? null;
        rows.push(
          [
            w.label,
            w.closedAt === null ? '' : new Date(w.closedAt).toISOString().slice(0, 10),
            g.name,
            FACET_DEFS[f].title,
            fig ? fig.mean.toFixed(2) : NOT_SHOWN,
            fig?.n ?? '',
            fig ? fig.sd.toFixed(2) : '',
            fig ? fig.strongly.toFixed(2) : '',
            w.results?.respondents ?? '<5',
            w.results?.members ?? '',
            w.notes,
          ]
            .map(csvCell)
            .join(','),
        );
      }
    }
  }
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}


export function renderPulseMarkdown(data: PulseExport): string {
  const out = [`# ${md(data.cohort)} · trust pulse`, '', `Exported ${data.date}. ${md(instrument(1)?.label ?? '')} Groups of fewer answers than the floor are not shown.`, ''];
  for (const w of data.windows) {
    const r = w.results;
    out.push(`## ${md(w.label)}`, '');
    out.push(`Closed ${w.closedAt === null ? '—' : new Date(w.closedAt).toISOString().slice(0, 10)} · ${r?.respondents ? `${r.respondents} of ${r.members} answered` : 'fewer than 5 answered'}${r?.weakest ? ` · weakest: ${FACET_DEFS[r.weakest].title}` : ''}`, '');
    for (const g of groups(data, w)) {
      out.push(`### ${md(g.name)}`, '', '| Facet | Mean (1-6) | Answers | Spread | Strongly agree |', '| --- | --- | --- | --- | --- |');
      for (const f of facetsOf(w)) {
        const fig = g.result[f];
        out.push(fig ? `| ${FACET_DEFS[f].title} | ${fig.mean.toFixed(1)} | ${fig.n} | ±${fig.sd.toFixed(1)} | ${Math.round(fig.strongly * 100)}% |` : `| ${FACET_DEFS[f].title} | ${NOT_SHOWN} | | | |`);
      }
      out.push('');
    }
    if (w.notes.trim()) out.push(`What we changed because of it: ${md(w.notes)}`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
