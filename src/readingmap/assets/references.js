/* References to take away: any list of the map's works saved as BibTeX, RIS or CSL-JSON.

   The site ships the whole catalogue in each format (refs.bib, refs.ris, refs.json, written by the
   package from the same parsed BibTeX); a list is cut from the file of its format, entry by entry,
   so every format holds exactly the listed works, keyed by their resource ids.

   window.readingmapReferences.save(ids, format, name) saves a list (saveFile(text, name, type) any
   text); any button with
   data-rm-format inside an element with data-rm-refs="id id ..." (and data-rm-name) saves that
   list. No dependencies; without JavaScript the whole-catalogue files are linked instead. */
(function () {
  "use strict";
  var FORMATS = {
    bib: { file: "refs.bib", type: "application/x-bibtex", split: splitBibtex, join: joinText },
    ris: { file: "refs.ris", type: "application/x-research-info-systems", split: splitRis, join: joinText },
    json: { file: "refs.json", type: "application/vnd.citationstyles.csl+json", split: splitCsl, join: joinCsl }
  };
  var loaded = new Map();

  function root() {
    /* The site root, from this script's own address (assets/readingmap/references.js). */
    var script = document.querySelector('script[src*="assets/readingmap/references.js"]');
    return script ? new URL("../../", script.src).href : new URL("./", document.baseURI).href;
  }
  /* Entries from a line "@type{key," to the next such line, as the package writes them. */
  function splitBibtex(text) {
    var map = new Map(), starts = [], match, pattern = /^@[A-Za-z]+\{([^,\s]+),$/gm;
    while ((match = pattern.exec(text)) !== null) starts.push([match.index, match[1]]);
    starts.forEach(function (start, i) {
      var end = i + 1 < starts.length ? starts[i + 1][0] : text.length;
      map.set(start[1], text.slice(start[0], end).replace(/\s+$/, "") + "\n");
    });
    return map;
  }
  /* Records from "TY  - " to "ER  - ", named by their "ID  - " line. */
  function splitRis(text) {
    var map = new Map();
    text.split(/^ER {2}- *$/m).forEach(function (chunk) {
      var body = chunk.replace(/^\s+/, "");
      var id = /^ID {2}- (.+)$/m.exec(body);
      if (id && /^TY {2}- /.test(body)) map.set(id[1].trim(), body.replace(/\s+$/, "") + "\nER  - \n");
    });
    return map;
  }
  function splitCsl(text) {
    var map = new Map();
    JSON.parse(text).forEach(function (item) { map.set(item.id, item); });
    return map;
  }
  function joinText(entries) { return entries.join("\n"); }
  function joinCsl(items) { return JSON.stringify(items, null, 2) + "\n"; }

  function entries(format) {
    var spec = FORMATS[format];
    if (!loaded.has(format)) {
      var promise = fetch(root() + spec.file, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(spec.file + ": " + response.status);
        return response.text();
      }).then(spec.split);
      promise.catch(function () { loaded.delete(format); });
      loaded.set(format, promise);
    }
    return loaded.get(format);
  }

  /* Offer ``text`` as a file named ``name`` (also used by readingmap.js for progress files). */
  function saveFile(text, name, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  /* Resolves once the file is offered; rejects (saving nothing) if a listed id is missing. */
  function save(ids, format, name) {
    var spec = FORMATS[format];
    if (!spec) return Promise.reject(new Error("unknown format " + format));
    return entries(format).then(function (map) {
      var chosen = ids.map(function (id) { return map.get(id); });
      if (chosen.some(function (entry) { return entry === undefined; })) throw new Error("missing entry");
      saveFile(spec.join(chosen), name + "." + format, spec.type);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-rm-format]");
    var list = button && button.closest("[data-rm-refs]");
    if (!list) return;
    var ids = list.getAttribute("data-rm-refs").split(" ").filter(Boolean);
    var status = list.querySelector(".rm-refs-status");
    save(ids, button.getAttribute("data-rm-format"), list.getAttribute("data-rm-name") || "reading-map").catch(function () {
      if (status) status.textContent = "Could not prepare the file: download the whole catalogue from the bibliography instead.";
    });
  });
  /* The controls stay hidden without JavaScript, as they could not work. */
  function reveal() {
    document.querySelectorAll("[data-rm-refs][hidden]").forEach(function (el) { el.hidden = false; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal); else reveal();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(reveal);

  window.readingmapReferences = { save: save, saveFile: saveFile };
})();
