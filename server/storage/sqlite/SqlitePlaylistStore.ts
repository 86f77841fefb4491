import type Database from 'better-sqlite3';
import { Statements, type Row } from './Statements.ts';
import { CATEGORY_IDS, type CategoryId } from '../../../shared/protocol/categories.ts';
import type { ResourceType } from '../../../shared/year/playlist.ts';
import type { PairRecord, PlaylistStore, ResourceRecord, TakeawayRecord, UsedRecord } from '../PlaylistStore.ts';


/** The playlists' tables in SQLite (migration 6); every row cascades from its cohort, community and members. */
export class SqlitePlaylistStore implements PlaylistStore {
  private readonly sql: Statements;
  private readonly orderTx: (ids: readonly string[]) => void;
  private readonly pinTx: (cohortId: string, communityId: string | null, resourceId: string | null) => void;

  constructor(db: Database.Database) {
    this.sql = new Statements(db);
    this.orderTx = db.transaction((ids: readonly string[]) => {
      ids.forEach((id, position) => this.sql.run('UPDATE playlist_resources SET position = ? WHERE id = ?', position, id));
    });
    this.pinTx = db.transaction((cohortId: string, communityId: string | null, resourceId: string | null) => {
      this.sql.run('UPDATE playlist_resources SET pinned = 0 WHERE cohort_id = ? AND community_id IS ?', cohortId, communityId);
      if (resourceId) this.sql.run('UPDATE playlist_resources SET pinned = 1 WHERE id = ?', resourceId);
    });
  }




  async addResource(r: ResourceRecord): Promise<void> {
    this.sql.run(
      `INSERT INTO playlist_resources (id, cohort_id, community_id, title, url, type, why, tags, question_version_id, member_id, staff_id,
        shared_to_cohort, position, pinned, featured_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      r.id, r.cohortId, r.communityId, r.title, r.url, r.type, r.why, JSON.stringify(r.tags), r.questionVersionId, r.memberId, r.staffId,
      r.sharedToCohort ? 1 : 0, r.position, r.pinned ? 1 : 0, r.featuredAt, r.createdAt,
    );
  }

  async getResource(id: string): Promise<ResourceRecord | null> {
    const row = this.sql.all('SELECT * FROM playlist_resources WHERE id = ?', id)[0];
    return row ? resourceOf(row) : null;
  }

  async listResources(cohortId: string): Promise<ResourceRecord[]> {
    return this.sql.all('SELECT * FROM playlist_resources WHERE cohort_id = ? ORDER BY community_id, position, created_at', cohortId).map(resourceOf);
  }

  async updateResource(r: ResourceRecord): Promise<void> {
    this.sql.run(
      'UPDATE playlist_resources SET title = ?, url = ?, type = ?, why = ?, tags = ?, question_version_id = ?, shared_to_cohort = ? WHERE id = ?',
      r.title, r.url, r.type, r.why, JSON.stringify(r.tags), r.questionVersionId, r.sharedToCohort ? 1 : 0, r.id,
    );
  }

  async deleteResource(id: string): Promise<void> {
    this.sql.run('DELETE FROM playlist_resources WHERE id = ?', id);
  }

  async setOrder(ids: readonly string[]): Promise<void> {
    this.orderTx(ids);
  }

  async setPinned(cohortId: string, communityId: string | null, resourceId: string | null): Promise<void> {
    this.pinTx(cohortId, communityId, resourceId);
  }

  async setFeatured(id: string, sessionId: string): Promise<void> {
    this.sql.run('UPDATE playlist_resources SET featured_at = ? WHERE id = ?', sessionId, id);
  }

  async setUsed(resourceId: string, memberId: string, used: boolean): Promise<void> {
    if (used) this.sql.run('INSERT OR IGNORE INTO playlist_used (resource_id, member_id) VALUES (?, ?)', resourceId, memberId);
    else this.sql.run('DELETE FROM playlist_used WHERE resource_id = ? AND member_id = ?', resourceId, memberId);
  }

  async listUsed(cohortId: string): Promise<UsedRecord[]> {
    return this.sql.all(
      'SELECT u.resource_id, u.member_id FROM playlist_used u JOIN playlist_resources r ON r.id = u.resource_id WHERE r.cohort_id = ?',
      cohortId,
    ).map((row) => ({ resourceId: String(row.resource_id), memberId: String(row.member_id) }));
  }

  async setTakeaway(resourceId: string, memberId: string, text: string, at: number): Promise<void> {
    if (text === '') return void this.sql.run('DELETE FROM playlist_takeaways WHERE resource_id = ? AND member_id = ?', resourceId, memberId);
    this.sql.run(
      `INSERT INTO playlist_takeaways (resource_id, member_id, text, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (resource_id, member_id) DO UPDATE SET text = excluded.text, created_at = excluded.created_at`,
      resourceId, memberId, text, at,
    );
  }

  async listTakeaways(cohortId: string): Promise<TakeawayRecord[]> {
    return this.sql.all(
      'SELECT t.* FROM playlist_takeaways t JOIN playlist_resources r ON r.id = t.resource_id WHERE r.cohort_id = ? ORDER BY t.created_at',
      cohortId,
    ).map((row) => ({ resourceId: String(row.resource_id), memberId: String(row.member_id), text: String(row.text), createdAt: Number(row.created_at) }));
  }

  async setPair(resourceId: string, memberId: string, partnerId: string | null): Promise<void> {
    if (partnerId === null) return void this.sql.run('DELETE FROM playlist_pairs WHERE resource_id = ? AND member_id = ?', resourceId, memberId);
    this.sql.run(
      `INSERT INTO playlist_pairs (resource_id, member_id, partner_id) VALUES (?, ?, ?)
        ON CONFLICT (resource_id, member_id) DO UPDATE SET partner_id = excluded.partner_id`,
      resourceId, memberId, partnerId,
    );
  }

  async listPairs(cohortId: string): Promise<PairRecord[]> {
    return this.sql.all(
      'SELECT p.* FROM playlist_pairs p JOIN playlist_resources r ON r.id = p.resource_id WHERE r.cohort_id = ?',
      cohortId,
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
    sharedToCohort: row.shared_to_cohort === 1,
    position: Number(row.position),
    pinned: row.pinned === 1,
    featuredAt: row.featured_at === null ? null : String(row.featured_at),
    createdAt: Number(row.created_at),
  };
}
