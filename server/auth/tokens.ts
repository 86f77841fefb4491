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
  const id = crypto.randomBytes(8).toString('base64url');
  const secret = crypto.randomBytes(24).toString('base64url');
  return {
    token: `${id}.${secret}`,
    record: { id, secretHash: hashSecret(secret), sessionId, role, participantId },
  };
}

export async function verifyToken(sessions: SessionStore, token: unknown): Promise<Grant | null> {
  if (typeof token !== 'string') return null;
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const record = await sessions.findToken(match[1]!);
  if (!record) return null;
  const presented = hashSecret(match[2]!);
  if (presented.length !== record.secretHash.length || !crypto.timingSafeEqual(presented, record.secretHash)) return null;
  return { tokenId: record.id, sessionId: record.sessionId, role: record.role, participantId: record.participantId };
}

function hashSecret(secret: string): Buffer {
  return crypto.createHash('sha256').update(secret).digest();
}

/** A random id of `bytes` bytes, base64url. */
export function randomId(bytes = 12): string {
  return crypto.randomBytes(bytes).toString('base64url');
}
