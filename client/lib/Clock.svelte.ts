import { createContext } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';

/**
 * A quarter second, not a full one: ticks fall at an arbitrary phase of the
 * timer's seconds, so a slower tick would let two screens show different seconds.
 */
const TICK_MS = 250;

/**
 * The time now, for everything on screen that counts (the step timer, the
 * speaker's time, the projector's "time is up"). One interval for all of
 * them, and it runs only while something on screen reads `now`.
 */
export class Clock {
  readonly #subscribe = createSubscriber((update) => {
    const tick = setInterval(update, TICK_MS);
    return () => clearInterval(tick);
  });

  /** This device's time in milliseconds; read in markup or `$derived`, it updates every tick. */
  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

export const [getClock, setClock] = createContext<Clock>();
