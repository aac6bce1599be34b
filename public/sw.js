// Common Table service worker: precaches the app shell and serves it cache-first, so the app
// opens with no network. A new version installs beside the old one and waits; the page offers
// "reload", and only then does the new version take over (the old one keeps working until then).
//
// The two lines below are rewritten at build time by scripts/precache-manifest.sh.
const VERSION = "dev";
const PRECACHE = ["/", "/index.html"];

const CACHE = "commontable-shell-" + VERSION;
// Requests that must always go to the network (sync API, health).
const NETWORK_ONLY = [/^\/couch(\/|$)/, /^\/healthz$/];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith("commontable-shell-") && k !== CACHE)
            .map((k) => caches.delete(k))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((re) => re.test(url.pathname))) return;

  if (req.mode === "navigate") {
    // Every page of the app is the same shell; the router inside picks the screen.
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match("/index.html").then((hit) => hit || fetch(req))
      )
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(req, { ignoreSearch: true }).then((hit) => hit || fetch(req))
    )
  );
});
