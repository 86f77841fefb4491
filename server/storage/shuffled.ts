import crypto from 'node:crypto';

/**
 * Fisher-Yates with the CSPRNG: the stored order of a window's pulse answers
 * must not be predictable from the order of answering (SqlitePulseStore,
 * PgPulseStore).
 */
export function shuffled<T>(list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
