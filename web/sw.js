// Closeloop service worker (build {{BUILD}}): caches the app shell (html, js, wasm, fonts, icons)
// so the app starts with no network after the first visit (issue 5). The cache name carries the
// build hash: a new deployment installs a new cache, activates at once and drops the old one.
// API calls (/api/…) always go to the network — offline data lives in the app's IndexedDB replica.
'use strict';
const BUILD = '{{BUILD}}';
const CACHE = 'closeloop-shell-' + BUILD;
const SHELL = '{{SHELL_FILES}}';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((u) => new Request(u, { cache: 'reload' }))))
      .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('closeloop-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    // The shell page: network first (fresh deployment), cached copy when offline.
    event.respondWith(fetch(req).catch(() => caches.match('./', { cacheName: CACHE })));
    return;
  }
  // Versioned shell files (app.js?v=<build>): cache first, ignoring the version query.
  event.respondWith(
    caches.match(req, { cacheName: CACHE, ignoreSearch: true }).then((hit) => hit || fetch(req)));
});
