import type { StepId } from '../../shared/protocol/steps.ts';
import AssumptionsBoard from './assumptions/AssumptionsBoard.svelte';
import AssumptionsControls from './assumptions/AssumptionsControls.svelte';
import CausesBoard from './causes/CausesBoard.svelte';
import CausesControls from './causes/CausesControls.svelte';
import CloseBoard from './close/CloseBoard.svelte';
import CommitBoard from './commit/CommitBoard.svelte';
import HmwBoard from './hmw/HmwBoard.svelte';
import HmwControls from './hmw/HmwControls.svelte';
import NeedBoard from './need/NeedBoard.svelte';
import OpenBoard from './open/OpenBoard.svelte';
import OpenControls from './open/OpenControls.svelte';
import PlaylistBoard from './playlist/PlaylistBoard.svelte';
import PlaylistControls from './playlist/PlaylistControls.svelte';
import ProtocolBoard from './protocol/ProtocolBoard.svelte';
import ProtocolControls from './protocol/ProtocolControls.svelte';
import ReviewBoard from './review/ReviewBoard.svelte';
import ReviseBoard from './revise/ReviseBoard.svelte';
import SortBoard from './sort/SortBoard.svelte';
import SortControls from './sort/SortControls.svelte';
import StoryBoard from './story/StoryBoard.svelte';
import StoryControls from './story/StoryControls.svelte';
import type { StepViews } from './types.ts';

/** Checks that a board takes the very controls it is paired with. */
const views = <C extends object>(step: StepViews<C>): StepViews<C> => step;

/**
 * The one board of the monthly blocks and the protocols: it reads the step's
 * registry entry (go-round, presenter, cards, focus), so a new protocol's
 * steps are a line each here.
 */
const protocol = views({ board: ProtocolBoard, controls: ProtocolControls });

/**
 * The views of every protocol step; a new step id fails to compile until it
 * has a board. Steps without facilitator controls have none.
 */
export const STEP_VIEWS: Record<StepId, StepViews<any>> = {
  open: views({ board: OpenBoard, controls: OpenControls }),
  story: views({ board: StoryBoard, controls: StoryControls }),
  need: views({ board: NeedBoard }),
  assumptions: views({ board: AssumptionsBoard, controls: AssumptionsControls }),
  causes: views({ board: CausesBoard, controls: CausesControls }),
  sort: views({ board: SortBoard, controls: SortControls }),
  hmw: views({ board: HmwBoard, controls: HmwControls }),
  commit: views({ board: CommitBoard }),
  close: views({ board: CloseBoard }),
  // The monthly meeting's blocks (shared/protocol/monthly.ts).
  checkin: protocol,
  review: views({ board: ReviewBoard }),
  logRound: protocol,
  playlist: views({ board: PlaylistBoard, controls: PlaylistControls }),
  revise: views({ board: ReviseBoard }),
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
