import { onDestroy } from 'svelte';
import { LiveBoard, setBoard } from './board.svelte.ts';
import { Session, setSession } from './session.svelte.ts';

/**
 * Connects both planes for a board view and provides them to its children.
 * Call during component initialisation; everything closes with the view.
 */
export function openSession(sessionId: string, token: string, actor: string, readOnly: boolean, participantId?: string) {
  // Participants keep the last known step on the device, for a reload while offline.
  const session = new Session(token, participantId ? `howmight.session.${sessionId}.${participantId}` : null);
  const board = new LiveBoard({ sessionId, token, actor, readOnly, participantId });
  session.onDeleted = () => void board.forgetEverything();
  setSession(session);
  setBoard(board);
  onDestroy(() => {
    session.destroy();
    board.destroy();
  });
  return { session, board };
}
