import type { DocRef } from '../../shared/board/DocRef.ts';
import type { Grant } from '../auth/tokens.ts';
import { openingOf } from './docAccessRules.ts';
import type { ConnectionGrant } from './Room.ts';

export interface DocAccess extends ConnectionGrant {
  sessionId: string;
}

/**
 * Which documents a grant may open, and as whom it writes there: each kind's
 * rule is in server/sync/docAccessRules.ts (the session's board, read-only for
 * the projector; a participant's own drafts, which nobody else may open).
 */
export function accessToDoc(grant: Grant | null, ref: DocRef): DocAccess | null {
  if (!grant) return null;
  const opening = openingOf(grant, ref);
  if (!opening) return null;
  return { sessionId: grant.sessionId, tokenId: grant.tokenId, reserved: grant.role !== 'participant', ...opening };
}
