/* The reading map's page behaviour: bibliography filters (state kept in the URL), the
   "what can I read now" selector and the reader's "I have read this" marks (both kept in
   localStorage, exportable as a JSON file) and BibTeX copy buttons.
   No dependencies; without JavaScript every entry stays listed and readable, and the controls
   that need the script stay hidden. */
(function () {
  "use strict";
  var STORE = "readingmap.known.v1";
  var READ_STORE = "readingmap.read.v1";
  var PROGRESS_FORMAT = "reading-map-progress";

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
  function strings(value) {
    return Array.isArray(value) && value.every(function (v) { return typeof v === "string"; });
  }

  /* -- reading progress -------------------------------------------------------------------- */
  /* The ids the reader marked as read, in the order they were marked. */
  function loadRead() {
    try {
      var state = JSON.parse(window.localStorage.getItem(READ_STORE) || "null");
      return state && strings(state.read) ? state.read : [];
    } catch (e) { return []; }
  }
  function saveRead(ids) {
    try { window.localStorage.setItem(READ_STORE, JSON.stringify({ read: ids })); } catch (e) { /* private mode */ }
  }
  function readSet() {
    var set = {};
    loadRead().forEach(function (id) { set[id] = true; });
    return set;
  }
  function setRead(id, read) {
    var ids = loadRead().filter(function (other) { return other !== id; });
    if (read) ids.push(id);
    saveRead(ids);
  }

  /* Show the "I have read this" boxes in root, ticked as stored, and count them where the page
     asks for it ("N of M read": the distinct readings the page lists). */
  function markRead(root) {
    var read = readSet();
    (root || document).querySelectorAll(".rm-read").forEach(function (label) {
      var box = label.querySelector(".rm-read-box");
      if (!box) return;
      box.checked = read[box.value] === true;
      label.hidden = false;
    });
    var counters = document.querySelectorAll(".rm-progress");
    if (!counters.length) return;
    var seen = {}, total = 0, done = 0;
    document.querySelectorAll(".rm-read-box").forEach(function (box) {
      if (seen[box.value]) return;
      seen[box.value] = true;
      total++;
      if (read[box.value]) done++;
    });
    counters.forEach(function (p) {
      p.querySelector(".rm-progress-count").textContent = done + " of " + total + " read";
      p.hidden = false;
    });
  }

  /* Called after the marks change (here, in another tab or by an import). */
  var readListeners = [];
  function readChanged() {
    markRead(document);
    readListeners.forEach(function (listener) { listener(); });
  }

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
    return {
      state: function () { return state; },
      /* Tick more areas (an import); false where this page has no selector to compute with. */
      add: function (ids) {
        if (!box) return false;
        box.querySelectorAll('input[name="known"]').forEach(function (input) {
          if (ids.indexOf(input.value) >= 0) input.checked = true;
        });
        box.querySelector('input[name="known"]').dispatchEvent(new Event("change", { bubbles: true }));
        return true;
      }
    };
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
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(value) { return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; }); }
  function unescapeHtml(value) {
    return value.replace(/&(amp|lt|gt|quot|#39|#34|#x27);/g, function (all, name) {
      return { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#34": '"', "#x27": "'" }[name];
    });
  }

  /* One entry's filter fields. */
  function makeItem(fields) {
    return {
      el: fields.el || null,
      row: fields.row || null,
      key: fields.key,
      text: fields.text || "",
      topics: " " + fields.topics + " ",
      needs: words(fields.needs),
      needsKey: " " + fields.needs + " ",
      kind: fields.kind,
      level: fields.level,
      year: parseInt(fields.year, 10)
    };
  }
  function itemFromElement(el) {
    var get = function (name) { return el.getAttribute("data-" + name) || ""; };
    return makeItem({ el: el, key: get("key"), text: get("text"), topics: get("topics"), needs: get("needs"),
                      kind: get("kind"), level: get("level"), year: get("year") });
  }

  /* The large-catalogue mode: bibliography.json holds each entry as a row of columns that index
     small tables (see bibliography_data in the package); the entry HTML is built here with the
     structure of bibliography_entry.html, every value escaped except the reference, which is the
     package's sanitised HTML. */
  var DATA_VERSION = 2;
  function lazyData(data) {
    if (!data || data.version !== DATA_VERSION || !Array.isArray(data.entries)) {
      throw new Error("unexpected bibliography data (version " + (data && data.version) + ")");
    }
    var col = {};
    data.columns.forEach(function (name, i) { col[name] = i; });
    var nodes = data.nodes, kinds = data.kinds, levels = data.levels, links = data.links;
    function entryHtml(it) {
      var row = it.row, key = row[col.key], url = row[col.url], arxiv = row[col.arxiv], doi = row[col.doi];
      var out = [];
      if (url) out.push(external(url, arxiv || doi ? "Free version" : "Link"));
      if (arxiv) out.push(external(links.arxiv + arxiv, "arXiv:" + arxiv));
      if (doi) out.push(external(links.doi + doi, "DOI"));
      out.push('<a href="' + esc(links.resources + key + "/") + '">Details</a>');
      var topics = row[col.topics].map(function (i) {
        return '<a href="' + esc(nodes[i][2]) + '">' + esc(nodes[i][1]) + "</a>";
      });
      var level = levels[row[col.level]];
      return '<article class="rm-entry" id="' + esc(key) + '"><div class="rm-ref">' + row[col.reference] +
        '</div><p class="rm-meta"><label class="rm-read" hidden><input type="checkbox" class="rm-read-box" value="' +
        esc(key) + '" aria-label="I have read this: ' + esc(it.title) + '"> I have read this</label> <span class="rm-kind">' +
        esc(kinds[row[col.kind]][1]) + '</span> <span class="rm-level rm-level-' + esc(level) + '">' + esc(level) +
        '</span> <span class="rm-status" data-needs="' + esc(it.needs.join(" ")) + '"></span> <span class="rm-topics">' +
        topics.join(", ") + '</span></p><p class="rm-links">' + out.join(" · ") +
        '</p><details class="rm-bibtex"><summary>BibTeX</summary><pre class="rm-bibtex-text" data-key="' + esc(key) +
        '"></pre><button type="button" class="rm-copy md-button">Copy BibTeX</button></details></article>';
    }
    function external(href, label) { return '<a href="' + esc(href) + '" rel="noopener">' + esc(label) + "</a>"; }
    return data.entries.map(function (row) {
      var topicIds = row[col.topics].map(function (i) { return nodes[i][0]; });
      var reference = unescapeHtml(row[col.reference].replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();
      var kind = kinds[row[col.kind]][0], level = levels[row[col.level]];
      var item = makeItem({
        row: row, key: row[col.key], topics: topicIds.join(" "),
        needs: row[col.needs].map(function (i) { return nodes[i][0]; }).join(" "),
        kind: kind, level: level, year: row[col.year],
        text: [reference, row[col.year], kind, level].concat(
          row[col.topics].map(function (i) { return nodes[i][1]; })).join(" ").toLowerCase()
      });
      item.title = reference;
      item.html = function () { return entryHtml(item); };
      return item;
    });
  }

  /* A site file, or an error that says why not (a missing file is not a response to read). */
  function fetchChecked(url) {
    return window.fetch(url).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response;
    });
  }

  /* The rest of each entry's search text (aliases and note), in the rows' order: it arrives after
     the entries, so the page filters by facets (and by reference) at once; a text filter typed
     before it arrived is applied again when it does. */
  function loadSearchText(source, items, apply) {
    fetchChecked(source).then(function (response) { return response.json(); }).then(function (data) {
      if (!data || data.version !== DATA_VERSION || !Array.isArray(data.text) || data.text.length !== items.length) {
        throw new Error("unexpected search data");
      }
      items.forEach(function (it, i) { it.text += " " + String(data.text[i]).toLowerCase(); });
      if (document.getElementById("bib-filter").value.trim()) apply();
    }).catch(function () {
      document.getElementById("bib-count").textContent += " (notes could not be loaded: the text filter reads references only)";
    });
  }

  /* refs.bib, fetched once when a BibTeX text is first needed in the large-catalogue mode: the
     package writes each entry from a line "@type{key," to the next such line, exactly the text
     every page shows. */
  function bibtexLoader(source) {
    var loading = null;
    return function () {
      if (!loading) {
        loading = fetchChecked(source).then(function (response) { return response.text(); }).then(function (text) {
          var map = {}, starts = [], match, pattern = /^@[A-Za-z]+\{([^,\s]+),$/gm;
          while ((match = pattern.exec(text)) !== null) starts.push([match.index, match[1]]);
          starts.forEach(function (start, i) {
            var end = i + 1 < starts.length ? starts[i + 1][0] : text.length;
            map[start[1]] = text.slice(start[0], end).replace(/\s+$/, "") + "\n";
          });
          return map;
        });
        loading.catch(function () { loading = null; });
      }
      return loading;
    };
  }

  function setupBibliography() {
    var list = document.getElementById("bib-list");
    var apply = function () {};
    known = setupKnown(function () { apply(); });
    setupProgressBox();
    if (!list) return;
    var count = document.getElementById("bib-count");
    var source = list.getAttribute("data-source");
    if (!source) {
      apply = startBibliography(list, Array.prototype.map.call(list.querySelectorAll(".rm-entry"), itemFromElement), null);
      return;
    }
    /* A large catalogue: the entries come from the JSON file; the matching ones are rendered on
       demand, a page at a time. */
    count.textContent = "Loading " + list.getAttribute("data-total") + " resources…";
    fetchChecked(source).then(function (response) { return response.json(); }).then(function (data) {
      var items = lazyData(data);
      apply = startBibliography(list, items, bibtexLoader(list.getAttribute("data-bibtex")));
      loadSearchText(list.getAttribute("data-search"), items, apply);
    }).catch(function () {
      count.textContent = "Could not load the bibliography: download refs.bib or catalogue.json instead.";
    });
  }

  /* Entries rendered per page in the on-demand mode: enough to scroll through, few enough that
     re-rendering them on every keystroke stays within a frame or two. */
  var PAGE = 40;
  /* The known-maths selector of the current page ({state, add}). */
  var known = null;

  /* Filters items as the controls (kept in the URL) ask; returns the function that re-applies
     them. */
  function startBibliography(list, items, loadBibtex) {
    var form = document.getElementById("bib-form");
    var count = document.getElementById("bib-count");
    var readyOnly = document.getElementById("bib-ready-only");
    var unreadOnly = document.getElementById("bib-unread-only");
    var lazy = loadBibtex !== null;
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
        var area = document.querySelector('#known-maths input[value="' + cssEscape(value) + '"]');
        var option = document.createElement("option");
        option.value = value;
        option.textContent = area ? area.getAttribute("data-name") : value;
        control.appendChild(option);
      }
      control.value = value;
    });
    if (params.get("ready") === "1") readyOnly.checked = true;
    if (unreadOnly) {
      unreadOnly.parentNode.hidden = false;
      if (params.get("unread") === "1") unreadOnly.checked = true;
    }

    function render(matches) {
      var html = [];
      for (var i = 0; i < matches.length && i < limit; i++) html.push(matches[i].html());
      if (matches.length > limit) {
        html.push('<p class="rm-show-more-wrap"><button type="button" class="md-button rm-show-more">Show ' +
                  Math.min(PAGE, matches.length - limit) + " more of " + (matches.length - limit) + "</button></p>");
      }
      list.innerHTML = html.join("");
      markStatuses(known ? known.state() : null, list);
      markRead(list);
    }
    /* The count and the URL follow every keystroke at once; the list is rendered in the next
       frame, and only the last of several quick keystrokes is rendered at all. */
    var pending = null;
    function scheduleRender(matches) {
      if (pending !== null) window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(function () { pending = null; render(matches); });
    }
    var current = [];
    function apply(event) {
      if (!event || event.type !== "show-more") limit = PAGE;
      var matches = [];
      var v = {};
      FIELDS.forEach(function (f) { v[f[0]] = controls[f[0]].value.trim(); });
      var terms = v.text.toLowerCase().split(/\s+/).filter(Boolean);
      var from = parseInt(v.from, 10), to = parseInt(v.to, 10);
      var state = known ? known.state() : null;
      var onlyReady = readyOnly.checked && state && state.known.length > 0;
      var read = unreadOnly && unreadOnly.checked ? readSet() : null;
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
        if (ok && read) ok = read[it.key] !== true;
        if (ok) matches.push(it);
        if (!lazy && it.el.hidden === ok) it.el.hidden = !ok;
      }
      if (lazy) scheduleRender(matches);
      current = matches;
      count.textContent = matches.length + " of " + items.length + " resources";
      var out = new URLSearchParams();
      FIELDS.forEach(function (f) { if (v[f[0]]) out.set(f[0], v[f[0]]); });
      if (readyOnly.checked) out.set("ready", "1");
      if (read) out.set("unread", "1");
      var query = out.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }
    /* "Download these as BibTeX / RIS / CSL-JSON": exactly the entries the filters list, keyed by
       their resource ids (references.js cuts them from the whole-catalogue file of each format). */
    var downloads = document.getElementById("bib-downloads");
    if (downloads) {
      downloads.hidden = false;
      downloads.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest("button[data-format]");
        if (!button || !window.readingmapReferences) return;
        var ids = current.map(function (it) { return it.key; });
        window.readingmapReferences.save(ids, button.getAttribute("data-format"), "reading-map").catch(function () {
          count.textContent = "Could not prepare the file: download the whole catalogue below instead.";
        });
      });
    }
    if (lazy) {
      /* The BibTeX of an entry is filled in when its disclosure is first opened. */
      list.addEventListener("toggle", function (event) {
        var pre = event.target.querySelector && event.target.querySelector("pre.rm-bibtex-text[data-key]");
        if (!pre || pre.textContent) return;
        pre.textContent = "Loading…";
        loadBibtex().then(function (map) {
          pre.textContent = map[pre.getAttribute("data-key")] || "Not found in refs.bib.";
        }, function () { pre.textContent = "Could not load refs.bib."; });
      }, true);
      list.addEventListener("click", function (event) {
        if (!event.target.closest || !event.target.closest(".rm-show-more")) return;
        limit += PAGE;
        apply({ type: "show-more" });
      });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    readyOnly.addEventListener("change", apply);
    /* A mark ticked while only unread entries are listed takes its entry off the list. */
    readListeners.push(function () { if (unreadOnly && unreadOnly.checked) apply(); });
    apply();
    return apply;
  }

  function saveFile(text, name, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  /* -- export and import of progress ------------------------------------------------------ */
  function setupProgressBox() {
    var box = document.getElementById("reading-progress");
    if (!box) return;
    var summary = document.getElementById("progress-summary");
    var message = document.getElementById("progress-message");
    function summarise() {
      var marked = loadRead().length;
      var knownIds = known && known.state() ? known.state().known : [];
      summary.textContent = "You have marked " + marked + (marked === 1 ? " resource" : " resources") +
        " as read and ticked " + knownIds.length + (knownIds.length === 1 ? " area" : " areas") + " of maths.";
    }
    readListeners.push(summarise);
    var areas = document.getElementById("known-maths");
    if (areas) areas.addEventListener("change", summarise);
    document.getElementById("progress-export").addEventListener("click", function () {
      var state = known && known.state();
      var data = { format: PROGRESS_FORMAT, version: 1, exported: new Date().toISOString(),
                   read: loadRead(), known: state ? state.known : [] };
      saveFile(JSON.stringify(data, null, 2) + "\n", "reading-map-progress.json", "application/json");
      message.textContent = "Exported " + data.read.length + " read marks and " + data.known.length + " known areas.";
    });
    document.getElementById("progress-import").addEventListener("change", function (event) {
      var input = event.target, file = input.files && input.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var data;
        try { data = JSON.parse(text); } catch (e) { throw new Error("it is not JSON (" + e.message + ")"); }
        if (!data || typeof data !== "object" || data.format !== PROGRESS_FORMAT) {
          throw new Error('expected a JSON object with "format": "' + PROGRESS_FORMAT + '", as the export writes');
        }
        if (data.version !== 1) throw new Error("version " + data.version + " is not known here (expected 1)");
        if (!strings(data.read)) throw new Error('"read" must be a list of resource ids');
        if (data.known !== undefined && !strings(data.known)) throw new Error('"known" must be a list of maths area ids');
        var ids = loadRead(), have = {}, added = 0;
        ids.forEach(function (id) { have[id] = true; });
        data.read.forEach(function (id) { if (!have[id]) { have[id] = true; ids.push(id); added++; } });
        saveRead(ids);
        var wanted = data.known || [];
        var offered = {};
        document.querySelectorAll('#known-maths input[name="known"]').forEach(function (i) { offered[i.value] = true; });
        var unknownAreas = wanted.filter(function (id) { return !offered[id]; });
        if (known) known.add(wanted);
        readChanged();
        message.textContent = "Imported " + file.name + ": " + data.read.length + " read marks (" + added + " new) and " +
          (wanted.length - unknownAreas.length) + " known areas." +
          (unknownAreas.length ? " Not on this map, so not ticked: " + unknownAreas.join(", ") + "." : "");
      }).catch(function (error) {
        message.textContent = "Could not import " + file.name + ": " + error.message + ". Nothing was changed.";
      }).then(function () { input.value = ""; });
    });
    summarise();
    box.hidden = false;
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

  /* -- wiring ------------------------------------------------------------------------------ */
  /* Once per browser page: listeners on the document, which instant navigation keeps. */
  function once() {
    setupCopy();
    document.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.classList || !box.classList.contains("rm-read-box")) return;
      setRead(box.value, box.checked);
      readChanged();
    });
    /* Marks made in another tab of the site. */
    window.addEventListener("storage", function (event) {
      if (event.key === READ_STORE || event.key === null) readChanged();
    });
  }
  /* For every page shown, the first and each one instant navigation swaps in. */
  function page() {
    readListeners = [];
    known = null;
    nameSearchDialog();
    setupBibliography();
    markRead(document);
  }
  function start() {
    once();
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(page);
    else page();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
