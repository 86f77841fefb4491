import crypto from 'node:crypto';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, normalizeJoinCode } from '../../shared/api.ts';
import { initialControl } from '../../shared/protocol/control.ts';
import type { MeetingLength } from '../../shared/protocol/steps.ts';
import { mintToken, randomId } from '../auth/tokens.ts';
import type { SessionRecord, Store } from '../store/Store.ts';

export interface CreatedSession {
  session: SessionRecord;
  facilitatorToken: string;
  projectorToken: string;
}

export interface JoinedSession {
  sessionId: string;
  participantId: string;
  participantToken: string;
}

/** Creating and joining sessions; knows nothing of HTTP. */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  create(title: string, lengthMinutes: MeetingLength): CreatedSession {
    const id = randomId(12);
    const facilitator = mintToken(id, 'facilitator');
    const projector = mintToken(id, 'projector');
    for (let attempt = 0; ; attempt++) {
      const session: SessionRecord = {
        id,
        title,
        lengthMinutes,
        joinCode: randomJoinCode(),
        createdAt: this.now(),
        control: initialControl(lengthMinutes),
      };
      try {
        this.store.createSession(session, [facilitator.record, projector.record]);
        return { session, facilitatorToken: facilitator.token, projectorToken: projector.token };
      } catch (err) {
        // A join code collision is possible but rare (31^6 codes); draw again.
        if (attempt < 5 && /UNIQUE.*join_code/.test((err as Error).message)) continue;
        throw err;
      }
    }
  }

  /** Returns null when no session has that code. */
  join(joinCode: string, name: string): JoinedSession | null {
    const session = this.store.findSessionByJoinCode(normalizeJoinCode(joinCode));
    if (!session) return null;
    const participantId = randomId(9);
    const token = mintToken(session.id, 'participant', participantId);
    this.store.addParticipant({ id: participantId, sessionId: session.id, name, createdAt: this.now() }, token.record);
    return { sessionId: session.id, participantId, participantToken: token.token };
  }
}

function randomJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[crypto.randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}
