import type { Component } from 'svelte';
import type { StepId } from '../../shared/protocol/steps.ts';
import AssumptionsStep from './AssumptionsStep.svelte';
import CausesStep from './CausesStep.svelte';
import CloseStep from './CloseStep.svelte';
import CommitStep from './CommitStep.svelte';
import HmwStep from './HmwStep.svelte';
import NeedStep from './NeedStep.svelte';
import OpenStep from './OpenStep.svelte';
import SortStep from './SortStep.svelte';
import StoryStep from './StoryStep.svelte';
import type { StepProps } from './types.ts';

/** One view per protocol step; a new step id fails to compile until it has one. */
export const STEP_VIEWS: Record<StepId, Component<StepProps>> = {
  open: OpenStep,
  story: StoryStep,
  need: NeedStep,
  assumptions: AssumptionsStep,
  causes: CausesStep,
  sort: SortStep,
  hmw: HmwStep,
  commit: CommitStep,
  close: CloseStep,
};
