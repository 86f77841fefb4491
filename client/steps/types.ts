/** Who a step view is drawn for. */
export type StepMode = 'participant' | 'facilitator' | 'projector';

export interface StepProps {
  mode: StepMode;
}
