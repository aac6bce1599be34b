// Registers the service worker and tells the app when a new version is waiting.
// The app listens for the "ct-update-ready" event and calls window.ctApplyUpdate().
(function () {
  if (!("serviceWorker" in navigator)) return;
  let reloadOnChange = false;
  let registration = null;

  function announce() {
    window.__ctUpdateReady = true;
    window.dispatchEvent(new CustomEvent("ct-update-ready"));
  }

  window.ctApplyUpdate = function () {
    if (registration && registration.waiting) {
      reloadOnChange = true;
      registration.waiting.postMessage({ type: "SKIP_WAITING" });
    } else {
      window.location.reload();
    }
  };

  navigator.serviceWorker.addEventListener("controllerchange", function () {
    // Only a version the person chose to load reloads the page; the first install does not.
    if (reloadOnChange) window.location.reload();
  });

  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(function (reg) {
      registration = reg;
      if (reg.waiting && navigator.serviceWorker.controller) announce();
      reg.addEventListener("updatefound", function () {
        const worker = reg.installing;
        if (!worker) return;
        worker.addEventListener("statechange", function () {
          if (worker.state === "installed" && navigator.serviceWorker.controller) announce();
        });
      });
      // Look for a new version when the app comes back to the foreground.
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "visible") reg.update().catch(function () {});
      });
    })
    .catch(function (err) {
      console.warn("Service worker registration failed; the app will not work offline.", err);
    });
})();
