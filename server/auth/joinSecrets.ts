import crypto from 'node:crypto';
import type { SessionStore, TokenRecord } from '../storage/SessionStore.ts';

/**
 * A session's join secret rides in the QR code and the join link
 * (`/j/<code>#<secret>`) next to the short code. It has 128 random bits, so
 * unlike the code it cannot be guessed, and a join carrying it skips the
 * wrong-code limit: a school whose network is also sending wrong codes still
 * gets in by scanning.
 *
 * Stored like a token, as a SHA-256 hash in the tokens table, under the id
 * `join~<sessionId>`. `~` is outside the token id alphabet (tokens.ts), so
 * verifyToken can never find this row and it grants no role; the role column
 * only needs a value its CHECK accepts. Deleting the session deletes it.
 */
export const JOIN_SECRET_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const rowId = (sessionId: string) => `join~${sessionId}`;

export function mintJoinSecret(sessionId: string): { secret: string; record: TokenRecord } {
  const secret = crypto.randomBytes(16).toString('base64url');
  return { secret, record: { id: rowId(sessionId), secretHash: hash(secret), sessionId, role: 'projector', participantId: null } };
}

export async function verifyJoinSecret(sessions: SessionStore, sessionId: string, secret: unknown): Promise<boolean> {
  if (typeof secret !== 'string' || !JOIN_SECRET_PATTERN.test(secret)) return false;
  const record = await sessions.findToken(rowId(sessionId));
  if (!record || record.sessionId !== sessionId) return false;
  const presented = hash(secret);
  return presented.length === record.secretHash.length && crypto.timingSafeEqual(presented, record.secretHash);
}

function hash(secret: string): Buffer {
  return crypto.createHash('sha256').update(secret).digest();
}
