// The mini-program's shell, kept by a service worker so the app opens with no network (Ali's networks drop).
// Shell files come from the network when it answers (so a deploy shows at once) and from the cache when it does not;
// the API is never cached: an offline page shows the offline book kept in localStorage (static/offline.js).
const CACHE = "gongji-shell-v3";
const SHELL = ["/", "/static/app.css", "/static/app.js", "/static/api.js", "/static/dom.js", "/static/offline.js",
               "/static/proxies.js", "/static/i18n.js", "/static/i18n/zh.json", "/static/i18n/bo.json",
               "/static/shell.js", "/static/family.js", "/static/money.js", "/static/order.js",
               "/static/fonts/TibetanMachineUni-gongji.woff2"];  // a phone without a Tibetan font reads it offline too
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
function shellKey(request) {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return null;
  if (request.mode === "navigate") return url.pathname === "/" || url.pathname.startsWith("/i/") ? "/" : null;
  return SHELL.includes(url.pathname) ? url.pathname : null;
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
  const key = shellKey(event.request);
  if (key) event.respondWith(networkThenCache(event.request, key));
});
