/**
 * A text box that grows with its text, so nothing typed is hidden behind a
 * scrollbar on a phone. Browsers with `field-sizing: content` (app.css, class
 * `grow`) do it in CSS; elsewhere the height follows the content on input and
 * whenever the value given here changes (a draft arriving from another tab).
 */
export function autosize(node: HTMLTextAreaElement, _value?: string): { update(value?: string): void; destroy(): void } {
  node.classList.add('grow');
  const native = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');
  const fit = () => {
    if (native) return;
    node.style.height = 'auto';
    const border = node.offsetHeight - node.clientHeight;
    node.style.height = `${node.scrollHeight + border}px`;
  };
  fit();
  node.addEventListener('input', fit);
  return {
    update: () => queueMicrotask(fit),
    destroy: () => node.removeEventListener('input', fit),
  };
}
