/**
 * Why the sync server closes a board's WebSocket: one name per cause, each with
 * its code and the reason text sent with it (a refusal may send a more precise
 * one, such as the board rule an update broke). Server and client both use the
 * names; the numbers are only what travels.
 *
 * 4000-4999 are the application's. The stock y-websocket provider treats
 * 4400-4499 as final (it stops reconnecting) and retries every other code, so
 * the range a cause sits in is part of its meaning. docs/security.md lists them.
 */
export const CLOSE_CAUSES = {
  /** A frame that is not a Yjs message, or an update against the board rules. */
  badMessage: { code: 4400, reason: 'Malformed message.' },
  forbidden: { code: 4403, reason: 'Forbidden.' },
  /** The same link opened the board in more places than it may; the oldest gives way. */
  replaced: { code: 4409, reason: 'This link was opened in another window.' },
  sessionDeleted: { code: 4410, reason: 'This session was deleted.' },
  /** Final, like the others in 44xx: a full board stays full until someone leaves, so retrying in a loop only adds load. */
  roomFull: { code: 4413, reason: 'Too many connections to this board.' },
  /** Messages (or server time) over the connection's budget. */
  tooManyMessages: { code: 4429, reason: 'Too many messages; slow down.' },
  /** The stored document could not be read; 45xx, so providers try again later. */
  loadFailed: { code: 4500, reason: 'This board could not be loaded.' },
  internalError: { code: 1011, reason: 'Server error.' },
  restart: { code: 1012, reason: 'Server restarting.' },
} as const satisfies Record<string, { code: number; reason: string }>;

export type CloseCause = keyof typeof CLOSE_CAUSES;

/** Each cause's code, for `ws.close(CLOSE.roomFull, …)`. */
export const CLOSE = Object.fromEntries(Object.entries(CLOSE_CAUSES).map(([name, { code }]) => [name, code])) as {
  readonly [C in CloseCause]: (typeof CLOSE_CAUSES)[C]['code'];
};

/** The code and reason to close with, for `ws.close(...closeWith('roomFull'))`; a refusal may pass a more precise reason. */
export function closeWith(cause: CloseCause, reason: string = CLOSE_CAUSES[cause].reason): [code: number, reason: string] {
  return [CLOSE_CAUSES[cause].code, reason];
}

const BY_CODE = new Map<number, CloseCause>(Object.entries(CLOSE).map(([name, code]) => [code, name as CloseCause]));

/** The cause a close code stands for; null for codes the server does not send (1000, 1006 a dropped line…). */
export function closeCause(code: number): CloseCause | null {
  return BY_CODE.get(code) ?? null;
}
