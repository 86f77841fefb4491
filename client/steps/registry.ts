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
import SortBoard from './sort/SortBoard.svelte';
import SortControls from './sort/SortControls.svelte';
import StoryBoard from './story/StoryBoard.svelte';
import StoryControls from './story/StoryControls.svelte';
import type { StepViews } from './types.ts';

/** Checks that a board takes the very controls it is paired with. */
const views = <C extends object>(step: StepViews<C>): StepViews<C> => step;

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
};
