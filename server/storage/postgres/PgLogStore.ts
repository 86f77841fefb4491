import type pg from 'pg';
import type { LogStore } from '../LogStore.ts';

/** Placeholder until the year's stores land on PostgreSQL (branch pg-year): every method rejects. */
export class PgLogStore implements LogStore {
  constructor(readonly pool: pg.Pool) {}

  async saveEntry(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async getEntry(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listEntriesOf(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async countEntriesOf(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listSharedEntries(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listEntryMeta(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteEntry(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addNote(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listNotesOn(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async countNotesOn(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async markSeen(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async seenBy(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteLogOf(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }
}
