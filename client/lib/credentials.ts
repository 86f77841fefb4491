import type { Role } from '../../shared/events.ts';

/**
 * Tokens kept in the browser. Facilitator and projector links carry their
 * token in the URL fragment; it is moved into storage and taken off the
 * address bar, so it never shows on a projected screen.
 */
export interface Credential {
  token: string;
  participantId?: string;
  name?: string;
}

const key = (role: Role, sessionId: string) => `howmight.${role}.${sessionId}`;

export function saveCredential(role: Role, sessionId: string, credential: Credential): void {
  const storage = role === 'projector' ? sessionStorage : localStorage;
  storage.setItem(key(role, sessionId), JSON.stringify(credential));
}

export function loadCredential(role: Role, sessionId: string): Credential | null {
  const storage = role === 'projector' ? sessionStorage : localStorage;
  try {
    const parsed = JSON.parse(storage.getItem(key(role, sessionId)) ?? 'null') as Credential | null;
    return parsed && typeof parsed.token === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function forgetCredential(role: Role, sessionId: string): void {
  localStorage.removeItem(key(role, sessionId));
  sessionStorage.removeItem(key(role, sessionId));
}

/** Takes a token from the URL fragment (if any) into storage, then returns the stored one. */
export function credentialFromFragment(role: Role, sessionId: string): Credential | null {
  const fragment = location.hash.slice(1);
  if (fragment) {
    saveCredential(role, sessionId, { token: fragment });
    history.replaceState(null, '', location.pathname);
  }
  return loadCredential(role, sessionId);
}
