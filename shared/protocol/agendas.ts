import type { StepId } from './steps.ts';

/**
 * Meeting templates: the ordered steps a meeting walks. A new session copies
 * one into its control state, so a later change to a template never reorders a
 * meeting already under way. The monthly meetings of a later issue are one
 * more entry here.
 */
export const AGENDAS = {
  /** The equity inquiry (PROTOCOL.md), in the order it is run. */
  inquiry: ['open', 'story', 'need', 'assumptions', 'causes', 'sort', 'hmw', 'commit', 'close'],
} as const satisfies Record<string, readonly [StepId, ...StepId[]]>;

export type AgendaId = keyof typeof AGENDAS;

/** What a session stored before agendas existed walks. */
export const DEFAULT_AGENDA: AgendaId = 'inquiry';
