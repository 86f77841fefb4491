import type { JoinSessionResponse } from '../../shared/api.ts';
import type { TemplateId } from '../../shared/protocol/agendas.ts';
import type {
  AgendaShape,
  CohortOverview,
  CommitmentView,
  CommunityBody,
  CommunityView,
  CreateCohortBody,
  CreateCohortResponse,
  CreateMeetingBody,
  EditCommunityBody,
  InviteStaffBody,
  JoinCohortBody,
  JoinCohortResponse,
  LinkResponse,
  LookupCohortBody,
  MeetingView,
  MemberHome,
  QuestionVersionView,
  RemovalMode,
  ReviewOutcome,
  ReviseQuestionBody,
  SessionYear,
} from '../../shared/year/api.ts';
import type { ExportFormat } from '../../shared/export/fileName.ts';
import type { BreakoutsView, OpenBreakoutsBody } from '../../shared/year/breakouts.ts';
import type { MyPulse, OpenWindowBody, PulseWindowView } from '../../shared/year/pulse.ts';
import type { LogActivity, LogEntryInput, LogEntryView, MyLog, PeerNoteView } from '../../shared/year/practiceLog.ts';
import type { EditResourceBody, MemberPlaylists, PlaylistView, ResourceBody, ResourceView } from '../../shared/year/playlist.ts';
import { ApiError, problemOf } from './api.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call of the year's API; the token goes in the Authorization header, never the URL. */
async function request<T>(method: Method, path: string, token: string | null, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('Cannot reach the Howmight server. Check your connection and try again.', 0);
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    throw new ApiError(problem?.message ?? `The server answered ${res.status}.`, res.status, problem?.code);
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/** The cohort's staff side: `token` is a facilitator's or coach's cohort key. */
export function staffApi(cohortId: string, token: string) {
  const at = (path = '') => `/api/cohorts/${cohortId}${path}`;
  return {
    overview: () => request<CohortOverview>('GET', at(), token),
    deleteCohort: () => request<void>('DELETE', at(), token),
    invite: (body: InviteStaffBody) => request<LinkResponse>('POST', at('/staff'), token, body),
    removeStaff: (staffId: string) => request<void>('DELETE', at(`/staff/${staffId}`), token),
    reissueLink: (memberId: string) => request<LinkResponse>('POST', at(`/members/${memberId}/link`), token),
    place: (memberId: string, communityId: string | null) => request<void>('PUT', at(`/members/${memberId}/community`), token, { communityId }),
    removeMember: (memberId: string, mode: RemovalMode) => request<void>('DELETE', at(`/members/${memberId}`), token, { mode }),
    addCommunity: (body: CommunityBody) => request<CommunityView>('POST', at('/communities'), token, body),
    editCommunity: (communityId: string, body: EditCommunityBody) => request<CommunityView>('PATCH', at(`/communities/${communityId}`), token, body),
    deleteCommunity: (communityId: string) => request<void>('DELETE', at(`/communities/${communityId}`), token),
    reviseQuestion: (communityId: string, body: ReviseQuestionBody) =>
      request<QuestionVersionView>('POST', at(`/communities/${communityId}/question`), token, body),
    createMeeting: (body: CreateMeetingBody) => request<MeetingView>('POST', at('/meetings'), token, body),
    finishMeeting: (sessionId: string) => request<{ next: MeetingView | null }>('POST', at(`/meetings/${sessionId}/finish`), token),
    /** A facilitator key for one meeting: `url` is the facilitator link with the key in its fragment. */
    facilitate: (sessionId: string) => request<{ url: string; token: string }>('POST', at(`/meetings/${sessionId}/facilitate`), token),
    /** Where a community's year is as a file; fetched with the token by lib/downloadFile.ts. */
    portfolioUrl: (communityId: string, format: ExportFormat, leaveNamesOut: boolean) =>
      at(`/communities/${encodeURIComponent(communityId)}/portfolio.${format}${leaveNamesOut ? '?names=0' : ''}`),
    logActivity: () => request<LogActivity[]>('GET', at('/log-activity'), token),
    pulseWindows: () => request<PulseWindowView[]>('GET', at('/pulse'), token),
    openPulse: (body: OpenWindowBody) => request<PulseWindowView>('POST', at('/pulse'), token, body),
    closePulse: (windowId: string) => request<PulseWindowView>('POST', at(`/pulse/${windowId}/close`), token),
    pulseNotes: (windowId: string, notes: string) => request<PulseWindowView>('PUT', at(`/pulse/${windowId}/notes`), token, { notes }),
    /** A playlist: `scope` is a community's id or 'cohort'. */
    playlist: (scope: string) => request<PlaylistView>('GET', at(`/playlists/${encodeURIComponent(scope)}`), token),
    addResource: (scope: string, body: ResourceBody) => request<ResourceView>('POST', at(`/playlists/${encodeURIComponent(scope)}/resources`), token, body),
    editResource: (id: string, body: EditResourceBody) => request<ResourceView>('PATCH', at(`/resources/${id}`), token, body),
    deleteResource: (id: string) => request<void>('DELETE', at(`/resources/${id}`), token),
    moveResource: (id: string, position: number) => request<PlaylistView>('POST', at(`/resources/${id}/move`), token, { position }),
    pinResource: (id: string, pinned: boolean) => request<PlaylistView>('POST', at(`/resources/${id}/pin`), token, { pinned }),
    playlistUrl: (scope: string, format: ExportFormat) => at(`/playlists/${encodeURIComponent(scope)}.${format}`),
  };
}

/** A member's side: `token` is their personal key. */
export function memberApi(token: string) {
  return {
    home: () => request<MemberHome>('GET', '/api/me', token),
    enter: (sessionId: string) => request<JoinSessionResponse>('POST', `/api/me/meetings/${sessionId}/enter`, token),
    review: (commitmentId: string, status: ReviewOutcome) =>
      request<CommitmentView>('POST', `/api/me/commitments/${commitmentId}/review`, token, { status }),
    calendarFile: () => request<string>('GET', '/api/me/calendar.ics', token),
    calendarFeed: () => request<LinkResponse>('POST', '/api/me/calendar-feed', token),
    /** Where the member's own year is as a file; fetched with `token` by lib/downloadFile.ts. */
    portfolioUrl: (format: ExportFormat) => `/api/me/portfolio.${format}`,
    log: () => request<MyLog>('GET', '/api/me/log', token),
    /** Idempotent on the id the browser chose: the outbox may send it again. */
    saveEntry: (entryId: string, body: LogEntryInput) => request<LogEntryView>('PUT', `/api/me/log/${entryId}`, token, body),
    deleteEntry: (entryId: string) => request<void>('DELETE', `/api/me/log/${entryId}`, token),
    addNote: (entryId: string, text: string) => request<PeerNoteView>('POST', `/api/me/log/${entryId}/notes`, token, { text }),
    markSeen: (ids: string[]) => request<void>('POST', '/api/me/log/seen', token, { ids }),
    pulse: () => request<MyPulse>('GET', '/api/me/pulse', token),
    answerPulse: (windowId: string, answers: Record<string, number>) => request<void>('POST', `/api/me/pulse/${windowId}`, token, { answers }),
    nextCommitment: (entryId: string, body: { action: string; notice: string; partner: string; due: string }) =>
      request<CommitmentView>('POST', `/api/me/log/${entryId}/next-commitment`, token, body),
    playlists: () => request<MemberPlaylists>('GET', '/api/me/playlist', token),
    addResource: (body: ResourceBody) => request<ResourceView>('POST', '/api/me/playlist/resources', token, body),
    editResource: (id: string, body: EditResourceBody) => request<ResourceView>('PATCH', `/api/me/playlist/resources/${id}`, token, body),
    deleteResource: (id: string) => request<void>('DELETE', `/api/me/playlist/resources/${id}`, token),
    setUsed: (id: string, used: boolean) => request<ResourceView>('PUT', `/api/me/playlist/resources/${id}/used`, token, { used }),
    setTakeaway: (id: string, text: string) => request<ResourceView>('PUT', `/api/me/playlist/resources/${id}/takeaway`, token, { text }),
    setPair: (id: string, partnerId: string | null) => request<ResourceView>('PUT', `/api/me/playlist/resources/${id}/pair`, token, { partnerId }),
    playlistUrl: (format: ExportFormat) => `/api/me/playlist.${format}`,
    token,
  };
}

export const yearApi = {
  createCohort: (body: CreateCohortBody) => request<CreateCohortResponse>('POST', '/api/cohorts', null, body),
  lookupCohort: (body: LookupCohortBody) => request<{ name: string }>('POST', '/api/cohorts/join/lookup', null, body),
  joinCohort: (body: JoinCohortBody) => request<JoinCohortResponse>('POST', '/api/cohorts/join', null, body),
  /** The meeting's place in the year (null for a standalone session), with the session's own key. */
  sessionYear: (sessionId: string, token: string) => request<{ year: SessionYear | null }>('GET', `/api/sessions/${sessionId}/year`, token),
  reviewInMeeting: (sessionId: string, token: string, commitmentId: string, status: ReviewOutcome) =>
    request<CommitmentView>('POST', `/api/sessions/${sessionId}/year/commitments/${commitmentId}/review`, token, { status }),
  /** A cohort meeting's groups, with a key of the plenary (server/http/breakoutRouter.ts). */
  breakouts: (sessionId: string, token: string) => {
    const at = (path = '') => `/api/sessions/${sessionId}/breakouts${path}`;
    return {
      overview: () => request<BreakoutsView>('GET', at(), token),
      people: () =>
        request<{ members: Array<{ id: string; name: string; communityId: string | null }>; communities: Array<{ id: string; name: string }>; coaches: Array<{ id: string; name: string }> }>(
          'GET',
          at('/people'),
          token,
        ),
      open: (body: OpenBreakoutsBody) => request<BreakoutsView>('POST', at(), token, body),
      close: () => request<BreakoutsView>('POST', at('/close'), token),
      announce: (text: string) => request<void>('POST', at('/announce'), token, { text }),
      moveAll: (step: string) => request<{ refused: string[] }>('POST', at('/step'), token, { step }),
      showResults: (show: boolean) => request<void>('POST', at('/results'), token, { show }),
      enter: () => request<{ group: (JoinSessionResponse & { name: string }) | null }>('POST', at('/enter'), token),
      facilitate: (childId: string) => request<{ token: string }>('POST', at(`/${childId}/facilitate`), token),
      project: (childId: string) => request<{ token: string }>('POST', at(`/${childId}/project`), token),
    };
  },
  /** The trust pulse as a meeting's screens show it, and, for a participant, what is open to answer. */
  meetingPulse: (sessionId: string, token: string) =>
    request<{ windows: PulseWindowView[]; open: MyPulse['open'] }>('GET', `/api/sessions/${sessionId}/year/pulse`, token),
  answerPulseInMeeting: (sessionId: string, token: string, windowId: string, answers: Record<string, number>) =>
    request<void>('POST', `/api/sessions/${sessionId}/year/pulse/${windowId}`, token, { answers }),
  /** The meeting's agenda as it is now becomes its community's default; with the meeting's facilitator key. */
  /** The meeting's community playlist and the cohort's, for the playlist step's controls; with the meeting's facilitator key. */
  meetingPlaylists: (sessionId: string, token: string) => request<{ playlists: PlaylistView[] }>('GET', `/api/sessions/${sessionId}/year/playlist`, token),
  keepAgendaDefault: (sessionId: string, token: string, template?: TemplateId) =>
    request<{ agenda: AgendaShape }>('POST', `/api/sessions/${sessionId}/year/agenda-default`, token, template ? { template } : {}),
};
