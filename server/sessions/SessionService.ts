import crypto from 'node:crypto';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, normalizeJoinCode, paths } from '../../shared/api.ts';
import type { Problem, Role } from '../../shared/events.ts';
import { initialControl } from '../../shared/protocol/control.ts';
import type { MeetingLength } from '../../shared/protocol/steps.ts';
import { nameClash } from '../../shared/names.ts';
import { mintJoinSecret, verifyJoinSecret } from '../auth/joinSecrets.ts';
import { mintToken, randomId } from '../auth/tokens.ts';
import type { SessionRecord, SessionStore } from '../storage/SessionStore.ts';

export interface CreatedSession {
  session: SessionRecord;
  facilitatorToken: string;
  projectorToken: string;
  /** For the QR code and join link only; stored as a hash (auth/joinSecrets.ts). */
  joinSecret: string;
}

/** People per session: a community of practice is a dozen; a whole staff fits. */
export const MAX_PARTICIPANTS = 40;

/** Why a join with a right code is refused. */
export type JoinRefusal = 'closed' | 'full' | 'name-taken' | 'name-reserved';

export type AdmitOutcome = { ok: true; joined: JoinedSession } | { ok: false; refusal: JoinRefusal };

export type ProjectorLinkOutcome = { ok: true; url: string } | { ok: false; problem: Problem };

export interface JoinedSession {
  sessionId: string;
  participantId: string;
  participantToken: string;
}

/** Creating and joining sessions; knows nothing of HTTP. */
export class SessionService {
  constructor(
    private readonly store: SessionStore,
    private readonly now: () => number = Date.now,
    /** Benchmarks fill rooms past the cap; the server keeps the default. */
    private readonly maxParticipants = MAX_PARTICIPANTS,
  ) {}

  async create(title: string, lengthMinutes: MeetingLength): Promise<CreatedSession> {
    const id = randomId(12);
    const facilitator = mintToken(id, 'facilitator');
    const projector = mintToken(id, 'projector');
    const join = mintJoinSecret(id);
    for (let attempt = 0; ; attempt++) {
      const session: SessionRecord = {
        id,
        title,
        lengthMinutes,
        joinCode: randomJoinCode(),
        createdAt: this.now(),
        control: initialControl(lengthMinutes),
      };
      const outcome = await this.store.createSession(session, [facilitator.record, projector.record, join.record]);
      if (outcome === 'created') {
        return { session, facilitatorToken: facilitator.token, projectorToken: projector.token, joinSecret: join.secret };
      }
      // A join code collision is possible but rare (31^6 codes); draw again.
      if (attempt >= 5) throw new Error('Could not find a free join code.');
    }
  }

  /** The session a join code opens, or null. */
  findByCode(joinCode: string): Promise<SessionRecord | null> {
    return this.store.findSessionByJoinCode(normalizeJoinCode(joinCode));
  }

  hasJoinSecret(session: SessionRecord, secret: unknown): Promise<boolean> {
    return verifyJoinSecret(this.store, session.id, secret);
  }

  /**
   * Adds a participant to a session whose code was right, unless the
   * facilitator closed joining, the session is full, or the name is a role's
   * or (after folding look-alikes, shared/names.ts) someone else's already.
   */
  async admit(session: SessionRecord, name: string): Promise<AdmitOutcome> {
    if (!session.control.joining) return { ok: false, refusal: 'closed' };
    const participants = await this.store.listParticipants(session.id);
    if (participants.length >= this.maxParticipants) return { ok: false, refusal: 'full' };
    const clash = nameClash(name, participants.map((p) => p.name));
    if (clash) return { ok: false, refusal: clash === 'reserved' ? 'name-reserved' : 'name-taken' };
    const participantId = randomId(9);
    const token = mintToken(session.id, 'participant', participantId);
    await this.store.addParticipant({ id: participantId, sessionId: session.id, name, createdAt: this.now() }, token.record);
    return { ok: true, joined: { sessionId: session.id, participantId, participantToken: token.token } };
  }

  /** A new read-only link for the projector, for the session's facilitator only. */
  async projectorLink(sessionId: string, role: Role): Promise<ProjectorLinkOutcome> {
    if (role !== 'facilitator') return { ok: false, problem: { code: 'forbidden', message: 'Only the facilitator can open the projector.' } };
    const minted = mintToken(sessionId, 'projector');
    await this.store.addToken(minted.record);
    return { ok: true, url: `${paths.projector(sessionId)}#${minted.token}` };
  }
}

/** A fresh 6-character code from the alphabet that reads well off a wall (cohorts use it too). */
export function randomJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[crypto.randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}
