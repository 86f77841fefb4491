import type { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { WriteRule } from '../WriteRule.ts';

type Schemas = Record<string, z.ZodType<{ id: string }>>;

/**
 * The collections a record type's commands touch, and only those, as its
 * commands see them (Board and PrivateBoard hand them their whole store). A
 * record file so names what it reads and writes, and needs nothing of the
 * document it is composed into.
 */
export interface RecordStore<S extends Schemas> {
  list<C extends keyof S & string>(collection: C): Array<z.infer<S[C]>>;
  get<C extends keyof S & string>(collection: C, id: string): z.infer<S[C]> | null;
  size(collection: keyof S & string): number;
  insert<C extends keyof S & string>(collection: C, origin: BoardOrigin, fields: Omit<z.input<S[C]>, 'id'>, id?: string): string;
  update<C extends keyof S & string>(collection: C, origin: BoardOrigin, id: string, patch: Partial<Omit<z.input<S[C]>, 'id'>>): void;
  remove(collection: keyof S & string, origin: BoardOrigin, id: string): void;
  transact(origin: BoardOrigin, fn: () => void): void;
}

/** A shared board's store: changes and removals only their author (or the facilitator) may make. */
export interface OwnedRecordStore<S extends Schemas> extends RecordStore<S> {
  updateOwn<C extends keyof S & string>(collection: C, origin: BoardOrigin, id: string, patch: Partial<Omit<z.input<S[C]>, 'id'>>): void;
  removeOwn(collection: keyof S & string, origin: BoardOrigin, id: string): void;
}

/**
 * One record type: its schema (what a stored record must be to be shown), the
 * rule the server enforces on writes to it (shared/board/writeRules.ts), and
 * its intent-named commands, made for one document's store. The document's
 * wrapper (Board, PrivateBoard) composes these, so a new record type is one
 * file plus one line in shared/board/schema.ts.
 */
export interface RecordType<Store, Commands extends object = object> {
  readonly schema: z.ZodObject;
  readonly rule: WriteRule;
  readonly commands: (store: Store) => Commands;
}

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/** Every command of a composition of record types, as one object type. */
export type CommandsOf<R extends Record<string, { commands: (store: never) => object }>> = UnionToIntersection<ReturnType<R[keyof R]['commands']>>;

/** Each record type's schema, by collection name: the layout DocCollections reads. */
export type SchemasOf<R extends Record<string, { schema: z.ZodObject }>> = { [K in keyof R]: R[K]['schema'] };

export function schemasOf<R extends Record<string, { schema: z.ZodObject }>>(records: R): SchemasOf<R> {
  return Object.fromEntries(Object.entries(records).map(([name, record]) => [name, record.schema])) as SchemasOf<R>;
}

export function rulesOf<R extends Record<string, { rule: WriteRule }>>(records: R): { readonly [K in keyof R]: WriteRule } {
  return Object.fromEntries(Object.entries(records).map(([name, record]) => [name, record.rule])) as { [K in keyof R]: WriteRule };
}
