import type { StepId } from '../stepIds.ts';

/**
 * A protocol for the monthly meeting's middle block (YEAR.md 4): its steps,
 * in order, with their time boxes in each step's registry entry (sized for a
 * block of 30, 50 or 60 minutes in a 60-, 90- or 120-minute meeting).
 * Adding a protocol is a file here, its step ids in stepIds.ts, one line in
 * ./index.ts, and the steps' views (client/steps/registry.ts).
 */
export interface ProtocolDef {
  id: string;
  title: string;
  purpose: string;
  /** Whether one member presents a problem of practice (the facilitator chooses them for the block). */
  presenter: boolean;
  /** The group it works best with. */
  groupSize: readonly [min: number, max: number];
  /** The first meeting of the year it is suggested for: dilemma protocols need trust first. */
  recommendedFrom: number;
  steps: readonly [StepId, ...StepId[]];
}
