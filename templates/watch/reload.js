// Reload this page when the exporter has written it again (server-sent events).
"use strict";
(() => {
  const name = decodeURIComponent(location.pathname.slice(1));
  const events = new EventSource("/_events");
  events.addEventListener("export", (event) => {
    if (event.data === name) location.reload();
  });
})();
