/**
 * Cohort links kept in this browser, so the start page can list them and
 * nobody keeps links in their email. A staff link (`/c/<id>#<token>`) and a
 * personal link (`/m/<id>#<token>`) are moved from the address bar into
 * localStorage on first open, like the session links (credentials.ts).
 */
export type CohortRole = 'staff' | 'member';

export interface CohortCredential {
  token: string;
  /** For the start page's list; refreshed whenever the page loads. */
  cohortName?: string;
  /** Members: their own name. */
  name?: string;
  /** Staff who created the cohort: its join secret (known only at creation), for the join link and QR code. */
  joinSecret?: string;
}

const PREFIX = 'howmight.cohort.';
const key = (role: CohortRole, cohortId: string) => `${PREFIX}${role}.${cohortId}`;

export function saveCohortCredential(role: CohortRole, cohortId: string, credential: CohortCredential): void {
  try {
    localStorage.setItem(key(role, cohortId), JSON.stringify(credential));
  } catch {
    // Storage blocked: the link still works for this visit.
  }
}

export function loadCohortCredential(role: CohortRole, cohortId: string): CohortCredential | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(key(role, cohortId)) ?? 'null') as CohortCredential | null;
    return parsed && typeof parsed.token === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function forgetCohortCredential(role: CohortRole, cohortId: string): void {
  localStorage.removeItem(key(role, cohortId));
}

/** Takes the token from the URL fragment (if any) into storage and off the address bar, then returns the stored one. */
export function cohortCredentialFromFragment(role: CohortRole, cohortId: string): CohortCredential | null {
  const token = location.hash.slice(1);
  if (token) {
    const stored = loadCohortCredential(role, cohortId);
    saveCohortCredential(role, cohortId, { ...(stored?.token === token ? stored : {}), token });
    history.replaceState(null, '', location.pathname);
  }
  return loadCohortCredential(role, cohortId);
}

/** Every cohort link this browser keeps. */
export function knownCohorts(): Array<{ role: CohortRole; cohortId: string; cohortName: string | null }> {
  const out: Array<{ role: CohortRole; cohortId: string; cohortName: string | null }> = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      const match = k ? /^howmight\.cohort\.(staff|member)\.([A-Za-z0-9_-]+)$/.exec(k) : null;
      if (!match) continue;
      const credential = loadCohortCredential(match[1] as CohortRole, match[2]!);
      if (credential) out.push({ role: match[1] as CohortRole, cohortId: match[2]!, cohortName: credential.cohortName ?? null });
    }
  } catch {
    // Storage blocked: nothing is known.
  }
  return out;
}
