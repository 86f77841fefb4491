import type { CategoryId } from '../../shared/protocol/categories.ts';
import type { ResourceType } from '../../shared/year/playlist.ts';

export interface ResourceRecord {
  id: string;
  cohortId: string;
  /** null: the cohort's own playlist. */
  communityId: string | null;
  title: string;
  url: string;
  type: ResourceType;
  why: string;
  tags: CategoryId[];
  questionVersionId: string | null;
  /** Who added it: a member, or a facilitator or coach (null once that staff member is removed). */
  memberId: string | null;
  staffId: string | null;
  sharedToCohort: boolean;
  position: number;
  pinned: boolean;
  /** The session of the meeting that last featured it. */
  featuredAt: string | null;
  createdAt: number;
}

/** A member's mark on a resource: used it (private), a takeaway line, or "worked on with". */
export interface UsedRecord {
  resourceId: string;
  memberId: string;
}
export interface TakeawayRecord {
  resourceId: string;
  memberId: string;
  text: string;
  createdAt: number;
}
export interface PairRecord {
  resourceId: string;
  memberId: string;
  partnerId: string;
}

/**
 * The playlists' rows (migration 6). Every row cascades from its cohort,
 * community and member: deleting a cohort or community, or a member's row
 * (removal, "remove" mode), leaves none of theirs behind.
 */
export interface PlaylistStore {
  addResource(resource: ResourceRecord): Promise<void>;
  getResource(id: string): Promise<ResourceRecord | null>;
  /** Every resource of the cohort, by playlist then position. */
  listResources(cohortId: string): Promise<ResourceRecord[]>;
  /** Title, link, type, why, tags, question version and sharing. */
  updateResource(resource: ResourceRecord): Promise<void>;
  deleteResource(id: string): Promise<void>;
  /** Positions 0, 1, 2… in the order given. */
  setOrder(ids: readonly string[]): Promise<void>;
  /** Pins `resourceId` (null: none) and unpins the others of its playlist, in one transaction. */
  setPinned(cohortId: string, communityId: string | null, resourceId: string | null): Promise<void>;
  setFeatured(id: string, sessionId: string): Promise<void>;

  setUsed(resourceId: string, memberId: string, used: boolean): Promise<void>;
  listUsed(cohortId: string): Promise<UsedRecord[]>;
  /** An empty text deletes the member's takeaway. */
  setTakeaway(resourceId: string, memberId: string, text: string, at: number): Promise<void>;
  listTakeaways(cohortId: string): Promise<TakeawayRecord[]>;
  /** null deletes the member's mark. */
  setPair(resourceId: string, memberId: string, partnerId: string | null): Promise<void>;
  listPairs(cohortId: string): Promise<PairRecord[]>;
}
