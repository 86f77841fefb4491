import type pg from 'pg';
import type { PlaylistStore } from '../PlaylistStore.ts';

/** Placeholder until the year's stores land on PostgreSQL (branch pg-year): every method rejects. */
export class PgPlaylistStore implements PlaylistStore {
  constructor(readonly pool: pg.Pool) {}

  async addResource(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async getResource(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listResources(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async updateResource(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteResource(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async setOrder(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async setPinned(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async setFeatured(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async setUsed(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listUsed(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async setTakeaway(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listTakeaways(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async setPair(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listPairs(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }
}
