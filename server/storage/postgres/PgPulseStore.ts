import type pg from 'pg';
import type { PulseStore } from '../PulseStore.ts';

/** Placeholder until the year's stores land on PostgreSQL (branch pg-year): every method rejects. */
export class PgPulseStore implements PulseStore {
  constructor(readonly pool: pg.Pool) {}

  async openWindow(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async getWindow(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listWindows(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async setNotes(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async answer(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async hasAnswered(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async countReceipts(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async answersOf(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async close(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }
}
