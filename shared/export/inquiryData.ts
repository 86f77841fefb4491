import { FACILITATOR_ACTOR, type Board } from '../board/Board.ts';
import { liveClusterOf } from '../board/records/clusters.ts';
import { tallyVotes } from '../board/votes.ts';
import { CATEGORIES, CATEGORY_IDS } from '../protocol/categories.ts';
import type { ControlState } from '../protocol/control.ts';
import type { MeetingLength } from '../protocol/steps.ts';
import { isCarriedActor } from './carryForward.ts';
import { INQUIRY_FORMAT, INQUIRY_VERSION, type InquiryData, type InquiryQuestion } from './jsonSchema.ts';

export interface InquirySource {
  board: Board;
  control: ControlState;
  session: { title: string; createdAt: number; lengthMinutes: MeetingLength };
  participants: ReadonlyArray<{ id: string; name: string }>;
}

export interface InquiryOptions {
  /** False for the facilitator's "leave names out": authors and peer partners become null. */
  names: boolean;
  /** Export time, epoch ms. */
  now: number;
  /** Set for a participant's reduced brief: the final questions and this person's commitment only. */
  participantId?: string | null;
}

/** YYYY-MM-DD in UTC: the server has no idea of the meeting's time zone. */
export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/**
 * Gathers everything an export shows from the shared board (which holds only
 * stories their authors shared, never private drafts), the control state and
 * the session, in one plain object that the renderers share.
 */
export function buildInquiryData(source: InquirySource, options: InquiryOptions): InquiryData {
  const { board, control, session } = source;
  const names = new Map(source.participants.map((p) => [p.id, p.name]));
  const author = (authorId: string): string | null => {
    if (!options.names || isCarriedActor(authorId)) return null;
    if (authorId === FACILITATOR_ACTOR) return 'Facilitator';
    return names.get(authorId) ?? null;
  };

  const tally = tallyVotes(board.list('votes'), control.voting.perPerson);
  // A cluster is exported only while it holds notes, and a note only names the cluster it is shown in.
  const clusterMap = new Map(board.list('clusters').map((c) => [c.id, c]));
  const clusterOfNote = new Map(board.list('notes').map((n) => [n.id, liveClusterOf(n, clusterMap)?.id ?? null]));
  const clusterSizes = new Map<string, number>();
  for (const clusterId of clusterOfNote.values()) if (clusterId) clusterSizes.set(clusterId, (clusterSizes.get(clusterId) ?? 0) + 1);
  const allQuestions: InquiryQuestion[] = board.list('questions').map((q) => ({
    id: q.id,
    text: q.text,
    category: q.category,
    noteIds: q.noteIds,
    clusterId: q.clusterId && clusterSizes.has(q.clusterId) ? q.clusterId : null,
    votes: tally.get(q.id) ?? 0,
    author: author(q.authorId),
  }));
  const questionIds = new Set(allQuestions.map((q) => q.id));
  // A final mark can outlive its question (deleted later): keep only live ones.
  const finalQuestionIds = control.finalQuestionIds.filter((id) => questionIds.has(id));
  const finalRank = (id: string) => {
    const rank = finalQuestionIds.indexOf(id);
    return rank === -1 ? Number.POSITIVE_INFINITY : rank;
  };
  // Final questions first, in the facilitator's order; then the most voted. The sort is stable, so ties keep creation order.
  const questions = [...allQuestions].sort((a, b) => finalRank(a.id) - finalRank(b.id) || b.votes - a.votes);

  const commitments = board.list('commitments').map((c) => ({
    id: c.id,
    action: c.action,
    notice: c.notice,
    partner: options.names && c.partner.trim() ? c.partner.trim() : null,
    date: c.date || null,
    author: author(c.authorId),
    carriedOver: isCarriedActor(c.authorId),
    authorId: c.authorId,
  }));

  const base = {
    format: INQUIRY_FORMAT,
    version: INQUIRY_VERSION,
    exportedAt: new Date(options.now).toISOString(),
    names: options.names,
    session: {
      title: session.title,
      date: isoDate(session.createdAt),
      lengthMinutes: session.lengthMinutes,
      step: control.step,
    },
    heaviest: control.heaviest,
    votesPerPerson: control.voting.perPerson,
    finalQuestionIds,
  } as const;
  const strip = ({ authorId: _, ...c }: (typeof commitments)[number]) => c;

  if (options.participantId) {
    const mine = options.participantId;
    return {
      ...base,
      scope: 'participant',
      questions: questions.filter((q) => finalQuestionIds.includes(q.id)),
      categories: [],
      notes: [],
      clusters: [],
      stories: [],
      needs: [],
      assumptions: [],
      commitments: commitments.filter((c) => c.authorId === mine).map(strip),
      norms: [],
      hopes: [],
    };
  }

  const notes = board.list('notes');
  return {
    ...base,
    scope: 'full',
    questions,
    categories: CATEGORY_IDS.map((id) => ({
      id,
      title: CATEGORIES[id].title,
      count: notes.filter((n) => n.category === id).length,
    })),
    notes: notes.map((n) => ({
      id: n.id,
      text: n.text,
      category: n.category,
      storyId: n.storyId,
      copyOf: n.copyOf,
      clusterId: clusterOfNote.get(n.id) ?? null,
      author: author(n.authorId),
    })),
    clusters: board
      .list('clusters')
      .filter((c) => clusterSizes.has(c.id))
      .map((c) => ({ id: c.id, label: c.label, category: c.category, count: clusterSizes.get(c.id)! })),
    stories: board.list('stories').map((s) => ({
      id: s.id,
      who: s.who,
      what: s.what,
      did: s.did,
      ended: s.ended,
      author: author(s.authorId),
    })),
    needs: board.list('needs').map((n) => ({ id: n.id, text: n.text, storyId: n.storyId, author: author(n.authorId) })),
    assumptions: board.list('assumptions').map((a) => ({
      id: a.id,
      text: a.text,
      status: a.status,
      storyId: a.storyId,
      author: author(a.authorId),
    })),
    // This meeting's commitments first, then those carried over from the last one.
    commitments: [...commitments.filter((c) => !c.carriedOver), ...commitments.filter((c) => c.carriedOver)].map(strip),
    norms: board.list('norms').map((n) => ({ id: n.id, text: n.text })),
    hopes: board.list('hopes').map((h) => ({ id: h.id, text: h.text, author: author(h.authorId) })),
  };
}
