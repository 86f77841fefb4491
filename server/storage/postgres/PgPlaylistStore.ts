import type pg from 'pg';
import { CATEGORY_IDS, type CategoryId } from '../../../shared/protocol/categories.ts';
import type { ResourceType } from '../../../shared/year/playlist.ts';
import type { PairRecord, PlaylistStore, ResourceRecord, TakeawayRecord, UsedRecord } from '../PlaylistStore.ts';
import { withTransaction } from './transaction.ts';
import { all, one, type Row } from './rows.ts';

/**
 * The playlists' tables in PostgreSQL, what SqlitePlaylistStore does; every
 * row cascades from its cohort, community and members (migrations.ts).
 * Flags stay the integers 0 and 1, as in SQLite.
 */
export class PgPlaylistStore implements PlaylistStore {
  constructor(readonly pool: pg.Pool) {}

  async addResource(r: ResourceRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO playlist_resources (id, cohort_id, community_id, title, url, type, why, tags, question_version_id, member_id, staff_id,
        shared_to_cohort, position, pinned, featured_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        r.id, r.cohortId, r.communityId, r.title, r.url, r.type, r.why, JSON.stringify(r.tags), r.questionVersionId, r.memberId, r.staffId,
        r.sharedToCohort ? 1 : 0, r.position, r.pinned ? 1 : 0, r.featuredAt, r.createdAt,
      ],
    );
  }

  async getResource(id: string): Promise<ResourceRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM playlist_resources WHERE id = $1', [id]);
    return row ? resourceOf(row) : null;
  }

  async listResources(cohortId: string): Promise<ResourceRecord[]> {
    // SQLite sorts NULL first and text byte by byte: the cohort's own playlist, then the communities' by id.
    return (
      await all(this.pool, 'SELECT * FROM playlist_resources WHERE cohort_id = $1 ORDER BY community_id COLLATE "C" NULLS FIRST, position, created_at', [cohortId])
    ).map(resourceOf);
  }

  async updateResource(r: ResourceRecord): Promise<void> {
    await this.pool.query(
      'UPDATE playlist_resources SET title = $1, url = $2, type = $3, why = $4, tags = $5, question_version_id = $6, shared_to_cohort = $7 WHERE id = $8',
      [r.title, r.url, r.type, r.why, JSON.stringify(r.tags), r.questionVersionId, r.sharedToCohort ? 1 : 0, r.id],
    );
  }

  async deleteResource(id: string): Promise<void> {
    await this.pool.query('DELETE FROM playlist_resources WHERE id = $1', [id]);
  }

  async setOrder(ids: readonly string[]): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      for (const [position, id] of ids.entries()) await db.query('UPDATE playlist_resources SET position = $1 WHERE id = $2', [position, id]);
    });
  }

  async setPinned(cohortId: string, communityId: string | null, resourceId: string | null): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      // IS NOT DISTINCT FROM is SQLite's `IS`: the cohort's own playlist (NULL) matches NULL.
      await db.query('UPDATE playlist_resources SET pinned = 0 WHERE cohort_id = $1 AND community_id IS NOT DISTINCT FROM $2', [cohortId, communityId]);
      if (resourceId) await db.query('UPDATE playlist_resources SET pinned = 1 WHERE id = $1', [resourceId]);
    });
  }

  async setFeatured(id: string, sessionId: string): Promise<void> {
    await this.pool.query('UPDATE playlist_resources SET featured_at = $1 WHERE id = $2', [sessionId, id]);
  }

  async setUsed(resourceId: string, memberId: string, used: boolean): Promise<void> {
    if (used) await this.pool.query('INSERT INTO playlist_used (resource_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [resourceId, memberId]);
    else await this.pool.query('DELETE FROM playlist_used WHERE resource_id = $1 AND member_id = $2', [resourceId, memberId]);
  }

  async listUsed(cohortId: string): Promise<UsedRecord[]> {
    return (
      await all(this.pool, 'SELECT u.resource_id, u.member_id FROM playlist_used u JOIN playlist_resources r ON r.id = u.resource_id WHERE r.cohort_id = $1', [cohortId])
    ).map((row) => ({ resourceId: String(row.resource_id), memberId: String(row.member_id) }));
  }

  async setTakeaway(resourceId: string, memberId: string, text: string, at: number): Promise<void> {
    if (text === '') {
      await this.pool.query('DELETE FROM playlist_takeaways WHERE resource_id = $1 AND member_id = $2', [resourceId, memberId]);
      return;
    }
    await this.pool.query(
      `INSERT INTO playlist_takeaways (resource_id, member_id, text, created_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (resource_id, member_id) DO UPDATE SET text = excluded.text, created_at = excluded.created_at`,
      [resourceId, memberId, text, at],
    );
  }

  async listTakeaways(cohortId: string): Promise<TakeawayRecord[]> {
    return (
      await all(this.pool, 'SELECT t.* FROM playlist_takeaways t JOIN playlist_resources r ON r.id = t.resource_id WHERE r.cohort_id = $1 ORDER BY t.created_at', [cohortId])
    ).map((row) => ({ resourceId: String(row.resource_id), memberId: String(row.member_id), text: String(row.text), createdAt: Number(row.created_at) }));
  }

  async setPair(resourceId: string, memberId: string, partnerId: string | null): Promise<void> {
    if (partnerId === null) {
      await this.pool.query('DELETE FROM playlist_pairs WHERE resource_id = $1 AND member_id = $2', [resourceId, memberId]);
      return;
    }
    await this.pool.query(
      `INSERT INTO playlist_pairs (resource_id, member_id, partner_id) VALUES ($1, $2, $3)
        ON CONFLICT (resource_id, member_id) DO UPDATE SET partner_id = excluded.partner_id`,
      [resourceId, memberId, partnerId],
    );
  }

  async listPairs(cohortId: string): Promise<PairRecord[]> {
    return (
      await all(this.pool, 'SELECT p.* FROM playlist_pairs p JOIN playlist_resources r ON r.id = p.resource_id WHERE r.cohort_id = $1', [cohortId])
    ).map((row) => ({ resourceId: String(row.resource_id), memberId: String(row.member_id), partnerId: String(row.partner_id) }));
  }
}

function resourceOf(row: Row): ResourceRecord {
  let tags: CategoryId[] = [];
  try {
    const parsed: unknown = JSON.parse(String(row.tags));
    // Read back through the list of categories: a row edited by hand cannot put anything else on a screen.
    if (Array.isArray(parsed)) tags = CATEGORY_IDS.filter((c) => parsed.includes(c));
  } catch {
    tags = [];
  }
  return {
    id: String(row.id),
    cohortId: String(row.cohort_id),
    communityId: row.community_id === null ? null : String(row.community_id),
    title: String(row.title),
    url: String(row.url),
    type: String(row.type) as ResourceType,
    why: String(row.why),
    tags,
    questionVersionId: row.question_version_id === null ? null : String(row.question_version_id),
    memberId: row.member_id === null ? null : String(row.member_id),
    staffId: row.staff_id === null ? null : String(row.staff_id),
    sharedToCohort: Number(row.shared_to_cohort) === 1,
    position: Number(row.position),
    pinned: Number(row.pinned) === 1,
    featuredAt: row.featured_at === null ? null : String(row.featured_at),
    createdAt: Number(row.created_at),
  };
}
