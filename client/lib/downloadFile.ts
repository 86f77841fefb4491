import { bearerHeader } from '../../shared/bearer.ts';
import { problemOf } from './api.ts';

/**
 * Fetches a file with the token in the Authorization header (never in the
 * URL, where history and logs would keep it) and hands it to the browser
 * through a temporary object URL, under the name the server gives in
 * Content-Disposition. Returns null when saved, else words to show.
 */
export async function downloadFile(url: string, token: string, fallbackName: string): Promise<string | null> {
  try {
    const res = await fetch(url, { headers: bearerHeader(token), cache: 'no-store' });
    if (!res.ok) return (await problemOf(res))?.message ?? `The download failed (${res.status}). Try again.`;
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
    save(await res.blob(), name);
    return null;
  } catch {
    return 'Cannot reach the Howmight server. Check your connection and try again.';
  }
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file by the next task; a minute is ample on a slow device.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
