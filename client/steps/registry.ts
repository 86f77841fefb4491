import type { Component } from 'svelte';
import type { StepId } from '../../shared/protocol/steps.ts';
import type { BoardProps, StepViews } from './types.ts';

type Module<T> = Promise<{ default: T }>;

/**
 * A step's views, fetched the first time the step is shown: each step is its
 * own chunk, so a participant's first paint loads only the step on screen,
 * and the facilitator's controls come only for the facilitator. `ready` has
 * what was fetched already, to draw at once. Pairing a board with its
 * controls checks that the board takes those very controls.
 */
export interface StepLoader {
  load(withControls: boolean): Promise<StepViews<any>>;
  ready(withControls: boolean): StepViews<any> | undefined;
}

function lazy<C extends object>(board: () => Module<Component<BoardProps<C>>>, controls?: () => Module<Component<C>>): StepLoader {
  const fetched = new Map<boolean, StepViews<C>>();
  return {
    async load(withControls) {
      const [b, c] = await Promise.all([board(), withControls ? controls?.() : undefined]);
      const views: StepViews<C> = c ? { board: b.default, controls: c.default } : { board: b.default };
      fetched.set(withControls, views);
      return views;
    },
    ready: (withControls) => fetched.get(withControls),
  };
}

/** Fetches every step's views in the background, so a step shown later (even offline, from the service worker) is there. */
export function prefetchSteps(withControls: boolean): Promise<void> {
  // Each loader once (the protocols' steps share one), and none already fetched.
  const missing = [...new Set(Object.values(STEP_VIEWS))].filter((step) => !step.ready(withControls));
  return Promise.allSettled(missing.map((step) => step.load(withControls))).then(() => undefined);
}

/**
 * The one board of the monthly blocks and the protocols: it reads the step's
 * registry entry (go-round, presenter, cards, focus), so a new protocol's
 * steps are a line each here.
 */
const protocol = lazy(() => import('./protocol/ProtocolBoard.svelte'), () => import('./protocol/ProtocolControls.svelte'));

/**
 * The views of every protocol step; a new step id fails to compile until it
 * has a board. Steps without facilitator controls have none.
 */
export const STEP_VIEWS: Record<StepId, StepLoader> = {
  open: lazy(() => import('./open/OpenBoard.svelte'), () => import('./open/OpenControls.svelte')),
  story: lazy(() => import('./story/StoryBoard.svelte'), () => import('./story/StoryControls.svelte')),
  need: lazy(() => import('./need/NeedBoard.svelte')),
  assumptions: lazy(() => import('./assumptions/AssumptionsBoard.svelte'), () => import('./assumptions/AssumptionsControls.svelte')),
  causes: lazy(() => import('./causes/CausesBoard.svelte'), () => import('./causes/CausesControls.svelte')),
  sort: lazy(() => import('./sort/SortBoard.svelte'), () => import('./sort/SortControls.svelte')),
  hmw: lazy(() => import('./hmw/HmwBoard.svelte'), () => import('./hmw/HmwControls.svelte')),
  commit: lazy(() => import('./commit/CommitBoard.svelte')),
  close: lazy(() => import('./close/CloseBoard.svelte')),
  // The monthly meeting's blocks (shared/protocol/monthly.ts).
  checkin: protocol,
  review: lazy(() => import('./review/ReviewBoard.svelte')),
  logRound: protocol,
  playlist: lazy(() => import('./playlist/PlaylistBoard.svelte'), () => import('./playlist/PlaylistControls.svelte')),
  revise: lazy(() => import('./revise/ReviseBoard.svelte')),
  // Success Analysis, Consultancy, Tuning (shared/protocol/protocols/).
  successWrite: protocol,
  successRounds: protocol,
  successConditions: protocol,
  successDebrief: protocol,
  consultFrame: protocol,
  consultClarify: protocol,
  consultProbe: protocol,
  consultDiscuss: protocol,
  consultRespond: protocol,
  consultDebrief: protocol,
  tuningIntro: protocol,
  tuningPresent: protocol,
  tuningClarify: protocol,
  tuningExamine: protocol,
  tuningFeedback: protocol,
  tuningReflect: protocol,
  tuningDebrief: protocol,
};
