import type { SessionYear } from '../../../shared/year/api.ts';
import { loadCredential } from '../../lib/credentials.ts';
import { router } from '../../lib/router.svelte.ts';
import { yearApi } from '../../lib/yearApi.ts';

/** The year's view of this meeting, with who presented before (another part of GET /year adds it; absent, nobody is hinted). */
export type YearOfMeeting = SessionYear & { presented?: string[] };

/**
 * This meeting's place in the year, for a step that needs it (the commitment
 * review, the question's revision, the presenter rotation). The step finds
 * its session and key from the route and the browser's stored credential, as
 * the views that opened the session did. A standalone session has no year.
 */
export class MeetingYear {
  year = $state<YearOfMeeting | null>(null);
  loaded = $state(false);
  readonly sessionId: string | null;
  readonly token: string | null;

  constructor() {
    const route = router.route;
    const sessionId = 'sessionId' in route ? route.sessionId : null;
    const role = route.name === 'facilitator' || route.name === 'projector' || route.name === 'participant' ? route.name : null;
    this.sessionId = sessionId;
    this.token = sessionId && role ? (loadCredential(role, sessionId)?.token ?? null) : null;
  }

  /** Who has presented this year, by name, when the year says. */
  get presented(): string[] | null {
    const names = this.year?.presented;
    return Array.isArray(names) ? names : null;
  }

  async load(): Promise<void> {
    if (!this.sessionId || !this.token) return void (this.loaded = true);
    try {
      this.year = (await yearApi.sessionYear(this.sessionId, this.token)).year as YearOfMeeting | null;
    } catch {
      // The step still works as a board without the year; the year banner says why it is missing.
      this.year = null;
    } finally {
      this.loaded = true;
    }
  }
}
