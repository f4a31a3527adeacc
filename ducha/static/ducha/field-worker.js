// The field app's service worker (docs/field-app.md). Served by /field/offline/sw.js, which
// puts CONFIG before this text: the cache's name, the app's page and its files.
//
// It keeps only the app's page and its static files. Data (tasks, checklists, the outbox)
// lives in IndexedDB, written by the page itself; API answers pass through untouched.
"use strict";

function samePath(url, path) {
  return new URL(url).pathname === path;
}

function isAsset(url) {
  var parsed = new URL(url);
  return parsed.origin === self.location.origin && CONFIG.assets.indexOf(parsed.pathname) !== -1;
}

function keepShell(cache, response) {
  // A redirect to the login page is not the app: never keep it in the app's place.
  if (response.ok && !response.redirected && response.type === "basic") {
    return cache.put(CONFIG.shell, response.clone());
  }
  return Promise.resolve();
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CONFIG.cache).then(function (cache) {
      return cache.addAll(CONFIG.assets).then(function () {
        return fetch(CONFIG.shell, { credentials: "same-origin" })
          .then(function (response) {
            return keepShell(cache, response);
          })
          .catch(function () {});
      });
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) {
            return name.indexOf(CONFIG.prefix) === 0 && name !== CONFIG.cache;
          })
          .map(function (name) {
            return caches.delete(name);
          })
      );
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate" && samePath(request.url, CONFIG.shell)) {
    // The network first, so that a connected phone always shows the current page.
    event.respondWith(
      caches.open(CONFIG.cache).then(function (cache) {
        return fetch(request)
          .then(function (response) {
            return keepShell(cache, response).then(function () {
              return response;
            });
          })
          .catch(function () {
            return cache.match(CONFIG.shell, { ignoreVary: true }).then(function (kept) {
              return kept || Response.error();
            });
          });
      })
    );
    return;
  }
  if (isAsset(request.url)) {
    event.respondWith(
      caches.match(request, { cacheName: CONFIG.cache, ignoreSearch: true, ignoreVary: true }).then(function (kept) {
        return kept || fetch(request);
      })
    );
  }
});
