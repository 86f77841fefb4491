import { csvCell } from '../export/renderCsv.ts';
import type { PlaylistExport } from './playlistExport.ts';

/** The columns, in order: one row per resource (docs/export-format.md). */
export const PLAYLIST_CSV_COLUMNS = [
  'playlist',
  'position',
  'title',
  'url',
  'type',
  'tags',
  'why',
  'added_by',
  'shared_to_cohort',
  'pinned',
  'used',
  'pairs',
  'takeaways',
] as const;

/**
 * RFC 4180 with CRLF and a UTF-8 byte order mark (so spreadsheets read accents right),
 * with the meeting brief's cell rules (csvCell: quoting, and a leading apostrophe on
 * anything a spreadsheet would run as a formula).
 * `used` is the count for staff, yes/no for a member's own mark.
 */
export function renderPlaylistCsv(data: PlaylistExport): string {
  const rows: string[] = [PLAYLIST_CSV_COLUMNS.join(',')];
  for (const list of data.playlists) {
    for (const [index, r] of list.resources.entries()) {
      const used = r.usedCount !== null ? r.usedCount : r.usedByYou === null ? null : r.usedByYou ? 'yes' : 'no';
      const cells = [
        list.name,
        // Its place in the list as read (stored positions may have gaps).
        index + 1,
        r.title,
        r.url,
        r.type,
        r.tags.join(' '),
        r.why,
        r.addedBy,
        r.sharedToCohort ? 'yes' : 'no',
        r.pinned ? 'yes' : 'no',
        used,
        r.pairs.map((p) => `${p.member} with ${p.partner}`).join('; '),
        r.takeaways.map((t) => `${t.author}: ${t.text}`).join('; '),
      ];
      rows.push(cells.map(csvCell).join(','));
    }
  }
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
