import { privateDocName } from '../../shared/board/schema.ts';
import type { Grant } from '../auth/tokens.ts';

export interface DocAccess {
  sessionId: string;
  readOnly: boolean;
}

/**
 * Which documents a grant may open: the session's board (named by its id;
 * read-only for the projector), and for a participant their own private
 * drafts document, which nobody else may open.
 */
export function accessToDoc(grant: Grant | null, docName: string): DocAccess | null {
  if (!grant) return null;
  if (docName === grant.sessionId) return { sessionId: grant.sessionId, readOnly: grant.role === 'projector' };
  if (grant.participantId && docName === privateDocName(grant.sessionId, grant.participantId)) {
    return { sessionId: grant.sessionId, readOnly: false };
  }
  return null;
}
