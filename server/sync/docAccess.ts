import { FACILITATOR_ACTOR } from '../../shared/board/Board.ts';
import { privateDocName } from '../../shared/board/schema.ts';
import type { Grant } from '../auth/tokens.ts';
import type { ConnectionGrant } from './Room.ts';

export interface DocAccess extends ConnectionGrant {
  sessionId: string;
}

/**
 * Which documents a grant may open, and as whom it writes there: the
 * session's board (named by its id; read-only for the projector), and for a
 * participant their own private drafts document, which nobody else may open.
 */
export function accessToDoc(grant: Grant | null, docName: string): DocAccess | null {
  if (!grant) return null;
  const facilitator = grant.role === 'facilitator';
  const actor = facilitator ? FACILITATOR_ACTOR : (grant.participantId ?? '');
  const base = { sessionId: grant.sessionId, tokenId: grant.tokenId, writer: { actor, facilitator }, reserved: grant.role !== 'participant' };
  if (docName === grant.sessionId) return { ...base, readOnly: grant.role === 'projector' || actor === '' };
  if (grant.participantId && docName === privateDocName(grant.sessionId, grant.participantId)) {
    return { ...base, readOnly: false };
  }
  return null;
}
