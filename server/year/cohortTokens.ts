import crypto from 'node:crypto';
import { JOIN_SECRET_PATTERN } from '../auth/joinSecrets.ts';
import { hashSecret, newToken, sameHash, splitToken } from '../auth/tokens.ts';
import type { CohortStore, CohortTokenKind, CohortTokenRecord } from '../storage/CohortStore.ts';

/**
 * Cohort tokens are shaped like session tokens (`<id>.<secret>`, the secret
 * stored as a SHA-256 hash) but live in their own table, so a session token
 * opens nothing of a cohort and a cohort token nothing of a session. Kinds:
 * `staff` (a facilitator's or coach's cohort link), `member` (a principal's
 * personal link), `calendar` (a member's read-only calendar feed; it rides in
 * the feed's path because calendar apps send no headers, and its path is kept
 * out of the request log).
 */
export interface CohortGrant {
  cohortId: string;
  kind: CohortTokenKind;
  holderId: string;
}

export function mintCohortToken(cohortId: string, kind: Exclude<CohortTokenKind, 'join'>, holderId: string): { token: string; record: CohortTokenRecord } {
  const { token, id, secretHash } = newToken();
  return { token, record: { id, secretHash, cohortId, kind, holderId } };
}

export async function verifyCohortToken(store: CohortStore, token: unknown, kinds: readonly CohortTokenKind[]): Promise<CohortGrant | null> {
  const presented = splitToken(token);
  if (!presented) return null;
  const record = await store.findCohortToken(presented.id);
  if (!record || !record.holderId || !kinds.includes(record.kind) || !sameHash(presented.secretHash, record.secretHash)) return null;
  return { cohortId: record.cohortId, kind: record.kind, holderId: record.holderId };
}

/** The cohort's join secret, for its QR code and join link, like a session's (auth/joinSecrets.ts). */
export function mintCohortJoinSecret(cohortId: string): { secret: string; record: CohortTokenRecord } {
  const secret = crypto.randomBytes(16).toString('base64url');
  return { secret, record: { id: `join~${cohortId}`, secretHash: hashSecret(secret), cohortId, kind: 'join', holderId: null } };
}

export async function verifyCohortJoinSecret(store: CohortStore, cohortId: string, secret: unknown): Promise<boolean> {
  if (typeof secret !== 'string' || !JOIN_SECRET_PATTERN.test(secret)) return false;
  const record = await store.findCohortToken(`join~${cohortId}`);
  return !!record && record.cohortId === cohortId && sameHash(hashSecret(secret), record.secretHash);
}
