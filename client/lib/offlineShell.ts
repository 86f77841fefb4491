/**
 * Registers the service worker that keeps the app shell for offline reloads,
 * and tells it which assets this page loaded before it was in control.
 */
export function keepShellOffline(): void {
  if (!('serviceWorker' in navigator)) return; // plain http on a LAN: no worker, still works online
  const sendLoaded = () => {
    const loaded = performance.getEntriesByType('resource').map((entry) => entry.name);
    const scripts = [...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>('script[src], link[href]')].map(
      (el) => ('src' in el ? el.src : el.href),
    );
    navigator.serviceWorker.controller?.postMessage({ cache: [...loaded, ...scripts] });
  };
  navigator.serviceWorker.register('/sw.js').then(
    () => {
      navigator.serviceWorker.ready.then(() => {
        sendLoaded();
        // Views load on demand: list them again once the first view is in.
        setTimeout(sendLoaded, 3000);
      });
      navigator.serviceWorker.addEventListener('controllerchange', sendLoaded);
    },
    () => {},
  );
}
