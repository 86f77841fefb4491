import type { PulseResultsView } from '../../shared/year/pulse.ts';
import type { StoredAnswer } from '../../shared/year/pulseResults.ts';

export interface PulseWindowRecord {
  id: string;
  cohortId: string;
  label: string;
  instrument: number;
  items: string[];
  floor: number;
  openedAt: number;
  closesAt: number;
  closedAt: number | null;
  results: PulseResultsView | null;
  notes: string;
}

export type AnswerOutcome = 'answered' | 'already-answered' | 'closed';

/**
 * The trust pulse's rows (migration 7). An answer is stored with no member
 * id, no id and no time, among the window's others in an order that says
 * nothing; a receipt records only who answered which window.
 */
export interface PulseStore {
  openWindow(window: PulseWindowRecord): Promise<void>;
  getWindow(id: string): Promise<PulseWindowRecord | null>;
  /** Oldest first. */
  listWindows(cohortId: string): Promise<PulseWindowRecord[]>;
  setNotes(id: string, notes: string): Promise<void>;
  /**
   * In one transaction: refuses a second answer by the member and an answer
   * to a window closed (or past `now`), else adds the receipt and the answer,
   * with the window's answers put in a new random order.
   */
  answer(windowId: string, memberId: string, answer: StoredAnswer, now: number): Promise<AnswerOutcome>;
  hasAnswered(windowId: string, memberId: string): Promise<boolean>;
  countReceipts(windowId: string): Promise<number>;
  /** The window's answers, for computing its results; nobody outside the server reads them. */
  answersOf(windowId: string): Promise<StoredAnswer[]>;
  /** Closes the window with its results and deletes its answers: only the aggregate is kept. False if it was closed already. */
  close(windowId: string, at: number, results: PulseResultsView): Promise<boolean>;
}
