import { onDestroy } from 'svelte';
import { LiveBoard, setBoard, type LiveBoardOptions } from './board.svelte.ts';
import { Clock, setClock } from './Clock.svelte.ts';
import { Session, setSession } from './session.svelte.ts';

export interface OpenSessionOptions extends LiveBoardOptions {
  /** Facilitator and projector: the join secret their link carried, for the QR codes they show. */
  joinSecret?: string;
}

/**
 * Connects both planes for a board view and provides them, with the clock,
 * to its children. Call during component initialisation; everything closes
 * with the view.
 */
export function openSession({ joinSecret, ...options }: OpenSessionOptions) {
  const { sessionId, participantId } = options;
  const board = new LiveBoard(options);
  // Participants keep the last known step on the device, for a reload while offline.
  const session = new Session(options.token, {
    cacheKey: participantId ? `howmight.session.${sessionId}.${participantId}` : null,
    joinSecret,
    onControl: (control) => board.followControl(control),
  });
  session.onDeleted = () => void board.forgetEverything();
  board.anonymousNote = (request) => session.anonymousNote(request);
  setSession(session);
  setBoard(board);
  setClock(new Clock());
  onDestroy(() => {
    session.destroy();
    board.destroy();
  });
  return { session, board };
}
