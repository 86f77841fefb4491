// Howmight's service worker: keeps the app shell (index.html and the built
// assets) so a participant who reloads while the school Wi-Fi is down still
// gets the app, and with it their notes from IndexedDB. It never caches the
// API or the sockets: board content lives in IndexedDB, behind the app.
const CACHE = 'howmight-shell-v1';
const SHELL = '/index.html';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function isShellAsset(url) {
  return url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg';
}

async function remember(key, response) {
  if (response.ok) await (await caches.open(CACHE)).put(key, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Network first, so a new version is picked up as soon as the server answers.
    event.respondWith(
      fetch(request)
        .then((response) => remember(SHELL, response))
        .catch(async () => (await caches.match(SHELL)) ?? Response.error()),
    );
  } else if (isShellAsset(url)) {
    // Built assets have content hashes in their names: a cached copy is always right.
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request).then((r) => remember(request, r))));
  }
});

// The page lists what it loaded before this worker took control.
self.addEventListener('message', (event) => {
  const urls = Array.isArray(event.data?.cache) ? event.data.cache : [];
  event.waitUntil(
    Promise.all(
      urls
        .map((u) => new URL(u, self.location.origin))
        .filter((u) => u.origin === self.location.origin && isShellAsset(u))
        .map((u) => caches.match(u.href).then((hit) => hit ?? fetch(u.href).then((r) => remember(u.href, r)))),
    ).then(() => fetch('/').then((r) => remember(SHELL, r))),
  );
});
