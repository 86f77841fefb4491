import { CATEGORY_IDS, type CategoryId } from '../../shared/protocol/categories.ts';
import { FORMER_MEMBER } from '../../shared/year/api.ts';
import {
  PORTFOLIO_FORMAT,
  PORTFOLIO_VERSION,
  type PortfolioCommitment,
  type PortfolioData,
  type PortfolioLogEntry,
  type PortfolioMeeting,
  type PortfolioMeetingRef,
  type PortfolioPulse,
  type PortfolioQuestion,
} from '../../shared/year/portfolio.ts';
import { FACETS, instrument } from '../../shared/year/pulseInstrument.ts';
import type { PulseWindowRecord } from '../storage/PulseStore.ts';
import type {
  CohortRecord,
  CohortStore,
  CommitmentRecord,
  CommunityRecord,
  MeetingMemberRecord,
  MeetingRecord,
  MemberRecord,
  QuestionVersionRecord,
} from '../storage/CohortStore.ts';
import { staffMaySee } from '../../shared/year/practiceLog.ts';
import { dateSchema } from '../../shared/year/series.ts';
import type { LogEntryRecord, LogNoteRecord, LogStore } from '../storage/LogStore.ts';
import { meetingTitle } from './views.ts';

/** Where the trust pulse's closed windows come from (PulseService, which closes a window past its date first). */
export interface ClosedPulses {
  closedWindows(cohort: CohortRecord): Promise<PulseWindowRecord[]>;
}

/** The portfolios' sources besides the cohort's rows. */
export interface PortfolioSources {
  logs: LogStore;
  /** Without the trust pulse (a server that runs none), portfolios hold no windows. */
  pulses?: ClosedPulses;
}

export interface PortfolioOptions {
  /** false: every person's name (owners, partners, note authors, the member's own) becomes null. */
  names: boolean;
  now?: () => number;
}

/** Everything of a cohort a portfolio is cut from, read once. */
interface CohortRows {
  cohort: CohortRecord;
  communities: Map<string, CommunityRecord>;
  members: Map<string, MemberRecord>;
  meetings: MeetingRecord[];
  links: MeetingMemberRecord[];
  versions: QuestionVersionRecord[];
  commitments: CommitmentRecord[];
}

async function readCohort(store: CohortStore, cohort: CohortRecord): Promise<CohortRows> {
  const [communities, members, meetings, links, versions, commitments] = await Promise.all([
    store.listCommunities(cohort.id),
    store.listMembers(cohort.id),
    store.listMeetings(cohort.id),
    store.listMeetingMembers(cohort.id),
    store.listQuestionVersions(cohort.id),
    store.listCommitments(cohort.id),
  ]);
  const byId = new Map(members.map((m) => [m.id, m]));
  const ownerName = (c: CommitmentRecord) => byId.get(c.memberId)?.name ?? FORMER_MEMBER;
  return {
    cohort,
    communities: new Map(communities.map((c) => [c.id, c])),
    members: byId,
    meetings: [...meetings].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.index - b.index),
    links,
    versions,
    // Commitments harvested from one meeting share a moment: by owner then, so every download lists them alike.
    commitments: [...commitments].sort((a, b) => a.createdAt - b.createdAt || ownerName(a).localeCompare(ownerName(b)) || a.id.localeCompare(b.id)),
  };
}

/**
 * A community's year, for its cohort's staff: every version of its question
 * (version 1 with the notes it came from), its meetings with attendance, and
 * every commitment made in it with how it ended, and the practice log entries
 * its members shared with the community or the cohort, and the trust pulse's
 * closed windows (its own figures where kept, else the cohort's). Null when the
 * community is not this cohort's.
 */
export async function loadCommunityPortfolio(
  store: CohortStore,
  { logs, pulses }: PortfolioSources,
  cohort: CohortRecord,
  communityId: string,
  options: PortfolioOptions,
): Promise<PortfolioData | null> {
  const rows = await readCohort(store, cohort);
  const community = rows.communities.get(communityId);
  if (!community) return null;
  const shape = shaper(rows, options);
  // Staff read what a member shared with the community or wider, as the log round does: the author's community now
  // decides (a member who moved took their entries along). Notes stay between their writer and the entry's author.
  const shared = (await logs.listSharedEntries(cohort.id)).filter(
    (e) => staffMaySee(e.visibility) && rows.members.get(e.authorId)?.communityId === community.id,
  );
  return {
    ...shape.head('community'),
    community: { name: community.name, challenge: community.challenge },
    member: null,
    questions: shape.questions(community.id),
    meetings: rows.meetings.filter((m) => m.communityId === community.id).map((m) => shape.meeting(m, null)),
    commitments: rows.commitments.filter((c) => c.communityId === community.id).map(shape.commitment),
    log: shared.map((e) => shape.logEntry(e, [])),
    pulse: await pulseOf(pulses, cohort, community.id),
  };
}

/**
 * One member's own year, for them alone: the meetings they could come to
 * (their community's and the cohort's, and any they came to before a move)
 * with whether they came, their own commitments and how they ended, and
 * their community's question, and every practice log entry of theirs with
 * every note on it (whoever they shared it with: the entries are theirs).
 * Nobody else's commitments or entries are in it. The trust pulse's closed
 * windows too: their community's figures where kept, else the cohort's.
 */
export async function loadMemberPortfolio(
  store: CohortStore,
  { logs, pulses }: PortfolioSources,
  cohort: CohortRecord,
  member: MemberRecord,
  options: PortfolioOptions,
): Promise<PortfolioData> {
  const rows = await readCohort(store, cohort);
  const entries = (await logs.listEntriesOf(member.id)).filter((e) => e.cohortId === cohort.id);
  const notes = await logs.listNotesOn(entries.map((e) => e.id));
  const community = member.communityId ? (rows.communities.get(member.communityId) ?? null) : null;
  const attended = new Set(rows.links.filter((l) => l.memberId === member.id).map((l) => l.sessionId));
  const shape = shaper(rows, options);
  return {
    ...shape.head('member'),
    community: community ? { name: community.name, challenge: community.challenge } : null,
    member: { name: options.names ? member.name : null, challenge: member.challenge },
    questions: community ? shape.questions(community.id) : [],
    meetings: rows.meetings
      .filter((m) => m.communityId === null || m.communityId === member.communityId || attended.has(m.sessionId))
      .map((m) => shape.meeting(m, attended.has(m.sessionId))),
    commitments: rows.commitments.filter((c) => c.memberId === member.id).map(shape.commitment),
    log: entries.map((e) => shape.logEntry(e, notes.filter((n) => n.entryId === e.id))),
    pulse: await pulseOf(pulses, cohort, member.communityId),
  };
}

/**
 * The closed windows' stored results, oldest first, one group per window:
 * the community's own figures where the server kept them for it (it keeps
 * none under the floor, nor where they would give a smaller group away),
 * else the cohort's. Nothing is computed here: every figure is as stored.
 */
async function pulseOf(pulses: ClosedPulses | undefined, cohort: CohortRecord, communityId: string | null): Promise<PortfolioPulse[]> {
  if (!pulses) return [];
  return (await pulses.closedWindows(cohort)).flatMap((w): PortfolioPulse[] => {
    if (w.closedAt === null || !w.results) return [];
    const own = communityId ? w.results.communities[communityId] : undefined;
    const figures = own ?? w.results.cohort;
    const asked = instrument(w.instrument)?.items.filter((i) => w.items.includes(i.id)) ?? [];
    return [
      {
        label: w.label,
        closedAt: new Date(w.closedAt).toISOString(),
        floor: w.results.floor,
        respondents: w.results.respondents,
        members: w.results.members,
        notes: w.notes,
        weakest: w.results.weakest,
        instrument: { version: w.instrument, label: instrument(w.instrument)?.label ?? '' },
        group: own ? 'community' : 'cohort',
        facets: Object.fromEntries(FACETS.filter((f) => asked.some((i) => i.facet === f)).map((f) => [f, figures[f] ?? null])),
      },
    ];
  });
}

/** Stored rows as portfolio entries, the names choice applied in one place so no field keeps a name by accident. */
function shaper(rows: CohortRows, { names, now = Date.now }: PortfolioOptions) {
  const bySession = new Map(rows.meetings.map((m) => [m.sessionId, m]));
  const commitmentsById = new Map(rows.commitments.map((c) => [c.id, c]));
  const name = (text: string | null | undefined) => (names && text ? text : null);
  // Removing a member deletes their entries and notes; a writer somehow not among the members reads as a former one.
  const memberName = (id: string) => name(rows.members.get(id)?.name ?? FORMER_MEMBER);
  const iso = (ms: number) => new Date(ms).toISOString();
  const ref = (sessionId: string): PortfolioMeetingRef | null => {
    const m = bySession.get(sessionId);
    return m ? { cohortWide: m.communityId === null, index: m.index, startsAt: m.startsAt } : null;
  };
  return {
    head: (scope: PortfolioData['scope']): Pick<PortfolioData, 'format' | 'version' | 'exportedAt' | 'scope' | 'names' | 'cohort'> => ({
      format: PORTFOLIO_FORMAT,
      version: PORTFOLIO_VERSION,
      exportedAt: iso(now()),
      scope,
      names,
      cohort: { name: rows.cohort.name, startsOn: rows.cohort.startsOn, endsOn: rows.cohort.endsOn },
    }),
    questions: (communityId: string): PortfolioQuestion[] =>
      rows.versions
        .filter((v) => v.communityId === communityId)
        .sort((a, b) => a.version - b.version)
        .map((v) => ({
          version: v.version,
          text: v.text,
          reason: v.reason,
          meeting: ref(v.sessionId),
          createdAt: iso(v.createdAt),
          source: v.source
            ? {
                category: isCategory(v.source.category) ? v.source.category : null,
                cluster: v.source.cluster,
                notes: v.source.notes.map((n) => ({ text: n.text, author: name(n.author) })),
              }
            : null,
        })),
    meeting: (m: MeetingRecord, attended: boolean | null): PortfolioMeeting => {
      const community = m.communityId ? (rows.communities.get(m.communityId) ?? null) : null;
      return {
        cohortWide: m.communityId === null,
        index: m.index,
        title: meetingTitle(community, rows.cohort.name, m.index),
        startsAt: m.startsAt,
        lengthMinutes: m.lengthMinutes,
        finishedAt: m.finishedAt === null ? null : iso(m.finishedAt),
        attendance: rows.links.filter((l) => l.sessionId === m.sessionId).length,
        attended,
      };
    },
    commitment: (c: CommitmentRecord): PortfolioCommitment => ({
      // An owner no longer among the members was anonymised (a deleted member's commitments are deleted with them).
      owner: name(rows.members.get(c.memberId)?.name ?? FORMER_MEMBER),
      action: c.action,
      notice: c.notice,
      partner: name(c.partner.trim()),
      due: dateSchema.safeParse(c.due).success ? c.due : null,
      status: c.status,
      madeIn: ref(c.sessionId),
      createdAt: iso(c.createdAt),
      reviewedAt: c.reviewedAt === null ? null : iso(c.reviewedAt),
    }),
    logEntry: (e: LogEntryRecord, notes: readonly LogNoteRecord[]): PortfolioLogEntry => {
      const followed = e.commitmentId ? commitmentsById.get(e.commitmentId) : undefined;
      return {
        author: memberName(e.authorId),
        createdAt: iso(e.createdAt),
        commitment: followed ? { action: followed.action, notice: followed.notice } : null,
        tried: e.tried,
        what: e.what,
        actual: e.actual,
        soWhat: e.soWhat,
        nowWhat: e.nowWhat,
        decision: e.decision,
        visibility: e.visibility,
        notes: notes.map((n) => ({ author: memberName(n.authorId), text: n.text, createdAt: iso(n.createdAt) })),
      };
    },
  };
}

function isCategory(value: string | null): value is CategoryId {
  return (CATEGORY_IDS as readonly string[]).includes(value ?? '');
}
