/**
 * The sync server's refusal reasons (server/sync/WriteGuard.ts) in words a
 * participant understands. Unknown reasons are shown as they came.
 */
const PREFIX = 'Update refused: ';

const RULES: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/the board is locked/, () => 'The facilitator locked the board'],
  [/this step does not take them now/, () => 'The meeting had moved on to another step'],
  [/notes go on the board after the reveal/, () => 'Notes go on the board after the facilitator reveals them'],
  [/voting is not open/, () => 'Voting was not open'],
  [/only its author can (change|remove)/, () => 'Only its author can change that'],
  [/at most (\d+) per person/, (m) => `You reached the limit of ${m[1]}`],
  [/the board is full|the board holds at most/, () => 'The board is full'],
  [/builds on changes this server never received|deletes changes this server never received|overlaps changes/, () => 'This device was out of step with the board'],
];

export function plainReason(reason: string): string {
  const raw = reason.startsWith(PREFIX) ? reason.slice(PREFIX.length) : reason;
  for (const [pattern, say] of RULES) {
    const match = pattern.exec(raw);
    if (match) return say(match);
  }
  // The UI adds its own full stop.
  const trimmed = raw.replace(/[.\s]+$/, '').trim() || 'The server did not take it';
  return trimmed[0]!.toUpperCase() + trimmed.slice(1);
}
