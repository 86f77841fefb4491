import type { JoinSessionResponse } from '../../shared/api.ts';
import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import { COLLECTION_NAMES } from '../../shared/board/schema.ts';
import { remainingMs, type ControlState } from '../../shared/protocol/control.ts';
import { STEPS } from '../../shared/protocol/steps.ts';
import { BEHIND_STEPS, type BreakoutView, type BreakoutsView, type OpenBreakoutsBody } from '../../shared/year/breakouts.ts';
import { mintToken, randomId, type Grant } from '../auth/tokens.ts';
import type { ControlService } from '../control/ControlService.ts';
import type { Presence } from '../control/Presence.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import type { CohortStore, MeetingRecord } from '../storage/CohortStore.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Rooms } from '../sync/Rooms.ts';
import { YearError } from './CohortService.ts';

export interface BreakoutDeps {
  cohorts: CohortStore;
  sessions: SessionStore;
  sessionService: SessionService;
  control: ControlService;
  presence: Presence;
  rooms: Rooms;
  /** Sends a session's new control state to its sockets (the control plane's). */
  broadcast: (sessionId: string, control: ControlState) => void;
  now?: () => number;
}

type Body = Required<Omit<OpenBreakoutsBody, 'groups'>> & { groups: Array<{ name: string; memberIds: string[]; communityId: string | null; coachId: string | null }> };

/**
 * A cohort meeting's breakouts (issue 16). Each group is a session of its
 * own (a meeting row with its plenary as parent): its own board, step,
 * timer, reveal and votes, reachable only with a key of that group, so no
 * member receives another group's board. The plenary's control state lists
 * the groups while they are open; each group's state names its plenary and
 * says when everyone is called back. Knows nothing of HTTP or sockets.
 */
export class BreakoutService {
  private readonly now: () => number;

  constructor(private readonly deps: BreakoutDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Splits the plenary into `groups`, each starting at the plenary's step on its agenda. */
  async open(grant: Grant, body: Body): Promise<BreakoutsView> {
    const plenary = await this.plenaryOf(grant, 'facilitator');
    const state = this.deps.control.current(plenary.sessionId) ?? (await this.stateOf(plenary.sessionId));
    if (state.breakouts.open) throw new YearError(409, 'The groups are out already: bring everyone back first.');
    const members = new Map((await this.deps.cohorts.listMembers(plenary.cohortId)).map((m) => [m.id, m]));
    const staff = new Map((await this.deps.cohorts.listStaff(plenary.cohortId)).map((s) => [s.id, s]));
    for (const g of body.groups) {
      const stranger = g.memberIds.find((id) => !members.has(id));
      if (stranger) throw new YearError(400, `${g.name}: someone in it is not a member of this cohort.`);
      if (g.coachId !== null && !staff.has(g.coachId)) throw new YearError(400, `${g.name}: its coach is not on this cohort's staff.`);
    }
    const session = await this.deps.sessions.getSession(plenary.sessionId);
    const rooms: Array<{ sessionId: string; name: string }> = [];
    for (const g of body.groups) {
      const { session: child } = await this.deps.sessionService.create(`${session?.title ?? 'Cohort meeting'} · ${g.name}`, plenary.lengthMinutes);
      const record: MeetingRecord = {
        sessionId: child.id,
        cohortId: plenary.cohortId,
        communityId: g.communityId,
        index: plenary.index,
        startsAt: plenary.startsAt,
        lengthMinutes: plenary.lengthMinutes,
        finishedAt: null,
        template: plenary.template ?? null,
        parentSessionId: plenary.sessionId,
        breakoutName: g.name,
        coachId: g.coachId,
      };
      await this.deps.cohorts.addBreakout(record, g.memberIds);
      // The group starts where the plenary is, on its agenda and time boxes, with joining by code closed.
      const next = await this.deps.control.edit(child.id, (s) => ({
        ...s,
        step: state.step,
        agenda: [...state.agenda],
        minutes: { ...state.minutes },
        timer: { durationMs: state.timer.durationMs, elapsedMs: 0, runningSince: null },
        joining: false,
        plenary: { sessionId: plenary.sessionId, recalled: false },
      }));
      if (next.ok) this.deps.broadcast(child.id, next.control);
      rooms.push({ sessionId: child.id, name: g.name });
    }
    const opened = await this.deps.control.edit(plenary.sessionId, (s) => ({ ...s, breakouts: { open: true, lockstep: body.lockstep, rooms, showResults: false } }));
    if (opened.ok) this.deps.broadcast(plenary.sessionId, opened.control);
    return this.overview(grant);
  }

  /** Everyone back to the plenary: the groups are told, and their devices follow. Their boards stay, for the results. */
  async close(grant: Grant): Promise<BreakoutsView> {
    const plenary = await this.plenaryOf(grant, 'facilitator');
    for (const child of await this.deps.cohorts.listBreakouts(plenary.sessionId)) {
      const recalled = await this.deps.control.edit(child.sessionId, (s) => (s.plenary ? { ...s, plenary: { ...s.plenary, recalled: true } } : s));
      if (recalled.ok) this.deps.broadcast(child.sessionId, recalled.control);
    }
    const closed = await this.deps.control.edit(plenary.sessionId, (s) => ({ ...s, breakouts: { ...s.breakouts, open: false } }));
    if (closed.ok) this.deps.broadcast(plenary.sessionId, closed.control);
    return this.overview(grant);
  }

  /** A member's device in the plenary asks where to go: their group's key, as the same person every time; null when not in a group. */
  async enter(grant: Grant): Promise<(JoinSessionResponse & { name: string }) | null> {
    const plenary = await this.plenaryOf(grant, 'participant');
    const state = await this.stateOf(plenary.sessionId);
    if (!state.breakouts.open || !grant.participantId) return null;
    const link = (await this.deps.cohorts.listMeetingMembers(plenary.cohortId)).find((l) => l.participantId === grant.participantId);
    const member = link ? await this.deps.cohorts.getMember(link.memberId) : null;
    if (!member || member.removedAt !== null) return null;
    const open = new Set(state.breakouts.rooms.map((r) => r.sessionId));
    const mine = await this.deps.cohorts.findBreakoutOf(plenary.sessionId, member.id);
    if (!mine || !open.has(mine.sessionId)) return null;
    const joined = await this.joinAs(mine.sessionId, member.id, member.name);
    return { ...joined, name: mine.breakoutName ?? '' };
  }

  /** Every group live: step, time, who is there, notes, who is behind; back in plenary, each group's result. */
  async overview(grant: Grant): Promise<BreakoutsView> {
    return this.overviewOf(await this.plenaryOf(grant, null));
  }

  /** The same for the cohort's staff (a coach finds their group here), by the plenary's meeting. */
  async overviewOf(plenary: MeetingRecord): Promise<BreakoutsView> {
    const state = await this.stateOf(plenary.sessionId);
    const children = await this.deps.cohorts.listBreakouts(plenary.sessionId);
    const shown = state.breakouts.open ? new Set(state.breakouts.rooms.map((r) => r.sessionId)) : null;
    // Out: the groups out now. Back: the last set sent out, for their results.
    const current = children.filter((c) => (shown ? shown.has(c.sessionId) : state.breakouts.rooms.some((r) => r.sessionId === c.sessionId)));
    const [members, links, staff] = await Promise.all([
      this.deps.cohorts.listMembers(plenary.cohortId),
      this.deps.cohorts.listMeetingMembers(plenary.cohortId),
      this.deps.cohorts.listStaff(plenary.cohortId),
    ]);
    const names = new Map(members.map((m) => [m.id, m.name]));
    const now = this.now();
    const groups: BreakoutView[] = [];
    for (const child of current) {
      const control = await this.stateOf(child.sessionId);
      const present = new Set(await this.deps.presence.presentIds(child.sessionId, now));
      const assigned = await this.deps.cohorts.listBreakoutMembers(child.sessionId);
      const participantOf = new Map(links.filter((l) => l.sessionId === child.sessionId).map((l) => [l.memberId, l.participantId]));
      const participantIds = new Set(participantOf.values());
      const board = await this.deps.rooms.withDoc(boardRef(child.sessionId), (room) => {
        const b = new Board(room.doc);
        return {
          notes: COLLECTION_NAMES.filter((name) => name !== 'logShares').reduce((n, name) => n + b.list(name).filter((r) => participantIds.has(r.authorId)).length, 0),
          questions: control.finalQuestionIds.map((id) => b.get('questions', id)?.text).filter((t): t is string => !!t),
          commitments: b.list('commitments').filter((c) => participantIds.has(c.authorId)).length,
        };
      });
      groups.push({
        sessionId: child.sessionId,
        name: child.breakoutName ?? '',
        communityId: child.communityId,
        coach: child.coachId ? (staff.find((s) => s.id === child.coachId)?.name ?? null) : null,
        step: control.step,
        stepTitle: STEPS[control.step].title,
        stepIndex: Math.max(0, control.agenda.indexOf(control.step)),
        timeLeftMs: remainingMs(control.timer, now),
        timerRunning: control.timer.runningSince !== null,
        people: assigned.map((id) => {
          const participant = participantOf.get(id);
          return { name: names.get(id) ?? 'A former member', joined: participant !== undefined, online: participant !== undefined && present.has(participant) };
        }),
        notes: board.notes,
        behind: false,
        // A group's words stay in the group until everyone is back (the facilitator shares them then).
        result: { questions: state.breakouts.open ? [] : board.questions, heaviest: control.heaviest ?? null, commitments: board.commitments },
      });
    }
    const ahead = Math.max(0, ...groups.map((g) => g.stepIndex));
    for (const g of groups) g.behind = ahead - g.stepIndex >= BEHIND_STEPS;
    return { open: state.breakouts.open, lockstep: state.breakouts.lockstep, showResults: state.breakouts.showResults, groups };
  }

  /** Who can be put in a group: the cohort's members with their community, and its coaches. */
  async people(grant: Grant): Promise<{ members: Array<{ id: string; name: string; communityId: string | null }>; communities: Array<{ id: string; name: string }>; coaches: Array<{ id: string; name: string }> }> {
    const plenary = await this.plenaryOf(grant, 'facilitator');
    const [members, communities, staff] = await Promise.all([
      this.deps.cohorts.listMembers(plenary.cohortId),
      this.deps.cohorts.listCommunities(plenary.cohortId),
      this.deps.cohorts.listStaff(plenary.cohortId),
    ]);
    return {
      members: members.map((m) => ({ id: m.id, name: m.name, communityId: m.communityId })),
      communities: communities.map((c) => ({ id: c.id, name: c.name })),
      coaches: staff.filter((s) => s.role === 'coach').map((s) => ({ id: s.id, name: s.name })),
    };
  }

  /** Back in plenary: each group's result on the projector, side by side, or not. */
  async showResults(grant: Grant, show: boolean): Promise<void> {
    const plenary = await this.plenaryOf(grant, 'facilitator');
    const next = await this.deps.control.edit(plenary.sessionId, (s) => ({ ...s, breakouts: { ...s.breakouts, showResults: show && !s.breakouts.open } }));
    if (next.ok) this.deps.broadcast(plenary.sessionId, next.control);
  }

  /** A message, or a time warning, on every group's screens. */
  async announce(grant: Grant, text: string): Promise<void> {
    const plenary = await this.plenaryOf(grant, 'facilitator');
    for (const child of await this.openChildren(plenary.sessionId)) {
      const next = await this.deps.control.edit(child, (s) => ({ ...s, announcement: { text, at: this.now() } }));
      if (next.ok) this.deps.broadcast(child, next.control);
    }
  }

  /** Moves every group to `step`, as the facilitator would in each (a group whose agenda lacks it stays and is reported). */
  async moveAll(grant: Grant, step: string): Promise<string[]> {
    const plenary = await this.plenaryOf(grant, 'facilitator');
    return this.moveChildren(plenary.sessionId, step);
  }

  /** After a plenary command: in lockstep, the groups follow the plenary's step. */
  async plenaryChanged(sessionId: string, state: ControlState): Promise<void> {
    if (!state.breakouts.open || !state.breakouts.lockstep) return;
    await this.moveChildren(sessionId, state.step);
  }

  /** A facilitator key for one group: the plenary's facilitator takes its controls. */
  async facilitateGroup(grant: Grant, childId: string): Promise<{ token: string }> {
    const plenary = await this.plenaryOf(grant, 'facilitator');
    if (!(await this.deps.cohorts.listBreakouts(plenary.sessionId)).some((c) => c.sessionId === childId)) throw new YearError(404, 'No such group in this meeting.');
    const minted = mintToken(childId, 'facilitator');
    minted.record.holderId = (await this.deps.sessions.findToken(grant.tokenId))?.holderId ?? null;
    await this.deps.sessions.addToken(minted.record);
    return { token: minted.token };
  }

  /** A read-only key for one group: the projector link of a group with its own screen, or a look in. */
  async projectGroup(grant: Grant, childId: string): Promise<{ token: string }> {
    const plenary = await this.plenaryOf(grant, 'facilitator');
    if (!(await this.deps.cohorts.listBreakouts(plenary.sessionId)).some((c) => c.sessionId === childId)) throw new YearError(404, 'No such group in this meeting.');
    const minted = mintToken(childId, 'projector');
    await this.deps.sessions.addToken(minted.record);
    return { token: minted.token };
  }

  private async moveChildren(plenaryId: string, step: string): Promise<string[]> {
    const refused: string[] = [];
    for (const child of await this.openChildren(plenaryId)) {
      // A group there already keeps its timer as it is.
      if ((await this.stateOf(child)).step === step) continue;
      const outcome = await this.deps.control.command(child, 'facilitator', { type: 'goto', step });
      if (outcome.ok && outcome.changed) this.deps.broadcast(child, outcome.control);
      if (!outcome.ok) refused.push(outcome.problem.message);
    }
    return refused;
  }

  private async openChildren(plenaryId: string): Promise<string[]> {
    const state = await this.stateOf(plenaryId);
    return state.breakouts.open ? state.breakouts.rooms.map((r) => r.sessionId) : [];
  }

  /** The plenary a key opens: a cohort meeting, not a group; `role` narrows who may (null: any key of it). */
  private async plenaryOf(grant: Grant, role: Grant['role'] | null): Promise<MeetingRecord> {
    if (role !== null && grant.role !== role) throw new YearError(403, role === 'facilitator' ? 'Only the facilitator runs the groups.' : 'Only a participant goes to a group.');
    const meeting = await this.deps.cohorts.getMeeting(grant.sessionId);
    if (!meeting) throw new YearError(404, 'This session is not a meeting of a cohort.');
    if (meeting.parentSessionId) throw new YearError(409, 'This is a group: run the groups from the plenary.');
    if (meeting.communityId !== null) throw new YearError(404, 'Groups are for a cohort meeting, where several communities meet at once.');
    return meeting;
  }

  private async stateOf(sessionId: string): Promise<ControlState> {
    await this.deps.control.load(sessionId);
    const state = this.deps.control.current(sessionId);
    if (!state) throw new YearError(404, 'No such session.');
    return state;
  }

  /** The member's participant in a group's session, made once; a new key each time, as for a meeting. */
  private async joinAs(sessionId: string, memberId: string, name: string): Promise<JoinSessionResponse> {
    const link = await this.deps.cohorts.findMeetingMember(sessionId, memberId);
    if (link) {
      const token = mintToken(sessionId, 'participant', link.participantId);
      token.record.holderId = memberId;
      await this.deps.sessions.addToken(token.record);
      return { sessionId, participantId: link.participantId, participantToken: token.token };
    }
    const participantId = randomId(9);
    const first = mintToken(sessionId, 'participant', participantId);
    first.record.holderId = memberId;
    await this.deps.sessions.addParticipant({ id: participantId, sessionId, name, createdAt: this.now() }, first.record);
    await this.deps.cohorts.addMeetingMember({ participantId, sessionId, memberId });
    return { sessionId, participantId, participantToken: first.token };
  }
}
