/* The reader's state, one for the whole site: the maths areas they know and the resources they
   have read, kept in this browser only (localStorage, one versioned key) and shared by every page
   and tab. Other scripts use window.ReadingMap.state; this file has no other dependency.

   - Versioned: {"version": 2, "read": [ids], "known": [ids]} under "readingmap.state". The two keys
     of version 1 ("readingmap.read.v1", "readingmap.known.v1") are migrated into it once; a stored
     state of a version this script does not know is left untouched and reported, and nothing is
     written over it.
   - Every write says whether the browser stored it (a full quota or private browsing refuse it),
     so no caller claims a success that did not happen.
   - Every lookup keyed by data uses Set or Map: ids such as "__proto__" or "constructor" are
     plain strings here.
   - Imports (checkImport) are checked against the map (route.json): only ids on the map are
     kept, the others are named; files over LIMITS.fileBytes and lists over LIMITS.ids are refused
     with the reason. */
(function () {
  "use strict";
  var KEY = "readingmap.state";
  var VERSION = 2;
  var OLD_READ = "readingmap.read.v1";
  var OLD_KNOWN = "readingmap.known.v1";
  var PROGRESS_FORMAT = "reading-map-progress";
  /* A progress file of the whole map is a few kilobytes; these leave room for a catalogue of
     tens of thousands of entries and refuse anything that could only fill the storage. */
  var LIMITS = { fileBytes: 1024 * 1024, ids: 20000 };
  /* The shape of every id on the map (the catalogue's slugs). */
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var MAX_ID = 80;

  var read = [];
  var known = [];
  var problem = null;
  var frozen = false;
  var listeners = [];

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function isId(value) { return typeof value === "string" && value.length <= MAX_ID && ID.test(value); }
  /* Distinct well-formed ids, in order, at most LIMITS.ids of them. */
  function cleanIds(value) {
    if (!Array.isArray(value)) return [];
    var seen = new Set(), out = [];
    for (var i = 0; i < value.length && out.length < LIMITS.ids; i++) {
      if (isId(value[i]) && !seen.has(value[i])) { seen.add(value[i]); out.push(value[i]); }
    }
    return out;
  }
  function parse(text) {
    try { return JSON.parse(text); } catch (e) { return undefined; }
  }
  function refusal(error) {
    var quota = error && (error.name === "QuotaExceededError" || error.code === 22 || error.code === 1014);
    return quota ? "the browser's storage for this site is full"
                 : "the browser refused to store it (private browsing, or storage turned off)";
  }

  function write(nextRead, nextKnown) {
    if (frozen) return { ok: false, reason: problem };
    var ls = storage();
    if (!ls) return { ok: false, reason: refusal(null) };
    try {
      ls.setItem(KEY, JSON.stringify({ version: VERSION, read: nextRead, known: nextKnown }));
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: refusal(e) };
    }
  }

  /* Read the stored state (and migrate version 1). */
  function load() {
    frozen = false;
    problem = null;
    read = [];
    known = [];
    var ls = storage();
    if (!ls) { problem = "This browser does not let the site keep anything: ticks and marks last until you leave the page."; return; }
    var raw;
    try { raw = ls.getItem(KEY); } catch (e) { raw = null; }
    if (raw !== null) {
      var data = parse(raw);
      if (!data || typeof data !== "object" || Array.isArray(data)) {
        frozen = true;
        problem = "The progress saved in this browser could not be read; it was left as it is, and changes made here are not saved.";
      } else if (data.version !== VERSION) {
        frozen = true;
        problem = "The progress saved in this browser has version " + String(data.version).slice(0, 20) +
          ", which this version of the site does not know; it was left as it is, and changes made here are not saved.";
      } else {
        read = cleanIds(data.read);
        known = cleanIds(data.known);
      }
      return;
    }
    var oldRead = ls.getItem(OLD_READ), oldKnown = ls.getItem(OLD_KNOWN);
    if (oldRead === null && oldKnown === null) return;
    var r = parse(oldRead || "null"), k = parse(oldKnown || "null");
    read = cleanIds(r && r.read);
    known = cleanIds(k && k.known);
    if (write(read, known).ok) {
      ls.removeItem(OLD_READ);
      ls.removeItem(OLD_KNOWN);
    }
  }

  function changed() {
    listeners.slice().forEach(function (listener) { listener(); });
  }

  /* Apply a change in memory, store it, and tell the listeners; a refused write keeps the change
     for this page (so the box the reader ticked stays ticked) and says it was not saved. */
  function commit(nextRead, nextKnown) {
    var saved = write(nextRead, nextKnown);
    read = nextRead;
    known = nextKnown;
    changed();
    return saved;
  }

  var api = {
    KEY: KEY,
    VERSION: VERSION,
    LIMITS: LIMITS,
    PROGRESS_FORMAT: PROGRESS_FORMAT,
    isId: isId,
    cleanIds: cleanIds,
    /* Why the stored state is not used or not written (null: all is well). */
    problem: function () { return problem; },
    read: function () { return read.slice(); },
    readSet: function () { return new Set(read); },
    known: function () { return known.slice(); },
    setRead: function (id, on) {
      if (!isId(id)) return { ok: false, reason: "not an id" };
      var next = read.filter(function (other) { return other !== id; });
      if (on) next.push(id);
      return commit(next, known);
    },
    setKnown: function (ids) { return commit(read, cleanIds(ids)); },
    /* Add read marks and known areas (an import): stored whole or not at all. */
    add: function (moreRead, moreKnown) {
      var nextRead = cleanIds(read.concat(moreRead)), nextKnown = cleanIds(known.concat(moreKnown));
      var saved = write(nextRead, nextKnown);
      if (!saved.ok) return saved;
      var before = { read: read.length, known: known.length };
      read = nextRead;
      known = nextKnown;
      changed();
      return { ok: true, newRead: read.length - before.read, newKnown: known.length - before.known };
    },
    subscribe: function (listener) { listeners.push(listener); },
    unsubscribe: function (listener) { listeners = listeners.filter(function (l) { return l !== listener; }); },
    /* Read the stored state again (another tab changed it) and tell the listeners. */
    reload: function () { load(); changed(); },

    /* A progress file (its text and size in bytes) checked against the map's ids ({resources,
       maths}: Sets). Returns {error} or {read, known, skipped}: only ids on the map are kept. */
    checkImport: function (text, bytes, map) {
      if (bytes > LIMITS.fileBytes) {
        return { error: "the file is " + (bytes / 1048576).toFixed(1) + " MB; progress files over " +
          LIMITS.fileBytes / 1048576 + " MB are refused (an export of the whole map is a few kilobytes)" };
      }
      var data = parse(text);
      if (data === undefined) return { error: "it is not JSON" };
      if (!data || typeof data !== "object" || Array.isArray(data) || data.format !== PROGRESS_FORMAT) {
        return { error: 'expected a JSON object with "format": "' + PROGRESS_FORMAT + '", as the export writes' };
      }
      if (data.version !== 1) return { error: "version " + String(data.version).slice(0, 20) + " is not known here (expected 1)" };
      var strings = function (v) { return Array.isArray(v) && v.every(function (x) { return typeof x === "string"; }); };
      if (!strings(data.read)) return { error: '"read" must be a list of resource ids' };
      if (data.known !== undefined && !strings(data.known)) return { error: '"known" must be a list of maths area ids' };
      var wantedKnown = data.known || [];
      var count = data.read.length + wantedKnown.length;
      if (count > LIMITS.ids) {
        return { error: "it lists " + count + " ids; at most " + LIMITS.ids + " are accepted (the map has " +
          (map.resources.size + map.maths.size) + ")" };
      }
      var skipped = [], seen = new Set();
      var keep = function (ids, valid) {
        var out = [];
        ids.forEach(function (id) {
          if (valid.has(id)) { if (!seen.has(id)) { seen.add(id); out.push(id); } }
          else skipped.push(id);
        });
        return out;
      };
      return { read: keep(data.read, map.resources), known: keep(wantedKnown, map.maths), skipped: skipped };
    },
    exportData: function () {
      return { format: PROGRESS_FORMAT, version: 1, exported: new Date().toISOString(), read: read.slice(), known: known.slice() };
    }
  };

  load();
  /* Changes made in another tab of the site. */
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) api.reload();
  });
  window.ReadingMap = window.ReadingMap || {};
  window.ReadingMap.state = api;

  /* The "I have read this" box of a reading, as every list shows it (readingmap.js adds it to
     the site's lists, route.js to a planned route). */
  window.ReadingMap.readBox = function (id, title, checked) {
    var label = document.createElement("label");
    label.className = "rm-read";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "rm-read-box";
    box.value = id;
    box.checked = checked;
    box.setAttribute("aria-label", "I have read this: " + title);
    label.appendChild(box);
    label.appendChild(document.createTextNode(" I have read this"));
    return label;
  };

  /* The map's ids and graph (route.json), fetched once per browser page: route.js plans with it
     and imports are checked against it. The file is found beside this script's directory. */
  var script = document.currentScript && document.currentScript.src;
  var root = script ? script.replace(/assets\/readingmap\/state\.js(\?.*)?$/, "") : null;
  var loading = null;
  window.ReadingMap.map = function () {
    if (!loading) {
      if (!root) return Promise.reject(new Error("the map's data could not be located"));
      loading = window.fetch(root + "route.json").then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        if (!data || data.version !== 1 || !Array.isArray(data.nodes) || !Array.isArray(data.resources)) {
          throw new Error("unexpected route data");
        }
        data.root = root;
        return data;
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  };
})();
