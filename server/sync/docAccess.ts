import type { Grant } from '../auth/tokens.ts';

export interface DocAccess {
  sessionId: string;
  readOnly: boolean;
}

/**
 * Which documents a grant may open. A session's board is named by its id;
 * only the projector's link is read-only.
 */
export function accessToDoc(grant: Grant | null, docName: string): DocAccess | null {
  if (!grant) return null;
  if (docName !== grant.sessionId) return null;
  return { sessionId: grant.sessionId, readOnly: grant.role === 'projector' };
}
