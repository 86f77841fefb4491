import * as decoding from 'lib0/decoding';
import { notes } from '../../shared/board/records/notes.ts';

/**
 * A linear, read-only pass over the bytes of a Yjs (v1) update, before anything
 * is applied. Applying an update can cost far more than its size suggests
 * (Yjs splits and re-sorts structs as it integrates them), so the shape is
 * checked first, against caps that bound what an apply may cost:
 * - a record is a Y.Map set directly in a collection, and its fields are plain
 *   values (JSON primitives or arrays of them): no Y.Text, embeds, format
 *   attributes, binary content, subdocuments or nested types, which could
 *   carry payloads the record's visible fields do not show;
 * - at most `maxStructs` structs and `maxDeleteRanges` delete ranges per
 *   client, the ranges ascending and non-overlapping, as Yjs writes them.
 * The pass stops at the first problem, so a refusal costs no more than the
 * bytes read up to it.
 */
export interface ScanLimits {
  /** Largest update a client may send; the frame cap (2 MiB) is for the whole socket. */
  maxBytes: number;
  maxStructs: number;
  /** Most existing items one update may delete (a record counts with each of its fields). */
  maxDeletedItems: number;
  maxDeleteRanges: number;
  /** Longest string a field may hold (characters); records' own limits are smaller. */
  maxValueChars: number;
  /** Longest array a field may hold. */
  maxArrayItems: number;
}

/**
 * Structs in one participant's whole quota of new notes, written offline and
 * sent as one update: each note is its map and one struct per field (the
 * schema's keys, its id counted for the map), so the cap follows the schema.
 */
const FULL_QUOTA_OF_NOTES = notes.rule.quota * Object.keys(notes.schema.shape).length;

export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  maxBytes: 256 * 1024,
  maxStructs: Math.max(1500, FULL_QUOTA_OF_NOTES),
  maxDeletedItems: 1500,
  maxDeleteRanges: 1500,
  maxValueChars: 5000,
  maxArrayItems: 64,
};

export interface Id {
  client: number;
  clock: number;
}

/** A plain field value as a record may hold it. */
export type FieldValue = string | number | boolean | null | Array<string | number | boolean | null>;

export type ScannedStruct =
  | { kind: 'gc'; client: number; clock: number; length: number }
  | {
      kind: 'item';
      client: number;
      clock: number;
      length: number;
      origin: Id | null;
      rightOrigin: Id | null;
      /** A collection's name when the item sits directly in one; an item id when inside a record; null when inherited from an origin. */
      parent: { root: string } | { item: Id } | null;
      parentSub: string | null;
      content: { type: 'map' } | { type: 'value'; value: FieldValue } | { type: 'deleted' };
    };

export interface ScannedUpdate {
  structs: ScannedStruct[];
  /** client → [clock, length] ranges, ascending. */
  deletes: Map<number, Array<[number, number]>>;
}

export class UpdateRefusal extends Error {}

/** A Skip in the update: it leaves out changes it builds on (WriteGuard reports it as MissingDependencies). */
export class SkippedChanges extends UpdateRefusal {}

const BIT_ORIGIN = 0x80;
const BIT_RIGHT_ORIGIN = 0x40;
const BIT_PARENT_SUB = 0x20;
const Y_MAP_TYPE_REF = 1;

export function scanUpdate(update: Uint8Array, roots: ReadonlySet<string>, limits: ScanLimits = DEFAULT_SCAN_LIMITS): ScannedUpdate {
  if (update.length > limits.maxBytes) throw new UpdateRefusal(`an update of more than ${Math.round(limits.maxBytes / 1024)} KiB`);
  const decoder = decoding.createDecoder(update);
  try {
    const structs = readStructs(decoder, roots, limits);
    const deletes = readDeletes(decoder, limits);
    return { structs, deletes };
  } catch (err) {
    if (err instanceof UpdateRefusal) throw err;
    // lib0 throws plain errors (or RangeErrors) on truncated or malformed bytes.
    throw new UpdateRefusal('unreadable update');
  }
}

function readStructs(decoder: decoding.Decoder, roots: ReadonlySet<string>, limits: ScanLimits): ScannedStruct[] {
  const structs: ScannedStruct[] = [];
  const clients = decoding.readVarUint(decoder);
  const seenClients = new Set<number>();
  for (let c = 0; c < clients; c++) {
    const count = decoding.readVarUint(decoder);
    const client = decoding.readVarUint(decoder);
    let clock = decoding.readVarUint(decoder);
    if (seenClients.has(client)) throw new UpdateRefusal('a client appears twice');
    seenClients.add(client);
    if (structs.length + count > limits.maxStructs) throw new UpdateRefusal(`more than ${limits.maxStructs} changes in one update`);
    for (let i = 0; i < count; i++) {
      const info = decoding.readUint8(decoder);
      const ref = info & 0x1f;
      if (ref === 0) {
        const length = decoding.readVarUint(decoder);
        structs.push({ kind: 'gc', client, clock, length });
        clock += length;
        continue;
      }
      // 10 is a Skip: a gap in what the update carries, which this server never accepts.
      if (ref === 10) throw new SkippedChanges('it builds on changes this server never received');
      const origin = info & BIT_ORIGIN ? readId(decoder) : null;
      const rightOrigin = info & BIT_RIGHT_ORIGIN ? readId(decoder) : null;
      let parent: { root: string } | { item: Id } | null = null;
      let parentSub: string | null = null;
      if (origin === null && rightOrigin === null) {
        if (decoding.readVarUint(decoder) === 1) {
          const root = decoding.readVarString(decoder);
          if (!roots.has(root)) throw new UpdateRefusal(`unknown collection "${root.slice(0, 40)}"`);
          parent = { root };
        } else {
          parent = { item: readId(decoder) };
        }
        if (info & BIT_PARENT_SUB) parentSub = decoding.readVarString(decoder);
        else throw new UpdateRefusal('list content; records and fields live in maps');
      }
      const { content, length } = readContent(decoder, ref, limits);
      structs.push({ kind: 'item', client, clock, length, origin, rightOrigin, parent, parentSub, content });
      clock += length;
    }
  }
  return structs;
}

function readContent(
  decoder: decoding.Decoder,
  ref: number,
  limits: ScanLimits,
): { content: Extract<ScannedStruct, { kind: 'item' }>['content']; length: number } {
  switch (ref) {
    case 1: {
      const length = decoding.readVarUint(decoder);
      if (length < 1) throw new UpdateRefusal('an empty struct');
      return { content: { type: 'deleted' }, length };
    }
    case 7: {
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef !== Y_MAP_TYPE_REF) throw new UpdateRefusal('a shared type other than a record map');
      return { content: { type: 'map' }, length: 1 };
    }
    case 8: {
      const length = decoding.readVarUint(decoder);
      if (length !== 1) throw new UpdateRefusal('list content; a field holds one value');
      return { content: { type: 'value', value: plainValue(decoding.readAny(decoder), limits) }, length };
    }
    case 4:
      throw new UpdateRefusal('text content; fields hold plain values');
    case 5:
    case 6:
      throw new UpdateRefusal('embeds or formatting; fields hold plain values');
    case 3:
      throw new UpdateRefusal('binary content');
    case 9:
      throw new UpdateRefusal('a subdocument');
    default:
      throw new UpdateRefusal('content of a kind this board does not use');
  }
}

function plainValue(value: unknown, limits: ScanLimits): FieldValue {
  if (Array.isArray(value)) {
    if (value.length > limits.maxArrayItems) throw new UpdateRefusal(`a list of more than ${limits.maxArrayItems} values`);
    for (const entry of value) if (Array.isArray(entry) || !isPrimitive(entry, limits)) throw new UpdateRefusal('a field value that is not plain');
    return value as FieldValue;
  }
  if (!isPrimitive(value, limits)) throw new UpdateRefusal('a field value that is not plain');
  return value as FieldValue;
}

function isPrimitive(value: unknown, limits: ScanLimits): boolean {
  switch (typeof value) {
    case 'string':
      if (value.length > limits.maxValueChars) throw new UpdateRefusal(`a value of more than ${limits.maxValueChars} characters`);
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    default:
      return value === null;
  }
}

function readDeletes(decoder: decoding.Decoder, limits: ScanLimits): Map<number, Array<[number, number]>> {
  const deletes = new Map<number, Array<[number, number]>>();
  const clients = decoding.readVarUint(decoder);
  for (let c = 0; c < clients; c++) {
    const client = decoding.readVarUint(decoder);
    const count = decoding.readVarUint(decoder);
    if (deletes.has(client)) throw new UpdateRefusal('a client appears twice among the deletions');
    if (count > limits.maxDeleteRanges) throw new UpdateRefusal(`more than ${limits.maxDeleteRanges} deletions for one writer`);
    const ranges: Array<[number, number]> = [];
    let end = 0;
    for (let i = 0; i < count; i++) {
      const clock = decoding.readVarUint(decoder);
      const length = decoding.readVarUint(decoder);
      if (length < 1) throw new UpdateRefusal('an empty deletion');
      if (clock < end) throw new UpdateRefusal('deletions out of order or overlapping');
      end = clock + length;
      ranges.push([clock, length]);
    }
    deletes.set(client, ranges);
  }
  if (decoding.hasContent(decoder)) throw new UpdateRefusal('bytes after the end of the update');
  return deletes;
}

function readId(decoder: decoding.Decoder): Id {
  const client = decoding.readVarUint(decoder);
  const clock = decoding.readVarUint(decoder);
  return { client, clock };
}
