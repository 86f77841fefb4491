import * as Y from 'yjs';

/**
 * The server's state (`server`, a doc freshly synced from it) with the changes
 * of `local` that the server lacks put on top: the board as it would be had a
 * refused update been taken. Compared with `server`, it shows exactly what was
 * not taken, and nothing that a newer server change (the facilitator's, say)
 * merely overwrote on this device's older copy.
 */
export function unsentOnto(local: Y.Doc, server: Y.Doc): Y.Doc {
  const merged = new Y.Doc();
  Y.applyUpdate(merged, Y.encodeStateAsUpdate(server));
  Y.applyUpdate(merged, Y.encodeStateAsUpdate(local, Y.encodeStateVector(server)));
  return merged;
}

/** Whether `local` holds any change `server` lacks (a refused update the server applied and then repaired leaves none). */
export function hasUnsent(local: Y.Doc, server: Y.Doc): boolean {
  const known = Y.decodeStateVector(Y.encodeStateVector(server));
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(local))) if (clock > (known.get(client) ?? 0)) return true;
  return false;
}
