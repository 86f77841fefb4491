import { FACILITATOR_ACTOR, type Board } from '../board/Board.ts';
import { liveClusterOf } from '../board/records/clusters.ts';
import { tallyVotes } from '../board/votes.ts';
import { CATEGORIES, CATEGORY_IDS } from '../protocol/categories.ts';
import type { Card } from '../board/records/cards.ts';
import { blockOf } from '../protocol/agendas.ts';
import { minutesOf, type ControlState } from '../protocol/control.ts';
import { PROTOCOL_IDS, PROTOCOLS } from '../protocol/protocols/index.ts';
import { STEPS, type MeetingLength, type StepId } from '../protocol/steps.ts';
import { isCarriedActor } from './carryForward.ts';
import { INQUIRY_FORMAT, INQUIRY_VERSION, type InquiryData, type InquiryProtocol, type InquiryQuestion } from './jsonSchema.ts';

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
  /**
   * Set for a participant's reduced brief: the final questions, this person's
   * commitment, and the cards that are theirs (written by them, or addressed
   * to them as the presenter).
   */
  participantId?: string | null;
}

/** YYYY-MM-DD in UTC: the server has no idea of the meeting's time zone. */
export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/**
 * Which cards an export shows. A card addressed to the presenter is theirs
 * (YEAR.md 4): in their own copy, and in the community brief only once they
 * share their notes (their focus record's `shareNotes`). A participant's copy
 * holds their own cards and those addressed to them, never one addressed to
 * someone else. The server lets a card be addressed only to the presenter of
 * the moment (server/sync/WriteGuard.ts), so the address cannot hide a card
 * from the brief.
 */
export function cardVisible(card: Card, sharedBy: ReadonlySet<string>, participantId: string | null): boolean {
  if (participantId) return card.toPresenter === participantId || (card.toPresenter === null && card.authorId === participantId);
  return card.toPresenter === null || sharedBy.has(card.toPresenter);
}

/**
 * Each protocol the meeting ran (on its agenda, or with cards on the board),
 * in agenda order: its presenter, the presenter's focusing question, and the
 * cards this export may show.
 */
function protocolRuns(board: Board, control: ControlState, options: InquiryOptions, author: (id: string) => string | null): InquiryProtocol[] {
  const focus = board.list('focus');
  const sharedBy = new Set(focus.filter((f) => f.shareNotes).map((f) => f.authorId));
  const cards = board.list('cards').filter((c) => cardVisible(c, sharedBy, options.participantId ?? null));
  const protocolOf = (step: StepId) => PROTOCOL_IDS.find((p) => (PROTOCOLS[p].steps as readonly StepId[]).includes(step));
  const order = (p: (typeof PROTOCOL_IDS)[number]) => {
    const at = control.agenda.findIndex((step) => protocolOf(step) === p);
    return at === -1 ? Number.POSITIVE_INFINITY : at;
  };
  const presenterId = control.presenterId;
  // The facilitator may have written the question down for the presenter.
  const focusText = (presenterId && focus.find((f) => f.authorId === presenterId)?.text) || focus.find((f) => f.authorId === FACILITATOR_ACTOR)?.text || null;
  return PROTOCOL_IDS.filter((p) => order(p) !== Number.POSITIVE_INFINITY || cards.some((c) => protocolOf(c.step) === p))
    .sort((a, b) => order(a) - order(b))
    .map((p) => {
      const def = PROTOCOLS[p];
      return {
        protocol: p,
        title: def.title,
        presenter: def.presenter && presenterId ? author(presenterId) : null,
        focus: def.presenter ? focusText : null,
        cards: cards
          .filter((c) => protocolOf(c.step) === p)
          .map((c) => ({
            id: c.id,
            step: c.step,
            tone: c.tone,
            category: c.category,
            text: c.text,
            author: author(c.authorId),
            toPresenter: c.toPresenter !== null,
          })),
      };
    });
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
    agenda: control.agenda.map((step) => ({
      step,
      title: STEPS[step].title,
      block: blockOf(step, control.agenda).title,
      minutes: minutesOf(step, session.lengthMinutes, control.minutes),
    })),
    protocols: protocolRuns(board, control, options, author),
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
