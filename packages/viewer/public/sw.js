// The viewer's service worker: caches the app shell (the page, its scripts and styles) so the viewer opens
// offline. It only ever touches GET requests for files under its own folder; manifests, files, links and
// decrypted data are never seen or stored here.
const CACHE = 'shlkit-viewer-v1';
const BASE = new URL('./', self.location.href).pathname; // "/view/"
const PAGE = BASE.replace(/\/$/, ''); // "/view"

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([BASE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

const isShell = (url) =>
  url.origin === self.location.origin && (url.pathname === PAGE || url.pathname.startsWith(BASE));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!isShell(url)) return;
  const isPage = request.mode === 'navigate' || url.pathname === PAGE || url.pathname === BASE;
  if (isPage) {
    // Network first for the page (so a new build is picked up), the cached shell when offline. The key in
    // the fragment is not part of the request URL, so it never reaches the cache.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(BASE, copy));
          }
          return response;
        })
        .catch(() => caches.match(BASE).then((cached) => cached ?? Response.error())),
    );
    return;
  }
  // Hashed assets never change: cache first.
  event.respondWith(
    caches.match(request).then(
      (cached) =>
        cached ??
        fetch(request).then((response) => {
          if (response.ok) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
