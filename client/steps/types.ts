import type { Component } from 'svelte';

/** Who a step view is drawn for. */
export type StepMode = 'participant' | 'facilitator' | 'projector';

export interface StepProps {
  mode: StepMode;
}

/**
 * A step's board, drawn for everyone. The facilitator's view hands it the
 * step's controls, and the board draws them where they belong on it (a panel
 * above the questions, a button on each question), so the board never asks
 * who is facilitating.
 */
export interface BoardProps<C extends object = Record<string, never>> extends StepProps {
  controls?: Component<C>;
}

/** The views of one step: its board, and the facilitator's controls if it has any. */
export interface StepViews<C extends object = Record<string, never>> {
  board: Component<BoardProps<C>>;
  controls?: Component<C>;
}
