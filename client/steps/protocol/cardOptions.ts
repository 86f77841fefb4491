import type { StepId } from '../../../shared/protocol/steps.ts';

/**
 * How a step that takes cards treats them, beyond the registry's
 * `accepts: ['card']`: the views' own data, so a new protocol's cards are a
 * line here, not new components.
 * - `tone`: each card is warm or cool feedback (Tuning);
 * - `sort`: the group sorts each card into the four categories (Success Analysis);
 * - `alsoShows`: earlier steps whose cards this step carries on with.
 */
export interface CardOptions {
  tone?: 'write' | 'show';
  sort?: boolean;
  alsoShows?: readonly StepId[];
  /** The form's label, when "Your card" says too little. */
  label?: string;
}

export const CARD_OPTIONS: Partial<Record<StepId, CardOptions>> = {
  successWrite: { label: 'Your success' },
  successRounds: { label: 'A note for the teller' },
  successConditions: { sort: true, label: 'A condition behind our successes' },
  consultClarify: { label: 'A clarifying question' },
  consultProbe: { label: 'A probing question' },
  consultDiscuss: { label: 'A note for the presenter' },
  consultRespond: { alsoShows: ['consultDiscuss'] },
  tuningClarify: { label: 'A clarifying question' },
  tuningExamine: { tone: 'write', label: 'Your feedback' },
  tuningFeedback: { tone: 'write', alsoShows: ['tuningExamine'], label: 'More feedback' },
  tuningReflect: { tone: 'show', alsoShows: ['tuningExamine', 'tuningFeedback'] },
  playlist: { label: 'An idea you could use at your school' },
};
