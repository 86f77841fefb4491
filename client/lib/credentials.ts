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
  /** Facilitator and projector: the session's join secret, for the QR code and join link. */
  joinSecret?: string;
  /** The session's title, so the start page can list the sessions this browser knows by name. */
  title?: string;
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

/** Keeps the session's title with its key once the server has named it (a join by code does not know it). */
export function rememberTitle(role: Role, sessionId: string, title: string): void {
  const stored = loadCredential(role, sessionId);
  if (stored && stored.title !== title) saveCredential(role, sessionId, { ...stored, title });
}

export function forgetCredential(role: Role, sessionId: string): void {
  localStorage.removeItem(key(role, sessionId));
  sessionStorage.removeItem(key(role, sessionId));
}

/**
 * Takes a token from the URL fragment (if any) into storage, then returns the
 * stored one. A facilitator or projector fragment may carry the join secret
 * after the token: `#<token>~<joinSecret>` (`~` is in neither alphabet).
 */
export function credentialFromFragment(role: Role, sessionId: string): Credential | null {
  const fragment = location.hash.slice(1);
  if (fragment) {
    const [token = '', joinSecret] = fragment.split('~');
    const stored = loadCredential(role, sessionId);
    const same = stored?.token === token;
    const keep = same ? stored.joinSecret : undefined;
    saveCredential(role, sessionId, {
      token,
      ...((joinSecret ?? keep) ? { joinSecret: joinSecret ?? keep } : {}),
      ...(same && stored.title ? { title: stored.title } : {}),
    });
    history.replaceState(null, '', location.pathname);
  }
  return loadCredential(role, sessionId);
}

/** A link's fragment for `credential`: its token, and its join secret when known. */
export function credentialFragment(credential: Credential, token = credential.token): string {
  return credential.joinSecret ? `${token}~${credential.joinSecret}` : token;
}

/**
 * This browser's id for the server's wrong-code limit, so a neighbour's
 * guessing never counts against it. Not a credential: it proves nothing.
 */
export function deviceId(): string {
  const key = 'howmight.device';
  try {
    const known = localStorage.getItem(key);
    if (known && /^[A-Za-z0-9_-]{16,64}$/.test(known)) return known;
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const fresh = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    localStorage.setItem(key, fresh);
    return fresh;
  } catch {
    // Storage blocked (private mode): the server counts this browser by its address.
    return '';
  }
}
