// Live regions: any element with data-live="<url of /live/...>" listens to that stream and
// fires a DOM event "live" on itself for every message (the data in event.detail), so an
// htmx region can refresh with hx-trigger="live". EventSource reconnects by itself when
// the server ends the stream; on reconnecting a "live" event with {reconnected: true} is
// fired so the region re-reads what it may have missed.
(function () {
  "use strict";
  var OPEN = "slLiveOpen";

  function connect(el) {
    if (el.dataset[OPEN] || !window.EventSource) { return; }
    el.dataset[OPEN] = "1";
    var source = new EventSource(el.getAttribute("data-live"));
    var opened = false;
    el._slLiveSource = source;
    source.onopen = function () {
      if (opened) {
        el.dispatchEvent(new CustomEvent("live", { detail: { reconnected: true } }));
      }
      opened = true;
      el.setAttribute("data-live-state", "open");
    };
    source.onerror = function () { el.setAttribute("data-live-state", "reconnecting"); };
    source.onmessage = function (message) {
      var detail;
      try { detail = JSON.parse(message.data); } catch (e) { return; }
      el.dispatchEvent(new CustomEvent("live", { detail: detail }));
    };
  }

  function scan(root) {
    if (root.matches && root.matches("[data-live]")) { connect(root); }
    if (root.querySelectorAll) {
      root.querySelectorAll("[data-live]").forEach(connect);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    var el = event.target;
    if (el && el._slLiveSource) { el._slLiveSource.close(); el._slLiveSource = null; }
  });
  window.addEventListener("pagehide", function () {
    document.querySelectorAll("[data-live]").forEach(function (el) {
      if (el._slLiveSource) { el._slLiveSource.close(); }
    });
  });
})();
