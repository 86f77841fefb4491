import { AGENDAS, MONTHLY_BLOCKS, blockOf } from '../../shared/protocol/agendas.ts';
import { PROTOCOLS, PROTOCOL_IDS } from '../../shared/protocol/protocols/index.ts';
import { STEPS, type StepId } from '../../shared/protocol/steps.ts';

/**
 * The composer's editing of an agenda, as pure functions on a list of steps:
 * the steps in blocks (a block is a run of neighbouring steps that share one,
 * as placeInBlock reads them), moving a step or a block, removing one, and
 * adding a block from the registry. Each returns a new list.
 */

export interface DraftBlock {
  title: string;
  /** Index of its first step in the agenda. */
  start: number;
  steps: StepId[];
}

export function blocksOf(agenda: readonly StepId[]): DraftBlock[] {
  const blocks: DraftBlock[] = [];
  agenda.forEach((step, i) => {
    const title = blockOf(step, agenda).title;
    const last = blocks.at(-1);
    if (last && last.title === title) last.steps.push(step);
    else blocks.push({ title, start: i, steps: [step] });
  });
  return blocks;
}

/** Swaps a step with its neighbour (`by` -1: up, 1: down); at an end, the same list. */
export function moveStep(agenda: readonly StepId[], step: StepId, by: -1 | 1): StepId[] {
  const at = agenda.indexOf(step);
  const to = at + by;
  if (at < 0 || to < 0 || to >= agenda.length) return [...agenda];
  const next = [...agenda];
  [next[at], next[to]] = [next[to]!, next[at]!];
  return next;
}

/** Swaps block `index` with the block before or after it. */
export function moveBlock(agenda: readonly StepId[], index: number, by: -1 | 1): StepId[] {
  const blocks = blocksOf(agenda);
  const other = index + by;
  if (!blocks[index] || !blocks[other]) return [...agenda];
  [blocks[index], blocks[other]] = [blocks[other], blocks[index]];
  return blocks.flatMap((b) => b.steps);
}

export function removeSteps(agenda: readonly StepId[], steps: readonly StepId[]): StepId[] {
  return agenda.filter((s) => !steps.includes(s));
}

/** What can be added: each protocol as one block, the monthly blocks, the inquiry's steps; only what is not on the agenda yet. */
export interface Addable {
  id: string;
  label: string;
  group: 'Protocols' | 'Monthly blocks' | 'Inquiry steps';
  steps: StepId[];
}

export function addables(agenda: readonly StepId[]): Addable[] {
  const missing = (steps: readonly StepId[]) => steps.filter((s) => !agenda.includes(s));
  const out: Addable[] = [];
  for (const id of PROTOCOL_IDS) {
    const steps = missing(PROTOCOLS[id].steps);
    const all = PROTOCOLS[id].steps.length;
    if (steps.length) out.push({ id: `protocol:${id}`, label: `${PROTOCOLS[id].title} (${steps.length === all ? `${all} steps` : `${steps.length} of ${all} steps`})`, group: 'Protocols', steps });
  }
  for (const block of MONTHLY_BLOCKS) {
    const steps = missing(block.steps.filter((s) => !(AGENDAS.inquiry as readonly StepId[]).includes(s)));
    if (steps.length) out.push({ id: `block:${block.id}`, label: `${block.title}: ${steps.map((s) => STEPS[s].title).join(', ')}`, group: 'Monthly blocks', steps });
  }
  for (const step of missing(AGENDAS.inquiry)) out.push({ id: `step:${step}`, label: STEPS[step].title, group: 'Inquiry steps', steps: [step] });
  return out;
}

/**
 * Adds steps as one block: before the closing Commit and Close when the
 * agenda ends with them (a meeting ends by committing), else at the end.
 */
export function addSteps(agenda: readonly StepId[], steps: readonly StepId[]): StepId[] {
  const adding = steps.filter((s) => !agenda.includes(s));
  const closing = (s: StepId | undefined) => s === 'commit' || s === 'close';
  let at = agenda.length;
  if (!adding.some(closing)) while (at > 0 && closing(agenda[at - 1])) at--;
  return [...agenda.slice(0, at), ...adding, ...agenda.slice(at)];
}
