import { CURRENT_INSTRUMENT, instrument } from '../../shared/year/pulseInstrument.ts';
import { aggregate } from '../../shared/year/pulseResults.ts';
import { LIMITS_PULSE, type MyPulse, type OpenWindowBody, type PulseAnswerBody, type PulseResultsView, type PulseWindowView } from '../../shared/year/pulse.ts';
import { randomId } from '../auth/tokens.ts';
import type { CohortRecord, CohortStore } from '../storage/CohortStore.ts';
import type { PulseStore, PulseWindowRecord } from '../storage/PulseStore.ts';
import { YearError, type MemberGrant, type StaffGrant } from './CohortService.ts';

const DAY_MS = 86_400_000;

/**
 * The trust pulse (YEAR.md 3): windows a facilitator opens for the cohort,
 * answered once per member, anonymously; results computed here when a window
 * closes (by hand or at its closing date, checked whenever windows are read),
 * with every group under the floor suppressed before anything leaves the
 * server. Knows nothing of HTTP.
 */
export class PulseService {
  constructor(
    private readonly pulses: PulseStore,
    private readonly cohorts: CohortStore,
    private readonly now: () => number = Date.now,
  ) {}

  async open({ cohort, staff }: StaffGrant, body: Required<OpenWindowBody>): Promise<PulseWindowView> {
    if (staff.role !== 'facilitator') throw new YearError(403, 'Only a facilitator opens a pulse window; a coach cannot.');
    const windows = await this.windows(cohort);
    if (windows.some((w) => w.closedAt === null)) throw new YearError(409, 'A pulse window is open already: close it first.');
    if (windows.length >= LIMITS_PULSE.windowsPerCohort) throw new YearError(409, `A cohort has at most ${LIMITS_PULSE.windowsPerCohort} pulse windows.`);
    const now = this.now();
    // Through the end of the closing day, on the server's clock.
    const closesAt = new Date(`${body.closesOn}T23:59:59.999`).getTime();
    if (!(closesAt > now)) throw new YearError(400, 'The closing date must be today or later.');
    if (closesAt - now > LIMITS_PULSE.openDays * DAY_MS) throw new YearError(400, `A window stays open at most ${LIMITS_PULSE.openDays} days.`);
    const window: PulseWindowRecord = {
      id: randomId(9),
      cohortId: cohort.id,
      label: body.label,
      instrument: CURRENT_INSTRUMENT.version,
      items: CURRENT_INSTRUMENT.items.filter((i) => body.items.includes(i.id)).map((i) => i.id),
      floor: body.floor,
      openedAt: now,
      closesAt,
      closedAt: null,
      results: null,
      notes: '',
    };
    await this.pulses.openWindow(window);
    return view(window);
  }

  /** Every window of the cohort, oldest first, with each closed one's results (every community shown). */
  async list({ cohort }: StaffGrant): Promise<PulseWindowView[]> {
    return (await this.windows(cohort)).map((w) => view(w));
  }

  /** The cohort's closed windows as stored, oldest first (those past their closing time closed first), for the portfolios. */
  async closedWindows(cohort: CohortRecord): Promise<PulseWindowRecord[]> {
    return (await this.windows(cohort)).filter((w) => w.closedAt !== null);
  }

  async closeNow({ cohort }: StaffGrant, windowId: string): Promise<PulseWindowView> {
    const window = await this.windowOf(cohort, windowId);
    if (window.closedAt !== null) throw new YearError(409, 'That window is closed already.');
    return view(await this.close(cohort, window));
  }

  async setNotes({ cohort }: StaffGrant, windowId: string, notes: string): Promise<PulseWindowView> {
    const window = await this.windowOf(cohort, windowId);
    await this.pulses.setNotes(window.id, notes);
    return view({ ...window, notes });
  }

  /** A member's side: what is open to answer, and closed windows' results for the cohort and their own community only. */
  async mine({ cohort, member }: MemberGrant): Promise<MyPulse> {
    const windows = await this.windows(cohort);
    const open = await Promise.all(
      windows
        .filter((w) => w.closedAt === null)
        .map(async (w) => ({
          id: w.id,
          label: w.label,
          closesAt: w.closesAt,
          items: instrument(w.instrument)!.items.filter((i) => w.items.includes(i.id)),
          answered: await this.pulses.hasAnswered(w.id, member.id),
        })),
    );
    return {
      open,
      closed: windows.filter((w) => w.closedAt !== null).map((w) => view(w, member.communityId)),
      instrumentLabel: CURRENT_INSTRUMENT.label,
    };
  }

  async answer({ cohort, member }: MemberGrant, windowId: string, body: PulseAnswerBody): Promise<void> {
    const window = await this.windowOf(cohort, windowId);
    const unknown = Object.keys(body.answers).find((id) => !window.items.includes(id));
    if (unknown !== undefined) throw new YearError(400, `"${unknown.slice(0, 16)}" is not a question of this pulse.`);
    // A community too small ever to be shown is not written on the answer: it could only help someone link it.
    const community = member.communityId ? (await this.cohorts.listMembers(cohort.id)).filter((m) => m.communityId === member.communityId) : [];
    const communityId = community.length >= window.floor ? member.communityId : null;
    const outcome = await this.pulses.answer(window.id, member.id, { communityId, answers: body.answers }, this.now());
    if (outcome === 'already-answered') throw new YearError(409, 'You have answered this pulse already. Thank you.');
    if (outcome === 'closed') throw new YearError(409, 'This pulse is closed: answers are no longer taken.');
  }

  /**
   * For a meeting's screens: closed windows' results, the meeting's
   * community's where shown, with the facilitators' notes; for a member's
   * participant, also the windows open for them to answer.
   */
  async forMeeting(sessionId: string, participantMember: MemberGrant | null): Promise<{ windows: PulseWindowView[]; open: MyPulse['open'] }> {
    const meeting = await this.cohorts.getMeeting(sessionId);
    const cohort = meeting ? await this.cohorts.getCohort(meeting.cohortId) : null;
    if (!meeting || !cohort) return { windows: [], open: [] };
    const windows = (await this.windows(cohort)).filter((w) => w.closedAt !== null).map((w) => view(w, meeting.communityId));
    return { windows, open: participantMember ? (await this.mine(participantMember)).open : [] };
  }

  /** The cohort's windows, each past its closing time closed first. */
  private async windows(cohort: CohortRecord): Promise<PulseWindowRecord[]> {
    const now = this.now();
    const out: PulseWindowRecord[] = [];
    for (const w of await this.pulses.listWindows(cohort.id)) out.push(w.closedAt === null && w.closesAt <= now ? await this.close(cohort, w) : w);
    return out;
  }

  private async windowOf(cohort: CohortRecord, windowId: string): Promise<PulseWindowRecord> {
    const window = (await this.windows(cohort)).find((w) => w.id === windowId);
    if (!window) throw new YearError(404, 'No such pulse window in this cohort.');
    return window;
  }

  private async close(cohort: CohortRecord, window: PulseWindowRecord): Promise<PulseWindowRecord> {
    const items = instrument(window.instrument)!.items.filter((i) => window.items.includes(i.id));
    const [answers, members] = await Promise.all([this.pulses.answersOf(window.id), this.cohorts.listMembers(cohort.id)]);
    const computed = aggregate(items, answers, window.floor);
    const results: PulseResultsView = { ...computed, members: members.length };
    const at = Math.min(this.now(), window.closesAt);
    if (!(await this.pulses.close(window.id, at, results))) return (await this.pulses.getWindow(window.id))!;
    return { ...window, closedAt: at, results };
  }
}

/** A window as a browser may see it; `communityId` narrows the communities' figures to that one (a member's, a meeting's). */
function view(w: PulseWindowRecord, communityId?: string | null): PulseWindowView {
  const results =
    w.results && communityId !== undefined
      ? { ...w.results, communities: communityId && w.results.communities[communityId] ? { [communityId]: w.results.communities[communityId] } : {} }
      : w.results;
  return {
    id: w.id,
    label: w.label,
    instrument: w.instrument,
    items: w.items,
    floor: w.floor,
    openedAt: w.openedAt,
    closesAt: w.closesAt,
    closedAt: w.closedAt,
    status: w.closedAt === null ? 'open' : 'closed',
    notes: w.notes,
    results,
  };
}
