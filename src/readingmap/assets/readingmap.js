/* The reading map's page behaviour: bibliography filters (state kept in the URL), the
   "what I know" checklist (its ticks in the URL too), the readiness marks, the reader's
   "I have read this" marks with their counts, export and import of progress, and BibTeX copy
   buttons. The reader's state itself (known areas, read marks) is state.js's, loaded first.
   Without JavaScript every entry stays listed and readable, and the controls that need the
   script stay hidden. */
(function () {
  "use strict";
  /* The reader's state (what they know and have read) is one for the whole site: state.js. */
  var S = window.ReadingMap && window.ReadingMap.state;
  if (!S) return;

  function words(value) { return value ? value.split(" ").filter(Boolean) : []; }
  function readSet() { return S.readSet(); }

  /* Says, next to the control the reader used, that the browser did not keep the change. */
  function notSaved(control, result) {
    if (result.ok) return;
    var anchor = control.closest("label") || control;
    var note = anchor.nextElementSibling;
    if (!note || !note.classList.contains("rm-save-problem")) {
      note = document.createElement("span");
      note.className = "rm-save-problem";
      note.setAttribute("role", "status");
      anchor.parentNode.insertBefore(note, anchor.nextSibling);
    }
    note.textContent = "Not saved: " + result.reason + ".";
  }

  /* The box of each listed reading (li[data-read] on topic, maths and path pages): made here,
     since it is of use only with the script, rather than sent in every entry of every list. */
  function addReadBoxes(root) {
    root.querySelectorAll("li[data-read]").forEach(function (li) {
      if (li.querySelector(".rm-read")) return;
      var id = li.getAttribute("data-read"), link = li.querySelector("a");
      var label = window.ReadingMap.readBox(id, link ? link.textContent : id, false);
      label.hidden = true;
      var after = li.querySelector(".rm-status") || li.querySelector(".rm-kind");
      after.parentNode.insertBefore(label, after.nextSibling);
      after.parentNode.insertBefore(document.createTextNode(" "), label);
    });
  }

  /* Show the "I have read this" boxes in root, ticked as stored (every listing of one reading
     shows one state), and count them where the page asks for it ("N of M read": the distinct
     readings the page lists; a planned route, which lists them again, counts its own). */
  function markRead(root) {
    var read = readSet();
    addReadBoxes(root || document);
    (root || document).querySelectorAll(".rm-read").forEach(function (label) {
      var box = label.querySelector(".rm-read-box");
      if (!box) return;
      box.checked = read.has(box.value);
      label.hidden = false;
    });
    var counters = document.querySelectorAll(".rm-progress");
    if (!counters.length) return;
    var seen = new Set(), done = 0;
    document.querySelectorAll(".rm-read-box").forEach(function (box) {
      if (seen.has(box.value) || box.closest(".rm-route")) return;
      seen.add(box.value);
      if (read.has(box.value)) done++;
    });
    var total = seen.size;
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
    var have = new Set(state.closure);
    return needs.filter(function (id) { return !have.has(id); });
  }
  /* Of the missing areas, those no other missing area builds on: "needs functional analysis"
     already implies real analysis, so the list names only what to learn last. */
  function frontier(missing, state) {
    var below = new Set();
    missing.forEach(function (id) {
      (state.requires.get(id) || []).forEach(function (r) { below.add(r); });
    });
    return missing.filter(function (id) { return !below.has(id); });
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
        span.textContent = "needs " + missing.map(function (id) { return state.names.get(id) || id; }).join(", ");
        span.className = "rm-status rm-missing";
      }
    });
  }

  /* The known areas the page's address carries (?known=a,b: a shared choice), or null. */
  function urlKnown() {
    var value = new URLSearchParams(window.location.search).get("known");
    return value === null ? null : S.cleanIds(value.split(","));
  }
  function sameIds(a, b) {
    var set = new Set(a);
    return a.length === b.length && b.every(function (id) { return set.has(id); });
  }
  /* Readiness state from the map's graph (pages without the bibliography's checklist). */
  function stateFromMap(ids, map) {
    var names = new Map(), direct = new Map(), requires = new Map();
    map.nodes.forEach(function (n) { names.set(n[0], n[2]); direct.set(n[0], n[3]); });
    var below = function (id) {
      if (requires.has(id)) return requires.get(id);
      var out = new Set();
      (direct.get(id) || []).forEach(function (r) { out.add(r); below(r).forEach(function (x) { out.add(x); }); });
      requires.set(id, Array.from(out));
      return requires.get(id);
    };
    var closure = new Set();
    ids.forEach(function (id) { if (direct.has(id)) { closure.add(id); below(id).forEach(function (x) { closure.add(x); }); } });
    map.nodes.forEach(function (n) { below(n[0]); });
    return { known: ids, closure: Array.from(closure), names: names, requires: requires };
  }

  /* The bibliography's checklist ("What I know"), or on other pages the readiness marks alone.
     A shared address (?known=...) that differs from the reader's own choice is shown as it is,
     without touching the reader's own, until they make it theirs. */
  function setupKnown(onChange) {
    var box = document.getElementById("known-maths");
    var state = null;
    if (!box) {
      var refreshMarks = function () {
        if (!document.querySelector(".rm-status[data-needs]")) return;
        if (!S.known().length) { markStatuses(null); return; }
        window.ReadingMap.map().then(function (map) { markStatuses(stateFromMap(S.known(), map)); }, function () {});
      };
      refreshMarks();
      return { state: function () { return state; }, refresh: refreshMarks };
    }
    var inputs = Array.prototype.slice.call(box.querySelectorAll('input[name="known"]'));
    var names = new Map(), requires = new Map();
    inputs.forEach(function (input) {
      names.set(input.value, input.getAttribute("data-name"));
      requires.set(input.value, words(input.getAttribute("data-requires")));
    });
    var shared = urlKnown();
    if (shared !== null && sameIds(shared, S.known())) shared = null;
    var banner = box.querySelector(".rm-known-shared");
    var tick = function (ids) {
      var set = new Set(ids);
      inputs.forEach(function (input) { input.checked = set.has(input.value); });
    };
    var ticked = function () {
      return inputs.filter(function (input) { return input.checked; }).map(function (input) { return input.value; });
    };
    var compute = function () {
      var ids = ticked(), closure = new Set();
      ids.forEach(function (id) { closure.add(id); (requires.get(id) || []).forEach(function (r) { closure.add(r); }); });
      state = { known: ids, closure: Array.from(closure), names: names, requires: requires, shared: shared !== null };
      markStatuses(state);
      showShared();
      onChange();
    };
    var showShared = function () {
      if (!banner) return;
      banner.hidden = shared === null;
      banner.textContent = "";
      if (shared === null) return;
      var own = S.known().length;
      banner.appendChild(document.createTextNode("These ticks come from the link you opened; your own choice (" + own +
        (own === 1 ? " area" : " areas") + ") is kept in this browser, unchanged. "));
      var adopt = document.createElement("button");
      adopt.type = "button";
      adopt.className = "md-button rm-adopt";
      adopt.textContent = "Make these mine";
      adopt.addEventListener("click", function () {
        var ids = ticked();
        shared = null;
        notSaved(adopt, S.setKnown(ids));
        compute();
      });
      var mine = document.createElement("button");
      mine.type = "button";
      mine.className = "md-button rm-show-mine";
      mine.textContent = "Show mine";
      mine.addEventListener("click", function () { shared = null; tick(S.known()); compute(); });
      banner.appendChild(adopt);
      banner.appendChild(document.createTextNode(" "));
      banner.appendChild(mine);
    };
    tick(shared !== null ? shared : S.known());
    inputs.forEach(function (input) {
      input.addEventListener("change", function () {
        if (shared !== null) shared = ticked();
        else notSaved(input, S.setKnown(ticked()));
        compute();
      });
    });
    compute();
    return {
      state: function () { return state; },
      /* The stored choice changed (another tab, an import, another control of this page). */
      refresh: function () {
        if (shared !== null) { showShared(); return; }
        if (!sameIds(ticked(), S.known())) { tick(S.known()); compute(); }
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
  var DATA_VERSION = 3;
  function lazyData(data) {
    if (!data || data.version !== DATA_VERSION || !Array.isArray(data.entries)) {
      throw new Error("unexpected bibliography data (version " + (data && data.version) + ")");
    }
    var col = Object.create(null);
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
      var level = it.level;
      /* What is not a reading (a venue, with no level) has no read mark, level or readiness. */
      return '<article class="rm-entry" id="' + esc(key) + '"><div class="rm-ref">' + row[col.reference] +
        '</div><p class="rm-meta">' + (level ? '<label class="rm-read" hidden><input type="checkbox" class="rm-read-box" value="' +
        esc(key) + '" aria-label="I have read this: ' + esc(it.title) + '"> I have read this</label> ' : "") + '<span class="rm-kind">' +
        esc(kinds[row[col.kind]][1]) + '</span> ' + (level ? '<span class="rm-level rm-level-' + esc(level) + '">' + esc(level) +
        '</span> <span class="rm-status" data-needs="' + esc(it.needs.join(" ")) + '"></span> ' : "") + '<span class="rm-topics">' +
        topics.join(", ") + '</span></p><p class="rm-links">' + out.join(" · ") +
        '</p><details class="rm-bibtex"><summary>BibTeX</summary><pre class="rm-bibtex-text" data-key="' + esc(key) +
        '"></pre><button type="button" class="rm-copy md-button">Copy BibTeX</button></details></article>';
    }
    function external(href, label) { return '<a href="' + esc(href) + '" rel="noopener">' + esc(label) + "</a>"; }
    return data.entries.map(function (row) {
      var topicIds = row[col.topics].map(function (i) { return nodes[i][0]; });
      var reference = unescapeHtml(row[col.reference].replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();
      var kind = kinds[row[col.kind]][0], level = row[col.level] === null ? "" : levels[row[col.level]];
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
          var map = Object.create(null), starts = [], match, pattern = /^@[A-Za-z]+\{([^,\s]+),$/gm;
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
        /* Only readings (those with a level; not venues) are ever "ready to read". */
        if (ok && onlyReady) ok = it.level !== "" && missingFor(it.needs, state).length === 0;
        if (ok && read) ok = !read.has(it.key);
        if (ok) matches.push(it);
        if (!lazy && it.el.hidden === ok) it.el.hidden = !ok;
      }
      if (lazy) scheduleRender(matches);
      current = matches;
      count.textContent = matches.length + " of " + items.length + " resources";
      var out = new URLSearchParams();
      FIELDS.forEach(function (f) { if (v[f[0]]) out.set(f[0], v[f[0]]); });
      if (state && state.known.length) out.set("known", state.known.join(","));
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

  /* -- export and import of progress ------------------------------------------------------ */
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function setupProgressBox() {
    var box = document.getElementById("reading-progress");
    if (!box) return;
    var summary = document.getElementById("progress-summary");
    var message = document.getElementById("progress-message");
    function summarise() {
      var problem = S.problem();
      summary.textContent = "You have marked " + plural(S.read().length, "resource", "resources") +
        " as read and ticked " + plural(S.known().length, "area", "areas") + " of maths." + (problem ? " " + problem : "");
    }
    readListeners.push(summarise);
    /* What the reader marked as read, as references to take away (references.js cuts them from
       the whole-catalogue file of the chosen format). */
    var readDownloads = document.getElementById("progress-downloads");
    if (readDownloads) {
      readDownloads.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest("button[data-format]");
        if (!button || !window.readingmapReferences) return;
        var ids = S.read();
        if (!ids.length) { message.textContent = "Nothing is marked as read yet."; return; }
        window.readingmapReferences.save(ids, button.getAttribute("data-format"), "reading-map-read").then(function () {
          message.textContent = "Saved " + plural(ids.length, "reference", "references") + " of what you have read.";
        }, function () {
          message.textContent = "Could not prepare the file: a marked work is no longer on the map, or the file did not load.";
        });
      });
    }
    document.getElementById("progress-export").addEventListener("click", function () {
      var data = S.exportData();
      window.readingmapReferences.saveFile(JSON.stringify(data, null, 2) + "\n", "reading-map-progress.json",
                                           "application/json");
      message.textContent = "Exported " + plural(data.read.length, "read mark", "read marks") + " and " +
        plural(data.known.length, "known area", "known areas") + ".";
    });
    document.getElementById("progress-import").addEventListener("change", function (event) {
      var input = event.target, file = input.files && input.files[0];
      if (!file) return;
      message.textContent = "Reading " + file.name + "…";
      /* A file over the limit is refused before it is read. */
      var text = file.size > S.LIMITS.fileBytes ? Promise.resolve("") : file.text();
      Promise.all([text, window.ReadingMap.map()]).then(function (got) {
        var map = got[1];
        var valid = {
          /* Read marks are for readings: a venue is not one (it has no mark). */
          resources: new Set(map.resources.filter(function (r) { return (map.not_readings || []).indexOf(r[2]) < 0; })
            .map(function (r) { return r[0]; })),
          maths: new Set(map.nodes.filter(function (n) { return n[1] === "maths"; }).map(function (n) { return n[0]; }))
        };
        var checked = S.checkImport(got[0], file.size, valid);
        if (checked.error) throw new Error(checked.error);
        var stored = S.add(checked.read, checked.known);
        if (!stored.ok) throw new Error(stored.reason);
        var skipped = checked.skipped;
        var shown = skipped.slice(0, 5).map(function (id) { return '"' + String(id).slice(0, 60) + '"'; }).join(", ");
        message.textContent = "Imported " + file.name + ": stored " + plural(checked.read.length, "read mark", "read marks") +
          " (" + stored.newRead + " new) and " + plural(checked.known.length, "known area", "known areas") +
          " (" + stored.newKnown + " new)." +
          (skipped.length ? " Skipped " + plural(skipped.length, "id that is not a reading or a maths area",
            "ids that are not readings or maths areas") + " on this map: " + shown +
            (skipped.length > 5 ? " and " + (skipped.length - 5) + " more" : "") + "." : "");
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
      notSaved(box, S.setRead(box.value, box.checked));
    });
    /* Any change of the state: here, in another tab (state.js follows the storage event), an import. */
    S.subscribe(function () {
      readChanged();
      if (known) known.refresh();
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
