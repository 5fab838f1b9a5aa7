/* The reading map's page behaviour: bibliography filters (state kept in the URL), the
   "what can I read now" selector (kept in localStorage) and BibTeX copy buttons.
   No dependencies; without JavaScript every entry stays listed and readable. */
(function () {
  "use strict";
  var STORE = "readingmap.known.v1";

  function loadKnown() {
    try {
      var state = JSON.parse(window.localStorage.getItem(STORE) || "null");
      return state && Array.isArray(state.known) ? state : null;
    } catch (e) { return null; }
  }
  function saveKnown(state) {
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function words(value) { return value ? value.split(" ").filter(Boolean) : []; }

  /* -- readiness ------------------------------------------------------------------------ */
  function missingFor(needs, state) {
    var have = {};
    state.closure.forEach(function (id) { have[id] = true; });
    return needs.filter(function (id) { return !have[id]; });
  }
  /* Of the missing areas, those no other missing area builds on: "needs functional analysis"
     already implies real analysis, so the list names only what to learn last. */
  function frontier(missing, state) {
    var below = {};
    missing.forEach(function (id) {
      ((state.requires || {})[id] || []).forEach(function (r) { below[r] = true; });
    });
    return missing.filter(function (id) { return !below[id]; });
  }

  function markStatuses(state, root) {
    var active = state && state.known.length > 0;
    (root || document).querySelectorAll(".rm-status[data-needs]").forEach(function (span) {
      if (!active) { span.textContent = ""; span.className = "rm-status"; return; }
      var missing = frontier(missingFor(words(span.getAttribute("data-needs")), state), state);
      if (!missing.length) {
        span.textContent = "ready to read";
        span.className = "rm-status rm-ready";
      } else {
        span.textContent = "needs " + missing.map(function (id) { return state.names[id] || id; }).join(", ");
        span.className = "rm-status rm-missing";
      }
    });
  }

  function setupKnown(onChange) {
    var box = document.getElementById("known-maths");
    var state = loadKnown();
    if (box) {
      var inputs = Array.prototype.slice.call(box.querySelectorAll('input[name="known"]'));
      var names = {}, requires = {};
      inputs.forEach(function (input) {
        names[input.value] = input.getAttribute("data-name");
        requires[input.value] = words(input.getAttribute("data-requires"));
      });
      var compute = function () {
        var known = [], closure = {};
        inputs.forEach(function (input) {
          if (!input.checked) return;
          known.push(input.value);
          closure[input.value] = true;
          words(input.getAttribute("data-requires")).forEach(function (id) { closure[id] = true; });
        });
        state = { known: known, closure: Object.keys(closure), names: names, requires: requires };
        saveKnown(state);
        markStatuses(state);
        onChange();
      };
      if (state) {
        inputs.forEach(function (input) { input.checked = state.known.indexOf(input.value) >= 0; });
      }
      inputs.forEach(function (input) { input.addEventListener("change", compute); });
      compute();
    } else {
      markStatuses(state);
    }
    return function () { return state; };
  }

  /* -- bibliography filters --------------------------------------------------------------- */
  var FIELDS = [
    ["text", "bib-filter"], ["topic", "bib-topic"], ["maths", "bib-maths"], ["kind", "bib-kind"],
    ["level", "bib-level"], ["from", "bib-from"], ["to", "bib-to"]
  ];

  function optionFor(select, value) {
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) return select.options[i];
    return null;
  }
  function cssEscape(value) {
    return window.CSS && window.CSS.escape ? window.CSS.escape(value) : value.replace(/["\\]/g, "\\$&");
  }

  /* One entry's filter fields, read with get(name) from data attributes or from JSON data. */
  function makeItem(get, el, html) {
    return {
      el: el,
      html: html,
      text: get("text") || "",
      topics: " " + get("topics") + " ",
      needs: words(get("needs")),
      needsKey: " " + get("needs") + " ",
      kind: get("kind"),
      level: get("level"),
      year: parseInt(get("year"), 10)
    };
  }

  function setupBibliography() {
    var list = document.getElementById("bib-list");
    if (!list) { setupKnown(function () {}); return; }
    var count = document.getElementById("bib-count");
    var source = list.getAttribute("data-source");
    if (!source) {
      startBibliography(list, Array.prototype.map.call(list.querySelectorAll(".rm-entry"), function (el) {
        return makeItem(function (name) { return el.getAttribute("data-" + name) || ""; }, el, null);
      }));
      return;
    }
    /* A large catalogue: the entries come from the JSON file; the matching ones are rendered on
       demand, a page at a time. */
    count.textContent = "Loading " + list.getAttribute("data-total") + " resources…";
    window.fetch(source).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      startBibliography(list, data.map(function (d) {
        return makeItem(function (name) { return d[name]; }, null, d.html);
      }));
    }).catch(function () {
      count.textContent = "Could not load the bibliography: download refs.bib or catalogue.json instead.";
    });
  }

  /* Entries rendered per page in the on-demand mode: enough to scroll through, few enough that
     re-rendering them on every keystroke stays within a frame or two. */
  var PAGE = 40;

  function startBibliography(list, items) {
    var form = document.getElementById("bib-form");
    var count = document.getElementById("bib-count");
    var readyOnly = document.getElementById("bib-ready-only");
    var lazy = items.length > 0 && items[0].el === null;
    var limit = PAGE;
    var controls = {};
    FIELDS.forEach(function (f) { controls[f[0]] = document.getElementById(f[1]); });
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (f) {
      var control = controls[f[0]], value = params.get(f[0]);
      if (!control || value === null) return;
      if (control.tagName === "SELECT" && value && !optionFor(control, value)) {
        /* A value the menu does not list (maths pages link here with topic=<maths area>, as
           resources that teach an area list it as a topic): add it rather than drop the filter. */
        var known = document.querySelector('#known-maths input[value="' + cssEscape(value) + '"]');
        var option = document.createElement("option");
        option.value = value;
        option.textContent = known ? known.getAttribute("data-name") : value;
        control.appendChild(option);
      }
      control.value = value;
    });
    if (params.get("ready") === "1") readyOnly.checked = true;

    var getState;
    function render(matches) {
      var html = [];
      for (var i = 0; i < matches.length && i < limit; i++) html.push(matches[i].html);
      if (matches.length > limit) {
        html.push('<p class="rm-show-more-wrap"><button type="button" class="md-button rm-show-more">Show ' +
                  Math.min(PAGE, matches.length - limit) + " more of " + (matches.length - limit) + "</button></p>");
      }
      list.innerHTML = html.join("");
      markStatuses(getState ? getState() : null, list);
    }
    /* The count and the URL follow every keystroke at once; the list is rendered in the next
       frame, and only the last of several quick keystrokes is rendered at all. */
    var pending = null;
    function scheduleRender(matches) {
      if (pending !== null) window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(function () { pending = null; render(matches); });
    }
    function apply(event) {
      if (!event || event.type !== "show-more") limit = PAGE;
      var matches = [];
      var v = {};
      FIELDS.forEach(function (f) { v[f[0]] = controls[f[0]].value.trim(); });
      var terms = v.text.toLowerCase().split(/\s+/).filter(Boolean);
      var from = parseInt(v.from, 10), to = parseInt(v.to, 10);
      var state = getState ? getState() : null;
      var onlyReady = readyOnly.checked && state && state.known.length > 0;
      var shown = 0;
      for (var i = 0; i < items.length; i++) {
        var it = items[i], ok = true;
        for (var t = 0; ok && t < terms.length; t++) ok = it.text.indexOf(terms[t]) >= 0;
        if (ok && v.topic) ok = it.topics.indexOf(" " + v.topic + " ") >= 0;
        if (ok && v.maths) ok = it.needsKey.indexOf(" " + v.maths + " ") >= 0;
        if (ok && v.kind) ok = it.kind === v.kind;
        if (ok && v.level) ok = it.level === v.level;
        if (ok && !isNaN(from)) ok = it.year >= from;
        if (ok && !isNaN(to)) ok = it.year <= to;
        if (ok && onlyReady) ok = missingFor(it.needs, state).length === 0;
        if (lazy) { if (ok) matches.push(it); } else if (it.el.hidden === ok) it.el.hidden = !ok;
        if (ok) shown++;
      }
      if (lazy) scheduleRender(matches);
      current = lazy ? matches : items.filter(function (it) { return !it.el.hidden; });
      count.textContent = shown + " of " + items.length + " resources";
      var out = new URLSearchParams();
      FIELDS.forEach(function (f) { if (v[f[0]]) out.set(f[0], v[f[0]]); });
      if (readyOnly.checked) out.set("ready", "1");
      var query = out.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }
    /* "Download these as BibTeX": exactly the entries the filters list, as one .bib file whose
       keys are the resource ids (the BibTeX each entry shows). */
    var current = [];
    var download = document.getElementById("bib-download");
    if (download) {
      download.hidden = false;
      download.addEventListener("click", function () {
        var holder = document.createElement("template");
        var text = current.map(function (it) {
          if (it.el) return it.el.querySelector(".rm-bibtex-text").textContent;
          holder.innerHTML = it.html;
          return holder.content.querySelector(".rm-bibtex-text").textContent;
        }).join("\n");
        var url = URL.createObjectURL(new Blob([text], { type: "application/x-bibtex;charset=utf-8" }));
        var link = document.createElement("a");
        link.href = url;
        link.download = "reading-map.bib";
        document.body.appendChild(link);
        link.click();
        link.remove();
        window.setTimeout(function () { URL.revokeObjectURL(url); }, 0);
      });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    readyOnly.addEventListener("change", apply);
    if (lazy) {
      list.addEventListener("click", function (event) {
        if (!event.target.closest || !event.target.closest(".rm-show-more")) return;
        limit += PAGE;
        apply({ type: "show-more" });
      });
    }
    getState = setupKnown(apply);
    apply();
  }

  /* -- copy buttons ----------------------------------------------------------------------- */
  function copyText(value) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(value);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = value;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }
  function setupCopy() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest(".rm-copy") : null;
      if (!button) return;
      var code = button.parentNode.querySelector("pre");
      copyText(code.textContent).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Copy failed: select the text";
      });
      window.setTimeout(function () { button.textContent = "Copy BibTeX"; }, 2500);
    });
  }

  /* -- theme chrome ----------------------------------------------------------------------- */
  function nameSearchDialog() {
    /* The theme's search overlay has role="dialog" but no accessible name. */
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label") && !dialog.hasAttribute("aria-labelledby")) {
      dialog.setAttribute("aria-label", "Search the site");
    }
  }

  function start() { nameSearchDialog(); setupBibliography(); setupCopy(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
