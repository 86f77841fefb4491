/**
 * Whether this browser has seen a first-run guide. Kept in localStorage, so a
 * facilitator who dismissed it once never sees it again on this device (and
 * can still reopen it). Blocked storage shows it each time, and dismissing
 * still hides it for the page.
 */
export class FirstRun {
  #open = $state(false);

  constructor(private readonly key: string) {
    this.#open = !seen(key);
  }

  get open(): boolean {
    return this.#open;
  }

  show(): void {
    this.#open = true;
  }

  dismiss(): void {
    this.#open = false;
    try {
      localStorage.setItem(this.key, '1');
    } catch {
      // Private mode: the guide comes back next time, which is harmless.
    }
  }
}

function seen(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}
