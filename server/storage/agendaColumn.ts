import { agendaShapeSchema, type AgendaShape } from '../../shared/year/api.ts';

/** A community's agenda as its column holds it: checked before it is written, so only a shape the server can run is ever kept. */
export function agendaColumn(agenda: AgendaShape | null): string | null {
  return agenda ? JSON.stringify(agendaShapeSchema.parse(agenda)) : null;
}

/**
 * A kept shape as read back, by either store. One that no longer checks (a
 * step renamed in a later version) is treated as none, so the next meeting
 * starts on the year's suggested template instead of failing to be scheduled.
 */
export function readAgenda(text: string): AgendaShape | null {
  try {
    const parsed = agendaShapeSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
