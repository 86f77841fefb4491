import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';

/**
 * An attachment that reports its element's height (offsetHeight, px) when the
 * element is drawn, again whenever what `key` reads changes (the text, the
 * width it is drawn at), and whenever the element is resized for another reason
 * (a web font arriving). `key` names what the height was measured for, so the
 * caller can tell a height that still holds from one that has gone stale.
 * All elements share one ResizeObserver.
 */
export function measuredHeight(key: () => string, onheight: (px: number, key: string) => void): Attachment<HTMLElement> {
  return (element) => {
    const measuredFor = key();
    const report = () => untrack(() => onheight(element.offsetHeight, measuredFor));
    report();
    reports.set(element, report);
    observer().observe(element);
    return () => {
      reports.delete(element);
      observer().unobserve(element);
    };
  };
}

const reports = new Map<Element, () => void>();
let shared: ResizeObserver | null = null;

function observer(): ResizeObserver {
  shared ??= new ResizeObserver((entries) => {
    for (const entry of entries) reports.get(entry.target)?.();
  });
  return shared;
}
