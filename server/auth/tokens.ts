import crypto from 'node:crypto';
import type { Role } from '../../shared/events.ts';
import type { SessionStore, TokenRecord } from '../storage/SessionStore.ts';

/**
 * Tokens look like `<id>.<secret>`: the id is a lookup key, the secret (192
 * random bits) is stored only as a SHA-256 hash and compared in constant time.
 */
export interface MintedToken {
  token: string;
  record: TokenRecord;
}

export interface Grant {
  /** The token's public id (never its secret). */
  tokenId: string;
  sessionId: string;
  role: Role;
  participantId: string | null;
}

const TOKEN_PATTERN = /^([A-Za-z0-9_-]{11})\.([A-Za-z0-9_-]{32})$/;

export function mintToken(sessionId: string, role: Role, participantId: string | null = null): MintedToken {
  const { token, id, secretHash } = newToken();
  return { token, record: { id, secretHash, sessionId, role, participantId } };
}

export async function verifyToken(sessions: SessionStore, token: unknown): Promise<Grant | null> {
  const presented = splitToken(token);
  if (!presented) return null;
  const record = await sessions.findToken(presented.id);
  if (!record || !sameHash(presented.secretHash, record.secretHash)) return null;
  return { tokenId: record.id, sessionId: record.sessionId, role: record.role, participantId: record.participantId };
}

/** A fresh `<id>.<secret>` token and what is stored of it; cohort tokens (year/cohortTokens.ts) are made the same way. */
export function newToken(): { token: string; id: string; secretHash: Buffer } {
  const id = crypto.randomBytes(8).toString('base64url');
  const secret = crypto.randomBytes(24).toString('base64url');
  return { token: `${id}.${secret}`, id, secretHash: hashSecret(secret) };
}

/** A presented token's lookup id and its secret's hash, or null when it is not shaped like a token. */
export function splitToken(token: unknown): { id: string; secretHash: Buffer } | null {
  if (typeof token !== 'string') return null;
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1]!, secretHash: hashSecret(match[2]!) } : null;
}

/** Constant-time comparison of two stored-form secrets. */
export function sameHash(presented: Buffer, stored: Buffer): boolean {
  return presented.length === stored.length && crypto.timingSafeEqual(presented, stored);
}

export function hashSecret(secret: string): Buffer {
  return crypto.createHash('sha256').update(secret).digest();
}

/** A random id of `bytes` bytes, base64url. */
export function randomId(bytes = 12): string {
  return crypto.randomBytes(bytes).toString('base64url');
}
