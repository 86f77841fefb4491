import type pg from 'pg';
import type { CohortStore } from '../CohortStore.ts';

/** Placeholder until the year's stores land on PostgreSQL (branch pg-year): every method rejects. */
export class PgCohortStore implements CohortStore {
  constructor(readonly pool: pg.Pool) {}

  async createCohort(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async getCohort(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async findCohortByJoinCode(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listCohortsEndedBefore(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteCohort(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addStaff(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listStaff(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async getStaff(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteStaff(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addMember(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listMembers(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async getMember(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async placeMember(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async anonymiseMember(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteMember(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addCommunity(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listCommunities(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async getCommunity(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async updateCommunity(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async setCommunityAgenda(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteCommunity(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async findCohortToken(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addCohortToken(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteTokensOf(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addMeeting(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listMeetings(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addBreakout(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listBreakouts(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listBreakoutMembers(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async findBreakoutOf(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async getMeeting(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async finishMeeting(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addMeetingMember(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async findMeetingMember(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listMeetingMembers(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addQuestionVersion(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listQuestionVersions(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async updateQuestionSource(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async addCommitment(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async listCommitments(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async getCommitment(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async setCommitmentStatus(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteCommitment(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }

  async deleteCommitmentsOf(..._args: unknown[]): Promise<never> {
    throw new Error('not yet');
  }
}
