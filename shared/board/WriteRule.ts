import type { ArtifactKind } from '../protocol/steps.ts';

/**
 * Who may write what, per record type: the rules the server enforces on every
 * Yjs update (server/sync/WriteGuard.ts) and the client's wrapper follows.
 * Each record type's rule sits in its file in ./records.
 * - `kind`: the artifact a step must accept for a participant to write it.
 * - `creators`: who may add one ('facilitator' only, the meeting's presenter
 *   only, anyone in the session, or 'server': no client at all, the
 *   facilitator included, adds or changes one).
 * - `shared`: fields anyone may change (moving and sorting a note); every
 *   other field belongs to the record's author (and the facilitator).
 * - `partnerFields`: fields the author's pair partners may change too.
 * - `immutable`: fields fixed at creation; nobody changes them afterwards.
 * - `quota`: records one author may hold in the collection.
 * - `copies`: anyone may add a copy of a record (`copyOf` naming it, the same
 *   text) under the original's author, as sorting a note into a second
 *   category does: the words stay their author's.
 * - `references`: fields that name a record of another collection (a note's
 *   `clusterId`). A write that sets one (or, with `sameField`, changes that
 *   field) must leave it null or naming a live record there, which with
 *   `sameField` has the same value in that field (a note's cluster is in the
 *   note's category).
 * - `stepField`: a field naming the step the record was written at (a card's
 *   `step`); a new record must name a step that takes its kind now, and the
 *   presenter writes none for a step where they listen.
 * - `presenterField`: a field addressing the record (a card's `toPresenter`):
 *   null, or the meeting's presenter.
 * - `authorOnly`: fields nobody but the author changes, the facilitator
 *   included (the presenter's choice to share their notes).
 */
export interface WriteRule {
  kind: ArtifactKind | 'vote' | null;
  creators: 'facilitator' | 'presenter' | 'anyone' | 'server';
  shared: readonly string[];
  partnerFields: readonly string[];
  immutable: readonly string[];
  quota: number;
  copies?: boolean;
  references?: ReadonlyArray<{ field: string; collection: string; sameField?: string }>;
  /** A field naming the step the record is written at: that step must take the record now (not just any open step). */
  stepField?: string;
  /** A field naming who the record is addressed to: null or the meeting's presenter. */
  presenterField?: string;
  /** Fields only the author changes, the facilitator included, each with the reason a refusal gives. */
  authorOnly?: Readonly<Record<string, string>>;
}
