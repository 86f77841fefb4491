import { ApiError } from '../lib/api.ts';
import type { staffApi } from '../lib/yearApi.ts';

/** What every part of the cohort page shares: the staff API, a reload of the overview, and the page's live region. */
export interface StaffContext {
  api: ReturnType<typeof staffApi>;
  /** The staff key itself, for downloads (lib/downloadFile.ts sends it in the header). */
  token: string;
  /** Fetches the overview again; every change shows what the server now holds. */
  refresh: () => Promise<void>;
  /** Says `message` to screen readers (aria-live on the page). */
  announce: (message: string) => void;
}

/** The server's own words when it gave them, else `fallback`. */
export function errorText(err: unknown, fallback: string): string {
  if (err instanceof ApiError) {
    return err.status === 404 && /^not found\.?$/i.test(err.message) ? `${fallback} The server does not offer this yet.` : err.message;
  }
  return fallback;
}
