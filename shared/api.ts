import { z } from 'zod';
import { cleanName, nameKey } from './names.ts';
import type { JoinProblemCode, ProblemBody } from './problem.ts';
import { MEETING_LENGTHS } from './protocol/steps.ts';

/** The public HTTP contract: request schemas and response shapes. */

export const LIMITS_HTTP = {
  titleLength: 120,
  nameLength: 40,
} as const;

/** Join codes: 6 characters, no 0/O or 1/I/L so they can be read off a wall. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

export function normalizeJoinCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '');
}

export const createSessionBody = z.object({
  title: z
    .string({ error: 'title is required' })
    .trim()
    .min(1, 'title must not be blank')
    .max(LIMITS_HTTP.titleLength, `title must be at most ${LIMITS_HTTP.titleLength} characters`),
  lengthMinutes: z
    .union(
      MEETING_LENGTHS.map((n) => z.literal(n)),
      { error: `lengthMinutes must be one of ${MEETING_LENGTHS.join(', ')}` },
    )
    .default(90),
  /**
   * Last meeting's JSON export, to carry its anchor questions, heaviest
   * category and commitments forward. Checked with parseInquiry
   * (shared/export/jsonSchema.ts), which says what is wrong with a bad one.
   */
  from: z.unknown().optional(),
});
export type CreateSessionBody = z.input<typeof createSessionBody>;

export interface CreateSessionResponse {
  id: string;
  joinCode: string;
  facilitatorToken: string;
  projectorToken: string;
  /**
   * 128 random bits for the QR code and join link (`urls.participant` ends in
   * `#<joinSecret>`): a join carrying it is never held up by the wrong-code
   * limit. Shown only to whoever created the session; stored as a hash.
   */
  joinSecret: string;
  urls: { facilitator: string; participant: string; projector: string };
}

/** A browser's id for the wrong-code limit, kept in localStorage (not a credential). */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export const joinSessionBody = z.object({
  joinCode: z.string({ error: 'joinCode is required' }).max(32, 'joinCode is too long'),
  name: z
    .string({ error: 'name is required' })
    .trim()
    .min(1, 'name must not be blank')
    .max(LIMITS_HTTP.nameLength, `name must be at most ${LIMITS_HTTP.nameLength} characters`)
    .transform(cleanName)
    // A name of invisible characters only would show as nobody.
    .refine((name) => nameKey(name) !== '', 'name must not be blank'),
  /** From the join link's fragment; see CreateSessionResponse.joinSecret. */
  joinSecret: z.string().max(64, 'joinSecret is too long').optional(),
  /** Wrong codes are counted per device, so one guessing laptop does not lock out the school. */
  deviceId: z.string().regex(DEVICE_ID_PATTERN, 'deviceId must be 16 to 64 letters, digits, - or _').optional(),
});

export type JoinSessionBody = z.input<typeof joinSessionBody>;

/**
 * The join page (`/j/<code>`, what the QR code opens) names the session before
 * anyone joins. Held to the same limits as a join: a wrong code is a miss.
 */
export const lookupSessionBody = joinSessionBody.pick({ joinCode: true, joinSecret: true, deviceId: true });
export type LookupSessionBody = z.input<typeof lookupSessionBody>;

/** Only the title: the code is on the wall, so the title is no secret, but nothing else is told. */
export interface LookupSessionResponse {
  title: string;
}

/** Why a join is refused, for clients to switch on (the problem's `message` says it in words). */
export type JoinProblem = JoinProblemCode;

export interface JoinSessionResponse {
  sessionId: string;
  participantId: string;
  participantToken: string;
}

/** Every HTTP error answer's body (shared/problem.ts). */
export type ApiError = ProblemBody;

/** Client-side paths; the server serves the app for each of them. */
export const paths = {
  facilitator: (sessionId: string) => `/s/${sessionId}/facilitate`,
  projector: (sessionId: string) => `/s/${sessionId}/project`,
  participant: (sessionId: string) => `/s/${sessionId}`,
  join: (joinCode: string, joinSecret?: string) => `/j/${joinCode}${joinSecret ? `#${joinSecret}` : ''}`,
};
