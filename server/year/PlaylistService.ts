import { FORMER_MEMBER } from '../../shared/year/api.ts';
import {
  LIMITS_PLAYLIST,
  type FeaturedResource,
  type MemberPlaylists,
  type PlaylistView,
  type ResourceEdit,
  type ResourceInput,
  type ResourceView,
} from '../../shared/year/playlist.ts';
import { moveInOrder } from '../../shared/year/playlistOrder.ts';
import { randomId } from '../auth/tokens.ts';
import type { CohortRecord, CohortStore, MemberRecord } from '../storage/CohortStore.ts';
import type { PlaylistStore, ResourceRecord } from '../storage/PlaylistStore.ts';
import { YearError, type MemberGrant, type StaffGrant } from './CohortService.ts';

/** 'cohort', or a community's id: which playlist a staff route means. */
export type PlaylistScope = string;
export const COHORT_SCOPE = 'cohort';

type Reader = { kind: 'staff' } | { kind: 'member'; member: MemberRecord };

/** A resource's playlist: its community's, or (null) the cohort's own. */
const samePlaylist = (a: ResourceRecord, communityId: string | null) => a.communityId === communityId;

/**
 * The playlists (YEAR.md 6; docs/security.md, "The playlist"). Staff read and
 * curate every one of their cohort; a member reads their community's and the
 * cohort's (its own resources and those shared to it), adds to their
 * community's, and edits or deletes only what they added. "Used it" marks
 * are private: a member's answer carries only their own, staff see counts.
 * Knows nothing of HTTP.
 */
export class PlaylistService {
  constructor(
    private readonly playlists: PlaylistStore,
    private readonly cohorts: CohortStore,
    private readonly now: () => number = Date.now,
  ) {}

  // ---- reading

  async staffPlaylist({ cohort }: StaffGrant, scope: PlaylistScope): Promise<PlaylistView> {
    const communityId = await this.scopeOf(cohort, scope);
    const all = await this.playlists.listResources(cohort.id);
    return this.view(cohort, scope, communityId === null ? 'Whole cohort' : await this.communityName(communityId), inPlaylist(all, communityId), { kind: 'staff' });
  }

  async memberPlaylists({ cohort, member }: MemberGrant): Promise<MemberPlaylists> {
    const all = await this.playlists.listResources(cohort.id);
    const reader: Reader = { kind: 'member', member };
    const community = member.communityId
      ? await this.view(cohort, member.communityId, await this.communityName(member.communityId), inPlaylist(all, member.communityId), reader)
      : null;
    const partners = (await this.cohorts.listMembers(cohort.id)).filter((m) => m.id !== member.id).map((m) => ({ id: m.id, name: m.name }));
    return { community, cohort: await this.view(cohort, COHORT_SCOPE, 'Whole cohort', inPlaylist(all, null), reader), partners };
  }

  /** What a meeting's facilitator picks from: its community's playlist (if it has one) and the cohort's. */
  async meetingPlaylists(sessionId: string): Promise<PlaylistView[]> {
    const { cohort, communityId } = await this.meetingOf(sessionId);
    const all = await this.playlists.listResources(cohort.id);
    const lists: PlaylistView[] = [];
    if (communityId) lists.push(await this.view(cohort, communityId, await this.communityName(communityId), inPlaylist(all, communityId), { kind: 'staff' }));
    lists.push(await this.view(cohort, COHORT_SCOPE, 'Whole cohort', inPlaylist(all, null), { kind: 'staff' }));
    return lists;
  }

  async staffResource(grant: StaffGrant, id: string): Promise<ResourceView> {
    const r = await this.ofCohort(grant.cohort, id);
    return (await this.view(grant.cohort, '', '', [r], { kind: 'staff' })).resources[0]!;
  }

  async memberResource(grant: MemberGrant, id: string): Promise<ResourceView> {
    const r = await this.readable(grant, id);
    return (await this.view(grant.cohort, '', '', [r], { kind: 'member', member: grant.member })).resources[0]!;
  }

  // ---- adding, editing, deleting

  async addByStaff(grant: StaffGrant, scope: PlaylistScope, body: ResourceInput): Promise<ResourceView> {
    const communityId = await this.scopeOf(grant.cohort, scope);
    const r = await this.add(grant.cohort, communityId, body, { memberId: null, staffId: grant.staff.id });
    return this.staffResource(grant, r.id);
  }

  async addByMember(grant: MemberGrant, body: ResourceInput): Promise<ResourceView> {
    const communityId = grant.member.communityId;
    if (!communityId) throw new YearError(409, 'You are not in a community yet, so you have no community playlist to add to.');
    const r = await this.add(grant.cohort, communityId, body, { memberId: grant.member.id, staffId: null });
    return this.memberResource(grant, r.id);
  }

  private async add(
    cohort: CohortRecord,
    communityId: string | null,
    body: ResourceInput,
    by: { memberId: string | null; staffId: string | null },
  ): Promise<ResourceRecord> {
    const list = inOwnPlaylist(await this.playlists.listResources(cohort.id), communityId);
    if (list.length >= LIMITS_PLAYLIST.resources) throw new YearError(409, `A playlist holds at most ${LIMITS_PLAYLIST.resources} resources. Delete one first.`);
    await this.checkQuestionVersion(cohort, communityId, body.questionVersionId);
    const r: ResourceRecord = {
      id: randomId(9),
      cohortId: cohort.id,
      communityId,
      title: body.title,
      url: body.url,
      type: body.type,
      why: body.why,
      tags: body.tags,
      questionVersionId: body.questionVersionId,
      ...by,
      // The cohort's own playlist is the cohort's already.
      sharedToCohort: communityId !== null && body.sharedToCohort,
      position: list.reduce((max, other) => Math.max(max, other.position + 1), 0),
      pinned: false,
      featuredAt: null,
      createdAt: this.now(),
    };
    await this.playlists.addResource(r);
    return r;
  }

  async editByStaff(grant: StaffGrant, id: string, patch: ResourceEdit): Promise<ResourceView> {
    await this.edit(grant.cohort, await this.ofCohort(grant.cohort, id), patch);
    return this.staffResource(grant, id);
  }

  async editByMember(grant: MemberGrant, id: string, patch: ResourceEdit): Promise<ResourceView> {
    await this.edit(grant.cohort, await this.own(grant, id), patch);
    return this.memberResource(grant, id);
  }

  private async edit(cohort: CohortRecord, r: ResourceRecord, patch: ResourceEdit): Promise<void> {
    if (patch.questionVersionId !== undefined) await this.checkQuestionVersion(cohort, r.communityId, patch.questionVersionId);
    const next: ResourceRecord = {
      ...r,
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.type !== undefined ? { type: patch.type } : {}),
      ...(patch.why !== undefined ? { why: patch.why } : {}),
      ...(patch.tags !== undefined ? { tags: patch.tags } : {}),
      ...(patch.questionVersionId !== undefined ? { questionVersionId: patch.questionVersionId } : {}),
      ...(patch.sharedToCohort !== undefined ? { sharedToCohort: r.communityId !== null && patch.sharedToCohort } : {}),
    };
    await this.playlists.updateResource(next);
  }

  async deleteByStaff(grant: StaffGrant, id: string): Promise<void> {
    await this.playlists.deleteResource((await this.ofCohort(grant.cohort, id)).id);
  }

  async deleteByMember(grant: MemberGrant, id: string): Promise<void> {
    await this.playlists.deleteResource((await this.own(grant, id)).id);
  }

  // ---- curating (staff)

  async move(grant: StaffGrant, id: string, position: number): Promise<PlaylistView> {
    const r = await this.ofCohort(grant.cohort, id);
    const ids = inOwnPlaylist(await this.playlists.listResources(grant.cohort.id), r.communityId).map((x) => x.id);
    await this.playlists.setOrder(moveInOrder(ids, id, position));
    return this.staffPlaylist(grant, r.communityId ?? COHORT_SCOPE);
  }

  /** One pinned ("this month") per playlist: pinning one unpins the one before. */
  async pin(grant: StaffGrant, id: string, pinned: boolean): Promise<PlaylistView> {
    const r = await this.ofCohort(grant.cohort, id);
    if (pinned) await this.playlists.setPinned(grant.cohort.id, r.communityId, r.id);
    else if (r.pinned) await this.playlists.setPinned(grant.cohort.id, r.communityId, null);
    return this.staffPlaylist(grant, r.communityId ?? COHORT_SCOPE);
  }

  // ---- a member's marks

  async setUsed(grant: MemberGrant, id: string, used: boolean): Promise<ResourceView> {
    await this.playlists.setUsed((await this.readable(grant, id)).id, grant.member.id, used);
    return this.memberResource(grant, id);
  }

  async setTakeaway(grant: MemberGrant, id: string, text: string): Promise<ResourceView> {
    await this.playlists.setTakeaway((await this.readable(grant, id)).id, grant.member.id, text, this.now());
    return this.memberResource(grant, id);
  }

  async setPair(grant: MemberGrant, id: string, partnerId: string | null): Promise<ResourceView> {
    const r = await this.readable(grant, id);
    if (partnerId !== null) {
      if (partnerId === grant.member.id) throw new YearError(400, 'partnerId must be another member, not you.');
      const partner = await this.cohorts.getMember(partnerId);
      if (!partner || partner.cohortId !== grant.cohort.id || partner.removedAt !== null) throw new YearError(400, 'partnerId is not a member of this cohort.');
    }
    await this.playlists.setPair(r.id, grant.member.id, partnerId);
    return this.memberResource(grant, id);
  }

  // ---- the meeting's playlist step

  /**
   * Before the control state shows `featured` on the projector: it must be a
   * resource this meeting's community may read, as stored (its link the one
   * the server checked), and it is marked as featured by this meeting.
   */
  async feature(sessionId: string, featured: FeaturedResource | null): Promise<void> {
    if (!featured) return;
    const { cohort, communityId } = await this.meetingOf(sessionId);
    const r = await this.playlists.getResource(featured.id);
    const readable = r && r.cohortId === cohort.id && (r.communityId === null || r.communityId === communityId || r.sharedToCohort);
    if (!r || !readable) throw new Error('it is not in this meeting’s playlists');
    const stored = { title: r.title, why: r.why, url: r.url, type: r.type };
    if (Object.entries(stored).some(([field, value]) => featured[field as keyof typeof stored] !== value)) {
      throw new Error('it changed since the list was loaded; load the playlist again');
    }
    await this.playlists.setFeatured(r.id, sessionId);
  }

  // ---- helpers

  private async meetingOf(sessionId: string): Promise<{ cohort: CohortRecord; communityId: string | null }> {
    const meeting = await this.cohorts.getMeeting(sessionId);
    const cohort = meeting ? await this.cohorts.getCohort(meeting.cohortId) : null;
    if (!meeting || !cohort) throw new YearError(404, 'This session is not a meeting of a cohort, so it has no playlist.');
    return { cohort, communityId: meeting.communityId };
  }

  private async scopeOf(cohort: CohortRecord, scope: PlaylistScope): Promise<string | null> {
    if (scope === COHORT_SCOPE) return null;
    const community = await this.cohorts.getCommunity(scope);
    if (!community || community.cohortId !== cohort.id) throw new YearError(404, 'No such community in this cohort.');
    return community.id;
  }

  private async communityName(id: string): Promise<string> {
    return (await this.cohorts.getCommunity(id))?.name ?? 'Community';
  }

  private async ofCohort(cohort: CohortRecord, id: string): Promise<ResourceRecord> {
    const r = await this.playlists.getResource(id);
    if (!r || r.cohortId !== cohort.id) throw new YearError(404, 'No such resource in this cohort.');
    return r;
  }

  /** A resource the member may read; another community's unshared one is "not found", as if it did not exist. */
  private async readable({ cohort, member }: MemberGrant, id: string): Promise<ResourceRecord> {
    const r = await this.playlists.getResource(id);
    if (!r || r.cohortId !== cohort.id || !memberReads(member, r)) throw new YearError(404, 'No such resource in your playlists.');
    return r;
  }

  private async own(grant: MemberGrant, id: string): Promise<ResourceRecord> {
    const r = await this.readable(grant, id);
    if (r.memberId !== grant.member.id) throw new YearError(403, 'You can change only the resources you added.');
    return r;
  }

  private async checkQuestionVersion(cohort: CohortRecord, communityId: string | null, versionId: string | null): Promise<void> {
    if (versionId === null) return;
    const versions = await this.cohorts.listQuestionVersions(cohort.id);
    if (communityId === null || !versions.some((v) => v.id === versionId && v.communityId === communityId)) {
      throw new YearError(400, 'questionVersionId is not a version of this community’s question.');
    }
  }

  private async view(cohort: CohortRecord, scope: string, name: string, resources: ResourceRecord[], reader: Reader): Promise<PlaylistView> {
    const [members, staff, communities, used, takeaways, pairs] = await Promise.all([
      this.cohorts.listMembers(cohort.id),
      this.cohorts.listStaff(cohort.id),
      this.cohorts.listCommunities(cohort.id),
      this.playlists.listUsed(cohort.id),
      this.playlists.listTakeaways(cohort.id),
      this.playlists.listPairs(cohort.id),
    ]);
    const memberById = new Map(members.map((m) => [m.id, m]));
    const staffById = new Map(staff.map((s) => [s.id, s]));
    const communityById = new Map(communities.map((c) => [c.id, c]));
    // Removed members' rows are gone; anonymised ones are left out of listMembers: both sign as FORMER_MEMBER.
    const nameOf = (memberId: string) => memberById.get(memberId)?.name ?? FORMER_MEMBER;
    const me = reader.kind === 'member' ? reader.member : null;
    const out = resources.map((r): ResourceView => {
      const staffer = r.staffId ? staffById.get(r.staffId) : undefined;
      const addedBy = r.memberId ? nameOf(r.memberId) : staffer ? `${staffer.name} (${staffer.role})` : 'A facilitator';
      // A takeaway is for its author's community: a member of another community reading a shared resource sees none of them.
      const visibleTakeaways = takeaways.filter((t) => {
        if (t.resourceId !== r.id) return false;
        if (!me) return true;
        const author = memberById.get(t.memberId);
        return author ? author.id === me.id || (me.communityId !== null && author.communityId === me.communityId) : r.communityId !== null && r.communityId === me.communityId;
      });
      return {
        id: r.id,
        communityId: r.communityId,
        communityName: r.communityId ? (communityById.get(r.communityId)?.name ?? null) : null,
        title: r.title,
        url: r.url,
        type: r.type,
        why: r.why,
        tags: r.tags,
        questionVersionId: r.questionVersionId,
        addedBy,
        yours: me !== null && r.memberId === me.id,
        sharedToCohort: r.sharedToCohort,
        pinned: r.pinned,
        position: r.position,
        featuredAt: r.featuredAt,
        createdAt: r.createdAt,
        usedByYou: me ? used.some((u) => u.resourceId === r.id && u.memberId === me.id) : null,
        usedCount: me ? null : used.filter((u) => u.resourceId === r.id).length,
        takeaways: visibleTakeaways.map((t) => ({ author: nameOf(t.memberId), text: t.text, yours: me !== null && t.memberId === me.id })),
        pairs: pairs
          .filter((p) => p.resourceId === r.id)
          .map((p) => ({ member: nameOf(p.memberId), partner: nameOf(p.partnerId), yours: me !== null && p.memberId === me.id })),
      };
    });
    return { scope, name, resources: out };
  }
}

export function memberReads(member: MemberRecord, r: ResourceRecord): boolean {
  return r.communityId === null || r.sharedToCohort || (member.communityId !== null && r.communityId === member.communityId);
}

/** A playlist as read: a community's own, or the cohort's own followed by what communities shared to it. */
function inPlaylist(all: ResourceRecord[], communityId: string | null): ResourceRecord[] {
  const own = inOwnPlaylist(all, communityId);
  if (communityId !== null) return own;
  return [...own, ...all.filter((r) => r.communityId !== null && r.sharedToCohort).sort((a, b) => a.createdAt - b.createdAt)];
}

/** The resources a playlist orders and pins: those that belong to it. */
function inOwnPlaylist(all: ResourceRecord[], communityId: string | null): ResourceRecord[] {
  return all.filter((r) => samePlaylist(r, communityId)).sort((a, b) => a.position - b.position || a.createdAt - b.createdAt);
}
