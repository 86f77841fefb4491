import { slugify } from '../export/fileName.ts';
import type { PlaylistView } from './playlist.ts';

/** What a playlist download holds: one playlist (staff) or a member's two (their community's and the cohort's). */
export interface PlaylistExport {
  /** The cohort's name. */
  cohort: string;
  /** YYYY-MM-DD, the day it was made. */
  date: string;
  playlists: PlaylistView[];
}

/** e.g. "funds-for-need-playlist-2026-10-13.md". */
export function playlistFileName(data: PlaylistExport, format: string): string {
  const name = data.playlists.length === 1 ? data.playlists[0]!.name : 'my';
  return `${slugify(name)}-playlist-${data.date}.${format}`;
}
