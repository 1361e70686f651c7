// The mini-program's shell, kept by a service worker so the app opens with no network (Ali's networks drop).
// The server names every shell file with a fingerprint of its bytes (mini/assets.py): those are answered from the
// cache first, with no round trip on 2G. The page itself comes from the network when it answers (so a deploy shows
// at once) and from the cache when it does not; the API is never cached: an offline page shows the offline book kept
// in localStorage (static/offline.js). The server writes the shell's fingerprint into the cache's name.
const CACHE = "gongji-shell-@SHELL@";
const SHELL = ["/", "/static/app.css", "/static/app.js", "/static/api.js", "/static/dom.js", "/static/offline.js",
               "/static/proxies.js", "/static/i18n.js", "/static/i18n/zh.json", "/static/i18n/bo.json",
               "/static/shell.js", "/static/family.js", "/static/money.js", "/static/order.js",
               "/static/fonts/TibetanMachineUni-gongji-ui.woff2", "/static/fonts/TibetanMachineUni-gongji.woff2"];
               // the fonts: a phone without a Tibetan font reads Tibetan offline too
const PATIENCE_MS = 4000;  // a network that has not answered by then is as good as none

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The mini-program's pages are "/" and the invitation links "/i/<code>": both are app.html, cached as "/".
function pageKey(request) {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || request.mode !== "navigate") return null;
  return url.pathname === "/" || url.pathname.startsWith("/i/") ? "/" : null;
}

// A fingerprinted file never changes: the cache's copy is the file.
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const resp = await fetch(request);
  if (resp.ok) await cache.put(request, resp.clone());
  return resp;
}

async function networkThenCache(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error("slow network")), PATIENCE_MS));
    const resp = await Promise.race([fetch(request), late]);
    if (resp.ok) await cache.put(key, resp.clone());
    return resp;
  } catch {
    return (await cache.match(key)) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === "GET" && url.origin === self.location.origin && url.pathname.startsWith("/static/")
      && url.searchParams.has("v")) return event.respondWith(cacheFirst(event.request));
  const key = pageKey(event.request);
  if (key) event.respondWith(networkThenCache(event.request, key));
});
