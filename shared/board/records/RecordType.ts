import type { z } from 'zod';
import type { WriteRule } from '../writeRules.ts';

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
