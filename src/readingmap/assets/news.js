/* "New since your last visit": listings mark the works added since the reader's previous visit.

   The dates stay in this browser (localStorage, "readingmap.visits.v1"), beside the reading
   progress: the start of the current visit and the date of the one before. A visit ends after six
   hours without a page of the map; a first visit marks nothing (everything would be new). Items
   carry the date they were added as data-added="YYYY-MM-DD". */
(function () {
  "use strict";
  var KEY = "readingmap.visits.v1";
  var GAP = 6 * 3600 * 1000;
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  function load() {
    try {
      var state = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (state && typeof state.last === "number" && (state.previous === null || DATE.test(state.previous))) return state;
    } catch (e) { /* unreadable: start again */ }
    return null;
  }
  function today(time) { return new Date(time).toISOString().slice(0, 10); }

  function visit(now) {
    var state = load();
    var next;
    if (!state) next = { previous: null, last: now };
    else if (now - state.last > GAP) next = { previous: today(state.last), last: now };
    else next = { previous: state.previous, last: now };
    try { window.localStorage.setItem(KEY, JSON.stringify(next)); } catch (e) { /* storage refused: marks only */ }
    return next.previous;
  }

  function mark(previous) {
    if (!previous) return;
    document.querySelectorAll("[data-added]").forEach(function (item) {
      var added = item.getAttribute("data-added");
      if (!DATE.test(added) || added <= previous || item.querySelector(".rm-new")) return;
      var badge = document.createElement("span");
      badge.className = "rm-new";
      badge.textContent = "new";
      badge.title = "Added on " + added + ", since your last visit (" + previous + ")";
      var anchor = item.querySelector("a");
      (anchor && anchor.parentNode === item ? anchor : (anchor ? anchor.parentNode : item)).insertAdjacentElement("afterend", badge);
    });
  }

  var previous = visit(Date.now());
  function run() { mark(previous); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(run);
})();
