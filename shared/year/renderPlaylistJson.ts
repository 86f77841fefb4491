import type { PlaylistExport } from './playlistExport.ts';

/** The playlist as data, for another tool: the same fields the routes answer, under a format name and version. */
export function renderPlaylistJson(data: PlaylistExport): string {
  return `${JSON.stringify({ format: 'howmight-playlist', version: 1, ...data }, null, 2)}\n`;
}
