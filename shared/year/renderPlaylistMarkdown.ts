import type { PlaylistExport } from './playlistExport.ts';
import { RESOURCE_TYPE_LABELS, TAG_LABELS, type ResourceView } from './playlist.ts';

/**
 * Markdown, escaped so that what people typed stays text: a title cannot
 * become a heading or a link, and a link is written as the checked URL
 * inside <…>, which Markdown never reads as anything but that address.
 */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

function resource(r: ResourceView): string[] {
  const lines = [`### ${escape(r.title)}${r.pinned ? ' (this month)' : ''}`, '', `- Link: <${r.url}>`, `- Type: ${RESOURCE_TYPE_LABELS[r.type]}`];
  if (r.tags.length > 0) lines.push(`- Tags: ${r.tags.map((t) => TAG_LABELS[t]).join(', ')}`);
  lines.push(`- Added by: ${escape(r.addedBy)}`);
  if (r.why) lines.push(`- Why it helps: ${escape(r.why)}`);
  if (r.usedCount !== null) lines.push(`- Used by: ${r.usedCount}`);
  if (r.usedByYou) lines.push('- You used it');
  for (const p of r.pairs) lines.push(`- ${escape(p.member)} worked on it with ${escape(p.partner)}`);
  for (const t of r.takeaways) lines.push(`- Takeaway (${escape(t.author)}): ${escape(t.text)}`);
  return [...lines, ''];
}

export function renderPlaylistMarkdown(data: PlaylistExport): string {
  const out = [`# Playlist: ${escape(data.cohort)}`, '', `Exported ${data.date}.`, ''];
  for (const list of data.playlists) {
    out.push(`## ${escape(list.name)}`, '');
    if (list.resources.length === 0) out.push('No resources yet.', '');
    for (const r of list.resources) out.push(...resource(r));
  }
  return out.join('\n');
}
