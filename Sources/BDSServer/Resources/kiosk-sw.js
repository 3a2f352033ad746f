"use strict";
// The kiosk page's service worker: keeps a copy of the page and its assets, so that a reload
// while the server is down still shows the kiosk (which then says "server unreachable, retrying"
// and comes back by itself). The page is fetched from the network first, so an updated server
// is picked up at the next load; answers (/v1/…, /readyz) are never cached.
const CACHE = "bdscheck-kiosk-v1";
const SHELL = ["/", "/kiosk.css", "/kiosk-words.js", "/kiosk.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("bdscheck-kiosk-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!SHELL.includes(url.pathname)) return;
  // The page is kept once per language asked for (/?lang=ar), so a reload offline keeps its language.
  const lang = url.pathname === "/" ? url.searchParams.get("lang") : null;
  const key = lang ? "/?lang=" + lang : url.pathname;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(key, copy));
        }
        return response;
      })
      .catch(() => caches.open(CACHE).then((cache) => cache.match(key)).then((cached) => cached || Response.error()))
  );
});
