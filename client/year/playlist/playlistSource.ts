import type { ExportFormat } from '../../../shared/export/fileName.ts';
import type { EditResourceBody, PlaylistView, ResourceBody, ResourceView } from '../../../shared/year/playlist.ts';
import type { memberApi, staffApi } from '../../lib/yearApi.ts';

/**
 * What a playlist panel can do, for whoever reads it: staff curate (move,
 * pin, edit any), a member adds to their community's, edits their own and
 * marks what they used. The panel asks `can…` instead of who is reading.
 */
export interface PlaylistSource {
  kind: 'staff' | 'member';
  /** The playlists this panel shows, in order. */
  load(): Promise<PlaylistView[]>;
  /** Where new resources go; null: this reader adds nowhere here. */
  add: ((body: ResourceBody) => Promise<ResourceView>) | null;
  edit(id: string, body: EditResourceBody): Promise<ResourceView>;
  remove(id: string): Promise<void>;
  canEdit(r: ResourceView): boolean;
  /** Staff only: the order and this month's pick. */
  move?: (id: string, position: number) => Promise<unknown>;
  pin?: (id: string, pinned: boolean) => Promise<unknown>;
  /** Members only: their private mark, their takeaway, who they worked on it with. */
  used?: (id: string, used: boolean) => Promise<ResourceView>;
  takeaway?: (id: string, text: string) => Promise<ResourceView>;
  pair?: (id: string, partnerId: string | null) => Promise<ResourceView>;
  /** Members only: the cohort's other members. */
  partners: Array<{ id: string; name: string }>;
  /** The question versions a resource may serve. */
  questions: PlaylistQuestion[];
  /** The meeting a resource was featured in, by its session id, when this reader knows it. */
  meetingTitle(sessionId: string): string | null;
  token: string;
  downloadUrl(format: ExportFormat): string;
}

export interface PlaylistQuestion {
  id: string;
  version: number;
  label: string;
}

/** The question versions and meetings a reader knows of, as a source takes them. */
export interface PlaylistContext {
  questions: PlaylistQuestion[];
  meetings: Array<{ sessionId: string; title: string }>;
}

const titleIn = (context: PlaylistContext) => (sessionId: string) => context.meetings.find((m) => m.sessionId === sessionId)?.title ?? null;

export function staffSource(api: ReturnType<typeof staffApi>, token: string, scope: string, context: PlaylistContext): PlaylistSource {
  return {
    kind: 'staff',
    load: async () => [await api.playlist(scope)],
    add: (body) => api.addResource(scope, body),
    edit: api.editResource,
    remove: api.deleteResource,
    canEdit: () => true,
    move: api.moveResource,
    pin: api.pinResource,
    partners: [],
    questions: context.questions,
    meetingTitle: titleIn(context),
    token,
    downloadUrl: (format) => api.playlistUrl(scope, format),
  };
}

export function memberSource(api: ReturnType<typeof memberApi>, context: PlaylistContext): PlaylistSource {
  const source: PlaylistSource = {
    kind: 'member',
    load: async () => {
      const mine = await api.playlists();
      source.partners = mine.partners;
      source.add = mine.community ? api.addResource : null;
      return [...(mine.community ? [mine.community] : []), mine.cohort];
    },
    add: null,
    edit: api.editResource,
    remove: api.deleteResource,
    canEdit: (r) => r.yours,
    used: api.setUsed,
    takeaway: api.setTakeaway,
    pair: api.setPair,
    partners: [],
    questions: context.questions,
    meetingTitle: titleIn(context),
    token: api.token,
    downloadUrl: api.playlistUrl,
  };
  return source;
}
