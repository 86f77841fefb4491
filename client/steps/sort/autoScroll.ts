/** How near an edge (px) a dragged note starts scrolling what it is over, and the fastest it scrolls (px per frame). */
const EDGE = 48;
const MAX_STEP = 18;

function speed(distanceToEdge: number): number {
  return distanceToEdge >= EDGE ? 0 : Math.ceil(((EDGE - Math.max(0, distanceToEdge)) / EDGE) * MAX_STEP);
}

function scrollable(el: Element, axis: 'x' | 'y'): boolean {
  const style = getComputedStyle(el);
  const overflow = axis === 'x' ? style.overflowX : style.overflowY;
  if (overflow !== 'auto' && overflow !== 'scroll') return false;
  return axis === 'x' ? el.scrollWidth > el.clientWidth : el.scrollHeight > el.clientHeight;
}

/**
 * While a note is dragged, scrolls whatever it is held near the edge of: the
 * scrolling boxes under the pointer (a column's list, the row of columns) and
 * the page itself, since a touch drag does not scroll the page. Call `move`
 * with every pointer position and `stop` when the drag ends; `onScroll` runs
 * after a frame that scrolled, so the drop target can be found again.
 */
export class AutoScroll {
  #x = 0;
  #y = 0;
  #frame = 0;

  constructor(private readonly onScroll: () => void) {}

  move(x: number, y: number): void {
    this.#x = x;
    this.#y = y;
    if (!this.#frame) this.#frame = requestAnimationFrame(this.#tick);
  }

  stop(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  #tick = () => {
    this.#frame = 0;
    const x = this.#x;
    const y = this.#y;
    let scrolled = false;
    for (let el = document.elementFromPoint(x, y); el && el !== document.documentElement; el = el.parentElement) {
      const box = el.getBoundingClientRect();
      for (const axis of ['x', 'y'] as const) {
        if (!scrollable(el, axis)) continue;
        const back = speed(axis === 'x' ? x - box.left : y - box.top);
        const forth = speed(axis === 'x' ? box.right - x : box.bottom - y);
        const step = forth - back;
        if (step === 0) continue;
        const before = axis === 'x' ? el.scrollLeft : el.scrollTop;
        if (axis === 'x') el.scrollLeft += step;
        else el.scrollTop += step;
        if ((axis === 'x' ? el.scrollLeft : el.scrollTop) !== before) scrolled = true;
      }
    }
    const page = document.scrollingElement ?? document.documentElement;
    const dy = speed(window.innerHeight - y) - speed(y);
    const dx = speed(window.innerWidth - x) - speed(x);
    if (dx !== 0 || dy !== 0) {
      const { scrollLeft, scrollTop } = page;
      window.scrollBy(dx, dy);
      if (page.scrollLeft !== scrollLeft || page.scrollTop !== scrollTop) scrolled = true;
    }
    if (scrolled) {
      this.onScroll();
      // Keep going while the pointer rests at the edge.
      this.#frame = requestAnimationFrame(this.#tick);
    }
  };
}
