/**
 * Every Yjs transaction origin Howmight uses, one union. The origin says who
 * made a change: the sync server relays an update to every socket except the
 * one it came from, records written through Board's commands carry their
 * actor as `authorId`, and the client counts its own unsent changes by it.
 * Server code builds origins with the constants and constructors below, never
 * from bare strings (docs/board-schema.md, "In the code").
 */

/** The facilitator's actor id: may tidy up anyone's records. */
export const FACILITATOR_ACTOR = 'facilitator';

/** A person editing through Board's commands: a participant id or FACILITATOR_ACTOR. */
export interface PersonOrigin {
  /** Optional so the literal `{ actor }` a browser builds stays a person's origin. */
  readonly kind?: 'person';
  readonly actor: string;
}

/** The server's own marker actors, which nobody can sign in as. */
export type ServerActor = typeof SERVER_ACTOR | typeof ANONYMOUS_ACTOR | CarriedActor;

/** The server writing on nobody's behalf: repairing a record a refused update broke, revealing drafts. */
export const SERVER_ACTOR = 'server';

/**
 * The author of every note revealed in anonymous mode: the server writes them
 * on nobody's behalf, so no document links a note to its writer. Only the
 * writer's private drafts document says which notes are theirs
 * (shared/board/records/anonymousNotes.ts).
 */
export const ANONYMOUS_ACTOR = 'anonymous';

/**
 * Next month's meeting continues the inquiry on a new board. The people on it
 * have new participant ids, so carried-over commitments cannot belong to
 * anyone there: they are authored by marker actors `carried-1`, `carried-2`, …
 * (docs/export-format.md).
 */
export const CARRIED_ACTOR_PREFIX = 'carried-';
export type CarriedActor = `${typeof CARRIED_ACTOR_PREFIX}${number}`;

export interface ServerOrigin {
  readonly kind: 'server';
  readonly actor: ServerActor;
}

/**
 * An update that arrived over one sync connection. Compared by identity: the
 * room relays the update to every other connection.
 */
export interface ConnectionOrigin<C extends object = object> {
  readonly kind: 'connection';
  readonly connection: C;
}

/**
 * An update another server process has already stored, received over the bus
 * (or read from the log to fill a gap) when documents are served by several
 * processes. A room relays it to its own sockets and never appends it to the
 * log a second time.
 */
export interface PeerOrigin {
  readonly kind: 'peer';
}

/** Whoever records are written as: what Board's and PrivateBoard's commands take. */
export type ActorOrigin = PersonOrigin | ServerOrigin;

export type TxOrigin = ActorOrigin | ConnectionOrigin | PeerOrigin;

export const PEER_ORIGIN = { kind: 'peer' } as const satisfies PeerOrigin;

export const SERVER_ORIGIN = { kind: 'server', actor: SERVER_ACTOR } as const satisfies ServerOrigin;

export const ANONYMOUS_ORIGIN = { kind: 'server', actor: ANONYMOUS_ACTOR } as const satisfies ServerOrigin;

export function carriedActor(index: number): CarriedActor {
  return `${CARRIED_ACTOR_PREFIX}${index + 1}`;
}

export function isCarriedActor(authorId: string): boolean {
  return authorId.startsWith(CARRIED_ACTOR_PREFIX);
}

/** The origin of the `index`th carried-over commitment (0-based). */
export function carriedOrigin(index: number): ServerOrigin {
  return { kind: 'server', actor: carriedActor(index) };
}

export function personOrigin(actor: string): PersonOrigin {
  return { kind: 'person', actor };
}

export function connectionOrigin<C extends object>(connection: C): ConnectionOrigin<C> {
  return { kind: 'connection', connection };
}

/** The connection an update came in on, or null when it did not come from one. */
export function connectionOf(origin: unknown): object | null {
  if (typeof origin !== 'object' || origin === null) return null;
  const candidate = origin as Partial<ConnectionOrigin>;
  return candidate.kind === 'connection' && candidate.connection ? candidate.connection : null;
}

/** Whether an update came from another server process, already stored. */
export function isPeerOrigin(origin: unknown): boolean {
  return origin === PEER_ORIGIN;
}
