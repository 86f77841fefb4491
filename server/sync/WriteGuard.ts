import * as Y from 'yjs';
import type { z } from 'zod';
import { DOC_META } from '../../shared/board/migrateDoc.ts';
import { FACILITATOR_RESERVE, MAX_RECORD_BYTES, STEP_GRACE_MS, type WriteRule } from '../../shared/board/writeRules.ts';
import { presenterListens, stepStillOpen, type ControlState } from '../../shared/protocol/control.ts';
import { STEP_IDS, STEPS, type StepId } from '../../shared/protocol/steps.ts';
import { DEFAULT_SCAN_LIMITS, scanUpdate, SkippedChanges, UpdateRefusal, type FieldValue, type Id, type ScanLimits } from './scanUpdate.ts';
import { AuthorCounts } from './AuthorCounts.ts';
import { MissingDependencies, UpdateResolver, WriteRefusal, type Target } from './UpdateResolver.ts';

export { MissingDependencies, WriteRefusal };

/** Who is writing over one connection. */
export interface Writer {
  /** The id records carry as `authorId`: a participant id, or 'facilitator'. */
  actor: string;
  facilitator: boolean;
}

/** What the session's control plane says right now; null for a private document. */
export interface GuardContext {
  control: ControlState | null;
  now: number;
  /** How long a step still takes writes after it was left (STEP_GRACE_MS unless a test shortens it). */
  stepGraceMs?: number;
}

export interface DocRules {
  schemas: Record<string, z.ZodObject>;
  rules: Readonly<Record<string, WriteRule>>;
  /** The shared board obeys the lock, the steps and voting; a private document only its owner writes. */
  shared: boolean;
  itemCap: number;
}

interface RecordWrite {
  collection: string;
  key: string;
  /** The record's map item. */
  record: Id;
  created: boolean;
  fields: Map<string, FieldValue[]>;
  /** Its author as stored, or as the update writes it for a new record. */
  authorId: string | null;
  /**
   * Whether the update removes a field value without it being certain what
   * replaces it: a deleted entry, a value it deletes itself, or a delete range
   * on a field it writes no value to. Only such records, and new ones, can end
   * up incomplete, so only they are re-read whole after the apply: every value
   * written was checked against its field.
   */
  removesValues: boolean;
  /**
   * Fields whose old value the update deletes while writing a checked new one
   * (a move: the old x goes, the new x comes). After the apply such a field
   * only has to still hold a value, which is all `verify` looks at; a crafted
   * placement could leave the deleted item as the field's entry.
   */
  replaced: Set<string>;
}


/**
 * Decides, before an update is applied and without applying it anywhere, whether
 * a connection's writer may make it. It reads the update once (scanUpdate), finds
 * which record and field each change lands in (from the update itself or the
 * document's existing structs, read-only), and checks each against the record
 * type's rules: authorship, immutable fields, field schemas, quotas, the lock,
 * the step and voting. Nothing is applied for a refused update, so a refusal
 * costs no more than reading it.
 *
 * After the room applies an accepted update, `verify` re-reads only the records
 * it touched: a change that passed every field check can still leave a record
 * incomplete (a crafted deletion of a required field), and such a record is
 * put back as it was, by the server, at once.
 */
export class WriteGuard {
  private readonly roots: Set<string>;
  /**
   * What the scan may read: the collections and the server's own schema
   * version. A client holds the version (it came with the board) and may send
   * it back unchanged, say from its browser's copy; only a change to it is refused.
   */
  private readonly readableRoots: Set<string>;
  private readonly rootNames = new Map<Y.AbstractType<unknown>, string>();
  private readonly counts: AuthorCounts;

  constructor(
    private readonly doc: Y.Doc,
    private readonly docRules: DocRules,
    private readonly scanLimits: ScanLimits = DEFAULT_SCAN_LIMITS,
  ) {
    this.roots = new Set(Object.keys(docRules.schemas));
    this.readableRoots = new Set([...this.roots, DOC_META]);
    for (const name of this.roots) this.rootNames.set(doc.getMap(name) as Y.AbstractType<unknown>, name);
    this.counts = new AuthorCounts(doc, this.rootNames);
  }

  /** Throws WriteRefusal when `writer` may not make `update`; returns the records it touches. */
  check(update: Uint8Array, writer: Writer, ctx: GuardContext): RecordWrite[] {
    let scanned;
    try {
      scanned = scanUpdate(update, this.readableRoots, this.scanLimits);
    } catch (err) {
      if (err instanceof SkippedChanges) throw new MissingDependencies(err.message);
      if (err instanceof UpdateRefusal) throw new WriteRefusal(err.message);
      throw err;
    }
    const resolver = new UpdateResolver(this.doc, this.rootNames, scanned.structs, this.scanLimits.maxDeletedItems);
    const writes = new Map<string, RecordWrite>();
    const deletedRecords: Array<{ collection: string; key: string; authorId: string | null }> = [];

    // Records first, so a field written into a record this update creates finds it.
    for (const struct of resolver.fresh) {
      if (struct.kind !== 'item') continue;
      const target = resolver.target(struct);
      if (target.level !== 'record') continue;
      if (struct.content.type === 'value') throw new WriteRefusal(`${target.collection}: a record must be a map`);
      const existing = this.liveRecord(target.collection, target.key);
      if (struct.content.type === 'deleted') {
        // A deleted entry that lands last under a key removes what was there.
        if (existing) deletedRecords.push({ collection: target.collection, key: target.key, authorId: authorOf(existing) });
        continue;
      }
      if (existing) throw new WriteRefusal(`${target.collection}: a record with that id exists`);
      recordWrite(writes, target.collection, target.key, { client: struct.client, clock: struct.clock }, true, null);
    }
    for (const struct of resolver.fresh) {
      if (struct.kind !== 'item') continue;
      const target = resolver.target(struct);
      if (target.level !== 'field') continue;
      if (struct.content.type === 'map') throw new WriteRefusal(`${target.collection}: ${target.field.slice(0, 40)} holds a plain value, not a nested type`);
      const write = this.writeFor(writes, resolver, target);
      if (!write) continue;
      const values = write.fields.get(target.field) ?? [];
      if (struct.content.type === 'value' && !deletesOwn(scanned.deletes, struct)) {
        values.push(struct.content.value);
        if (write.created && target.field === 'authorId' && typeof struct.content.value === 'string') write.authorId = struct.content.value;
      } else {
        write.removesValues = true;
      }
      write.fields.set(target.field, values);
    }

    // Removing a record deletes its fields with it: those are no field edits.
    const removedRecords = new Set<string>();
    const fieldDeletes: Array<Extract<Target, { level: 'field' }>> = [];
    for (const [client, ranges] of scanned.deletes) {
      for (const item of resolver.deletedItems(client, ranges)) {
        const target = resolver.targetOfItem(item);
        if (target.level === 'field') fieldDeletes.push(target);
        if (target.level !== 'record') continue;
        removedRecords.add(idKey(item.id));
        deletedRecords.push({ collection: target.collection, key: target.key, authorId: authorOf(item.content as Y.ContentType) });
      }
    }
    for (const target of fieldDeletes) {
      if (removedRecords.has(idKey(target.record))) continue;
      const write = this.writeFor(writes, resolver, target);
      if (!write) continue;
      const written = write.fields.get(target.field);
      if (written && written.length > 0) {
        write.replaced.add(target.field);
        continue;
      }
      if (!written) write.fields.set(target.field, []);
      write.removesValues = true;
    }

    if (writes.size === 0 && deletedRecords.length === 0) return [];
    if (this.docRules.shared && !writer.facilitator && ctx.control?.locked) throw new WriteRefusal('the board is locked');
    // A presenter who listens takes notes on paper: the board is the group's while they talk about the presenter's problem.
    if (this.docRules.shared && !writer.facilitator && ctx.control && presenterListens(ctx.control) && ctx.control.presenterId === writer.actor) {
      throw new WriteRefusal('the presenter listens at this step: their board inputs are off');
    }
    for (const removed of deletedRecords) this.checkDelete(removed, writer, ctx);
    for (const write of writes.values()) this.checkWrite(write, writer, ctx);
    for (const write of writes.values()) this.checkReferences(write, writes);
    const created = [...writes.values()].filter((w) => w.created);
    // Only new records need room: a full board can still be edited and emptied.
    if (created.length > 0) this.checkRoom(created, writer);
    return [...writes.values()];
  }

  /**
   * After the update was applied: puts back any touched record it left invalid
   * (or removes a new one), as a server change. Returns a description of what
   * had to be undone, or null when every record is sound.
   */
  verify(writes: readonly RecordWrite[], before: ReadonlyMap<string, Record<string, unknown>>, origin: unknown): string | null {
    let problem: string | null = null;
    for (const write of writes) {
      if (!needsReread(write) && write.replaced.size === 0) continue;
      const map = this.doc.getMap<unknown>(write.collection);
      const record = map.get(write.key);
      if (record === undefined) continue;
      const invalid = needsReread(write) ? this.invalidReason(write.collection, write.key, record) : emptiedField(write, record);
      if (!invalid) continue;
      problem ??= `${write.collection}: ${invalid}`;
      const saved = before.get(`${write.collection}/${write.key}`);
      this.doc.transact(() => {
        if (!saved || !(record instanceof Y.Map)) {
          map.delete(write.key);
          return;
        }
        if (needsReread(write)) for (const key of [...record.keys()]) if (!(key in saved)) record.delete(key);
        for (const [key, value] of Object.entries(saved)) if (JSON.stringify(record.get(key)) !== JSON.stringify(value)) record.set(key, value);
      }, origin);
    }
    return problem;
  }

  /**
   * The current fields of the existing records a check returned, to put back
   * if `verify` finds them broken: all of a record it re-reads whole, only the
   * replaced fields of one it does not.
   */
  snapshot(writes: readonly RecordWrite[]): Map<string, Record<string, unknown>> {
    const saved = new Map<string, Record<string, unknown>>();
    for (const write of writes) {
      if (write.created || (!needsReread(write) && write.replaced.size === 0)) continue;
      const record = this.doc.getMap<unknown>(write.collection).get(write.key);
      if (!(record instanceof Y.Map)) continue;
      if (needsReread(write)) {
        saved.set(`${write.collection}/${write.key}`, record.toJSON() as Record<string, unknown>);
        continue;
      }
      const fields: Record<string, unknown> = {};
      for (const field of write.replaced) fields[field] = record.get(field);
      saved.set(`${write.collection}/${write.key}`, fields);
    }
    return saved;
  }

  private invalidReason(collection: string, key: string, record: unknown): string | null {
    if (!(record instanceof Y.Map)) return 'a record must be a map';
    const fields = record.toJSON() as Record<string, unknown>;
    const schema = this.docRules.schemas[collection]!;
    const extra = Object.keys(fields).find((f) => !(f in schema.shape));
    if (extra !== undefined) return `unknown field "${extra.slice(0, 40)}"`;
    if (Buffer.byteLength(JSON.stringify(fields)) > MAX_RECORD_BYTES) return `a record may take at most ${MAX_RECORD_BYTES} bytes`;
    const parsed = schema.safeParse({ ...fields, id: key });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return `${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim();
    }
    if (collection === 'votes' && !this.liveRecord('questions', String(fields.questionId))) return 'that question is gone';
    return null;
  }

  /** The write to a field's record, or null when that record is gone (a field written into it has no effect). */
  private writeFor(writes: Map<string, RecordWrite>, resolver: UpdateResolver, target: Extract<Target, { level: 'field' }>): RecordWrite | null {
    const known = writes.get(idKey(target.record));
    if (known) return known;
    const item = resolver.docItem(target.record);
    if (!item || item.deleted || !(item.content instanceof Y.ContentType)) return null;
    return recordWrite(writes, target.collection, target.key, target.record, false, authorOf(item.content));
  }

  private checkWrite(write: RecordWrite, writer: Writer, ctx: GuardContext): void {
    const rule = this.docRules.rules[write.collection]!;
    const schema = this.docRules.schemas[write.collection]!;
    const label = write.collection;
    for (const [field, values] of write.fields) {
      const fieldSchema = schema.shape[field] as z.ZodType | undefined;
      if (!fieldSchema || field === 'id') throw new WriteRefusal(`${label}: unknown field "${field.slice(0, 40)}"`);
      for (const value of values) {
        const parsed = fieldSchema.safeParse(value);
        if (!parsed.success) throw new WriteRefusal(`${label}: ${field} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      }
    }
    // The server's own records (shared practice entries): a client writes none, not even the facilitator's.
    if (rule.creators === 'server') throw new WriteRefusal(`${label}: only the server writes these`);
    if (write.created) {
      const authors = write.fields.get('authorId') ?? [];
      const own = authors.length > 0 && authors.every((a) => a === writer.actor);
      if (!own && !(rule.copies && this.isFaithfulCopy(write))) throw new WriteRefusal(`${label}: a new record's author must be its writer`);
      if (rule.creators === 'facilitator' && !writer.facilitator) throw new WriteRefusal(`${label}: only the facilitator adds these`);
      if (rule.creators === 'presenter' && !writer.facilitator && ctx.control?.presenterId !== writer.actor) {
        throw new WriteRefusal(`${label}: only the presenter writes this`);
      }
      if (rule.kind === 'vote' && writer.facilitator) throw new WriteRefusal('votes are the participants\' own');
      // A record addressed to the presenter stays out of the community brief: addressed to anyone else, it would hide there.
      if (rule.presenterField && (write.fields.get(rule.presenterField) ?? []).some((to) => to !== null && to !== ctx.control?.presenterId)) {
        throw new WriteRefusal(`${label}: it can be addressed only to this meeting's presenter`);
      }
      // Nor does the presenter write one for a step where they listen, later, within its grace.
      const named = rule.stepField ? (write.fields.get(rule.stepField) ?? []) : [];
      if (!writer.facilitator && ctx.control?.presenterId === writer.actor && named.some((step) => STEPS[step as StepId]?.presenter === 'listens')) {
        throw new WriteRefusal(`${label}: the presenter listens at that step: their board inputs are off`);
      }
      this.checkStep(rule, writer, ctx, label, write);
      return;
    }
    for (const field of write.fields.keys()) {
      if (rule.immutable.includes(field)) throw new WriteRefusal(`${label}: ${field} cannot change`);
      // Some choices are the author's alone, not even the facilitator's (the presenter sharing the notes addressed to them opens the facilitator's brief).
      const authorOnly = rule.authorOnly?.[field];
      if (authorOnly && write.authorId !== writer.actor) throw new WriteRefusal(`${label}: ${authorOnly}`);
      if (writer.facilitator || write.authorId === writer.actor || rule.shared.includes(field)) continue;
      if (rule.partnerFields.includes(field) && this.arePartners(ctx, writer.actor, write.authorId)) continue;
      throw new WriteRefusal(`${label}: only its author can change ${field}`);
    }
    this.checkStep(rule, writer, ctx, label);
  }

  /**
   * A field that names a record of another collection (the rule's
   * `references`) must name a live one, or one this update creates; with
   * `sameField`, that record must agree on the field (a note's cluster is in
   * the note's category). Checked when the update writes either field, against
   * the values it writes or, for a field it leaves, the stored one.
   */
  private checkReferences(write: RecordWrite, writes: ReadonlyMap<string, RecordWrite>): void {
    const references = this.docRules.rules[write.collection]!.references ?? [];
    for (const { field, collection, sameField } of references) {
      const touched = write.created || write.fields.has(field) || (sameField !== undefined && write.fields.has(sameField));
      if (!touched) continue;
      const ownValues = (name: string) => this.valuesAfter(write, write.collection, write.key, name);
      for (const target of ownValues(field)) {
        if (target === null || target === undefined) continue;
        if (typeof target !== 'string') throw new WriteRefusal(`${write.collection}: ${field} must name a record`);
        const created = [...writes.values()].find((w) => w.created && w.collection === collection && w.key === target);
        if (!created && !this.liveRecord(collection, target)) throw new WriteRefusal(`${write.collection}: ${field} names no ${collection.replace(/s$/, '')}`);
        if (sameField === undefined) continue;
        const theirs = created ? (created.fields.get(sameField) ?? []) : this.valuesAfter(null, collection, target, sameField);
        for (const mine of ownValues(sameField)) {
          if (theirs.some((value) => value !== mine)) throw new WriteRefusal(`${write.collection}: ${field} must name a ${collection.replace(/s$/, '')} with the same ${sameField}`);
        }
      }
    }
  }

  /** A field's values once an update is applied: those it writes, else the stored one (undefined when there is none). */
  private valuesAfter(write: RecordWrite | null, collection: string, key: string, field: string): Array<FieldValue | undefined> {
    const written = write?.fields.get(field);
    if (written && written.length > 0) return written;
    const record = this.liveRecord(collection, key);
    return [record ? ((record.type as Y.Map<unknown>).get(field) as FieldValue | undefined) : undefined];
  }

  /** A new record that copies an existing one of its collection: its `copyOf`, the same author and the same text. */
  private isFaithfulCopy(write: RecordWrite): boolean {
    const [copyOf, ...more] = write.fields.get('copyOf') ?? [];
    const [author, ...otherAuthors] = write.fields.get('authorId') ?? [];
    if (typeof copyOf !== 'string' || more.length > 0 || otherAuthors.length > 0) return false;
    const original = this.liveRecord(write.collection, copyOf);
    if (!original || authorOf(original) !== author) return false;
    const text = (original.type as Y.Map<unknown>).get('text');
    return (write.fields.get('text') ?? []).every((t) => t === text);
  }

  private checkDelete(removed: { collection: string; authorId: string | null }, writer: Writer, ctx: GuardContext): void {
    const rule = this.docRules.rules[removed.collection]!;
    if (!writer.facilitator && removed.authorId !== writer.actor) throw new WriteRefusal(`${removed.collection}: only its author can remove it`);
    this.checkStep(rule, writer, ctx, removed.collection);
  }

  /** A participant writes a collection only while a step that accepts it is open (or was, moments ago). */
  private checkStep(rule: WriteRule, writer: Writer, ctx: GuardContext, label: string, created?: RecordWrite): void {
    const control = ctx.control;
    if (!this.docRules.shared || writer.facilitator || !control || rule.kind === null) return;
    if (rule.kind === 'vote') {
      if (control.voting.status !== 'open') throw new WriteRefusal('voting is not open');
      return;
    }
    if (rule.kind === 'note' && !control.revealed) throw new WriteRefusal('notes go on the board after the reveal');
    const kind = rule.kind;
    const takes = (step: StepId) => STEPS[step].accepts.includes(kind) && stepStillOpen(control, step, ctx.now, ctx.stepGraceMs ?? STEP_GRACE_MS);
    // A record that names the step it was written at (a card) must name one that takes it now.
    const named = rule.stepField && created ? (created.fields.get(rule.stepField) ?? []) : [];
    if (named.length > 0) {
      if (!named.every((step) => typeof step === 'string' && step in STEPS && takes(step as StepId))) {
        throw new WriteRefusal(`${label}: written for a step that does not take them now`);
      }
      return;
    }
    if (!STEP_IDS.some(takes)) throw new WriteRefusal(`${label}: this step does not take them now`);
  }

  private checkRoom(created: RecordWrite[], writer: Writer): void {
    const cap = writer.facilitator ? this.docRules.itemCap : this.docRules.itemCap - (this.docRules.shared ? FACILITATOR_RESERVE : 0);
    if (this.counts.total + created.length > cap) throw new WriteRefusal(`the board is full (${this.docRules.itemCap} items)`);
    if (writer.facilitator) return;
    const adding = new Map<string, number>();
    for (const write of created) adding.set(write.collection, (adding.get(write.collection) ?? 0) + 1);
    for (const [collection, n] of adding) {
      const quota = this.docRules.rules[collection]!.quota;
      const held = this.counts.of(collection, writer.actor);
      if (held + n > quota) throw new WriteRefusal(`${collection}: at most ${quota} per person`);
    }
  }

  private arePartners(ctx: GuardContext, a: string, b: string | null): boolean {
    if (!b || !ctx.control) return false;
    return ctx.control.pairs.some((group) => group.includes(a) && group.includes(b));
  }

  private liveRecord(collection: string, key: string): Y.ContentType | null {
    const record = this.doc.getMap<unknown>(collection).get(key);
    return record instanceof Y.Map && record._item ? (record._item.content as Y.ContentType) : null;
  }
}

function recordWrite(writes: Map<string, RecordWrite>, collection: string, key: string, record: Id, created: boolean, authorId: string | null): RecordWrite {
  const existing = writes.get(idKey(record));
  if (existing) return existing;
  const write: RecordWrite = { collection, key, record, created, fields: new Map(), authorId, removesValues: false, replaced: new Set() };
  writes.set(idKey(record), write);
  return write;
}

/** Whether the update's own delete set covers part of a struct it brings (a value written and deleted in one go). */
function deletesOwn(deletes: ReadonlyMap<number, ReadonlyArray<[number, number]>>, struct: { client: number; clock: number; length: number }): boolean {
  const ranges = deletes.get(struct.client);
  if (!ranges) return false;
  const end = struct.clock + struct.length;
  return ranges.some(([clock, length]) => clock < end && clock + length > struct.clock);
}

/** A replaced field the apply left without a value (its deleted old item stayed the entry), or null. */
function emptiedField(write: RecordWrite, record: unknown): string | null {
  if (!(record instanceof Y.Map)) return 'a record must be a map';
  for (const field of write.replaced) if (!record.has(field)) return `${field.slice(0, 40)} lost its value`;
  return null;
}

function needsReread(write: RecordWrite): boolean {
  return write.created || write.removesValues;
}

function authorOf(content: Y.ContentType): string | null {
  const author = (content.type as Y.Map<unknown>).get('authorId');
  return typeof author === 'string' ? author : null;
}

function idKey(id: Id): string {
  return `${id.client}:${id.clock}`;
}
