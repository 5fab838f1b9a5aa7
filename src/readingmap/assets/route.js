/* "Plan my route": the reader's own route to the target of a page (a topic, a path, a maths area, a
   resource or a result), from what they know, and the compact "What I know" control that goes with
   it. Pages ask for it with an element <div class="rm-route" data-route-kind data-route-target
   data-root hidden> (route_panel.html); maths pages' "I know this" box is handled here too.

   The route follows the rules of the static paths (readingmap.graph.Graph.path and pick): stages
   are the target's prerequisites in the graph's reading order (the order of route.json's nodes),
   each with the same one or two readings; a reader who knows nothing gets exactly the static
   path (a browser test compares them for every topic). Knowing an area collapses its stage, marks
   already made tick the readings, the first stage with something left is the next step.

   State lives in state.js (window.ReadingMap.state); without JavaScript nothing here shows, and
   the static path pages remain. */
(function () {
  "use strict";
  var RM = window.ReadingMap;
  if (!RM || !RM.state) return;
  var S = RM.state;
  /* Readings per stage, as on the static paths. */
  var PER_STAGE = 2;

  /* -- the engine: route.json in, plans out (no DOM) ---------------------------------------- */
  function Engine(data) {
    var self = this;
    this.rank = new Map();
    this.nodes = new Map();
    data.nodes.forEach(function (n, i) {
      self.rank.set(n[0], i);
      self.nodes.set(n[0], { id: n[0], kind: n[1], name: n[2], requires: n[3], startHere: n[4], href: n[5] });
    });
    this.resources = new Map();
    this.byTopic = new Map();
    data.resources.forEach(function (r) {
      var res = { id: r[0], title: r[1], kind: r[2], level: r[3], year: r[4], topics: r[5], prerequisites: r[6] };
      self.resources.set(res.id, res);
      res.topics.forEach(function (t) {
        if (!self.byTopic.has(t)) self.byTopic.set(t, []);
        self.byTopic.get(t).push(res);
      });
    });
    this.results = new Map();
    (data.results || []).forEach(function (r) {
      self.results.set(r[0], { id: r[0], name: r[1], topics: r[2], maths: r[3], read: r[4], href: r[5] });
    });
    this.levelRank = new Map(data.levels.map(function (l, i) { return [l, i]; }));
    this.kindRank = new Map(data.kinds.map(function (k, i) { return [k, i]; }));
    this.notReadings = new Set(data.not_readings || []);
    this.families = data.families || [];
    this.ancestorsMemo = new Map();
    this.rankedMemo = new Map();
  }

  Engine.prototype.ancestors = function (id) {
    var found = this.ancestorsMemo.get(id);
    if (found) return found;
    var out = new Set(), todo = (this.nodes.get(id) || { requires: [] }).requires.slice();
    while (todo.length) {
      var x = todo.pop();
      if (out.has(x) || !this.nodes.has(x)) continue;
      out.add(x);
      todo.push.apply(todo, this.nodes.get(x).requires);
    }
    this.ancestorsMemo.set(id, out);
    return out;
  };

  /* Graph.order: the reading order, which route.json's nodes are listed in. */
  Engine.prototype.order = function (ids) {
    var rank = this.rank;
    return Array.from(ids).filter(function (id) { return rank.has(id); })
      .sort(function (a, b) { return rank.get(a) - rank.get(b); });
  };

  /* Graph.closure: knowing an area counts what it requires as known (also: a target and what
     it needs, the nodes a route is planned over). */
  Engine.prototype.closure = function (known) {
    var self = this, out = new Set();
    known.forEach(function (id) {
      if (!self.nodes.has(id)) return;
      out.add(id);
      self.ancestors(id).forEach(function (x) { out.add(x); });
    });
    return out;
  };

  function compareKeys(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }

  /* Graph._ranked: readings only (never a venue); mainly about this node, the gentlest, the most
     focused, books and notes first, the oldest, then by id. */
  Engine.prototype.ranked = function (nodeId) {
    var found = this.rankedMemo.get(nodeId);
    if (found) return found;
    var self = this;
    var keyed = (this.byTopic.get(nodeId) || []).filter(function (r) {
      return !self.notReadings.has(r.kind);
    }).map(function (r) {
      return { r: r, key: [r.topics.indexOf(nodeId), self.levelRank.get(r.level), r.topics.length,
                           self.kindRank.get(r.kind), r.year, r.id] };
    });
    keyed.sort(function (a, b) { return compareKeys(a.key, b.key); });
    found = keyed.map(function (k) { return k.r; });
    this.rankedMemo.set(nodeId, found);
    return found;
  };

  /* Graph.pick: the node's start_here first; then resources whose other prerequisites the stages
     before cover; then the rest, all in rank order. */
  Engine.prototype.pick = function (nodeId, covered, count) {
    var node = this.nodes.get(nodeId), ranked = this.ranked(nodeId);
    var out = node.startHere.slice(0, count), taken = new Set(out);
    var ready = [];
    for (var i = 0; i < ranked.length && ready.length < count; i++) {
      var r = ranked[i];
      if (r.prerequisites.every(function (p) { return p === nodeId || covered.has(p); })) ready.push(r.id);
    }
    ready.forEach(function (id) {
      if (out.length < count && !taken.has(id)) { out.push(id); taken.add(id); }
    });
    for (var j = 0; j < ranked.length && out.length < count; j++) {
      if (!taken.has(ranked[j].id)) { out.push(ranked[j].id); taken.add(ranked[j].id); }
    }
    return out;
  };

  /* The stages for a set of nodes (each with its prerequisites already in the set). */
  Engine.prototype.stages = function (ids) {
    var self = this, covered = new Set();
    return this.order(ids).map(function (id, i) {
      var node = self.nodes.get(id);
      var stage = { number: i + 1, id: id, kind: node.kind, name: node.name, href: node.href,
                    readings: self.pick(id, covered, PER_STAGE) };
      covered.add(id);
      return stage;
    });
  };

  /* The route to a target: {name, href, stages, last}; last is the target itself when it is not a
     node of the graph (a resource or a result), with the readings that are the target. Null when
     the target is not on the map. */
  Engine.prototype.plan = function (kind, id) {
    if (kind === "topic" || kind === "maths") {
      var node = this.nodes.get(id);
      if (!node || node.kind !== kind) return null;
      return { name: node.name, href: node.href, stages: this.stages(this.closure([id])), last: null };
    }
    if (kind === "resource") {
      var r = this.resources.get(id);
      if (!r) return null;
      return { name: r.title, href: "resources/" + r.id + "/",
               stages: this.stages(this.closure(r.prerequisites)),
               last: { kind: "resource", name: r.title, href: "resources/" + r.id + "/", readings: [r.id] } };
    }
    if (kind === "result") {
      var result = this.results.get(id);
      if (!result) return null;
      /* What its proof uses, and what its first reading (the work that proves it) assumes. */
      var first = this.resources.get(result.read[0]);
      var needs = result.maths.concat(first ? first.prerequisites : []);
      return { name: result.name, href: result.href, stages: this.stages(this.closure(needs)),
               last: { kind: "result", name: result.name, href: result.href,
                       readings: result.read.filter(function (x, i, all) { return all.indexOf(x) === i; }) } };
    }
    return null;
  };

  /* The plan for this reader: known stages, readings read, the next step and what is left. */
  Engine.prototype.progress = function (plan, known, read) {
    var closure = this.closure(known);
    var steps = plan.stages.map(function (s) { return Object.assign({}, s); });
    if (plan.last) steps.push(Object.assign({ number: steps.length + 1, id: null }, plan.last));
    var left = new Set(), stagesLeft = 0, next = null;
    steps.forEach(function (step) {
      step.known = step.kind === "maths" && closure.has(step.id);
      step.unread = step.readings.filter(function (id) { return !read.has(id); });
      step.done = step.readings.length > 0 && step.unread.length === 0;
      if (step.known) return;
      step.unread.forEach(function (id) { left.add(id); });
      if (!step.done) {
        stagesLeft++;
        if (next === null) { next = step; step.next = true; }
      }
    });
    return { steps: steps, stagesLeft: stagesLeft, readingsLeft: left.size, next: next };
  };

  RM.Engine = Engine;

  /* -- the page ----------------------------------------------------------------------------- */
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function sameIds(a, b) {
    var set = new Set(a);
    return a.length === b.length && b.every(function (id) { return set.has(id); });
  }

  var controller = null;

  /* One page's route panels, "What I know" controls and "I know this" boxes. */
  function Controller(engine, mounts, root, opts) {
    var self = this;
    this.engine = engine;
    this.root = root;
    this.mathsIds = new Set();
    engine.nodes.forEach(function (n) { if (n.kind === "maths") self.mathsIds.add(n.id); });
    var params = new URLSearchParams(window.location.search);
    var fromUrl = params.get("known");
    /* A shared link's known areas are shown as they are; the reader's own stay untouched until
       they adopt them. */
    this.shared = null;
    if (fromUrl !== null) {
      var ids = S.cleanIds(fromUrl.split(",")).filter(function (id) { return self.mathsIds.has(id); });
      if (!sameIds(ids, S.known())) this.shared = ids;
    }
    this.open = params.get("route") === "1" || this.shared !== null || opts.open;
    this.controlOpen = opts.controlOpen;
    this.panels = mounts.map(function (mount, i) { return self.panel(mount, i); });
    this.knowBoxes = Array.prototype.slice.call(document.querySelectorAll(".rm-know-box"));
    this.knowBoxes.forEach(function (box) {
      box.closest(".rm-know").hidden = false;
      box.addEventListener("change", function () { self.toggle(box.value, box.checked, box); });
    });
    this.update();
  }

  Controller.prototype.known = function () {
    var self = this;
    return (this.shared !== null ? this.shared : S.known()).filter(function (id) { return self.mathsIds.has(id); });
  };

  Controller.prototype.toggle = function (id, on, control) {
    var ids = this.known().filter(function (other) { return other !== id; });
    if (on) ids.push(id);
    if (this.shared !== null) {
      this.shared = ids;
      this.rememberShared();
      this.update();
    } else {
      var saved = S.setKnown(ids);
      if (!saved.ok) this.say(control, "Not saved: " + saved.reason + ".");
    }
  };

  Controller.prototype.say = function (control, text) {
    var holder = control.closest(".rm-route, .rm-know");
    var note = holder && holder.querySelector(".rm-route-problem");
    if (!note && holder) {
      note = el("p", "rm-route-problem");
      note.setAttribute("role", "status");
      holder.appendChild(note);
    }
    if (note) note.textContent = text;
  };

  /* The shared choice stays in the address, so a reload shows the same route. */
  Controller.prototype.rememberShared = function () {
    var params = new URLSearchParams(window.location.search);
    if (this.shared === null) params.delete("known");
    else params.set("known", this.shared.join(","));
    var query = params.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  };

  Controller.prototype.shareUrl = function (ids) {
    return window.location.pathname + "?known=" + ids.map(encodeURIComponent).join(",") + "&route=1";
  };

  Controller.prototype.panel = function (mount, index) {
    var self = this, engine = this.engine;
    var kind = mount.getAttribute("data-route-kind"), target = mount.getAttribute("data-route-target");
    var plan = engine.plan(kind, target);
    mount.textContent = "";
    if (!plan) return null;
    var bar = el("div", "rm-route-bar");
    var button = el("button", "md-button md-button--primary rm-route-plan", "Plan my route");
    button.type = "button";
    var bodyId = "rm-route-body-" + (index + 1);
    button.setAttribute("aria-controls", bodyId);
    bar.appendChild(button);

    /* The compact "What I know" control, grouped by family as the home page's matrix. */
    var details = el("details", "rm-knowctl");
    details.open = this.controlOpen;
    var summary = el("summary", null, "What I know: ");
    var count = el("span", "rm-knowctl-count");
    summary.appendChild(count);
    details.appendChild(summary);
    details.appendChild(el("p", "rm-knowctl-help",
      "Tick the mathematics you know; knowing an area counts what it builds on as known too. Kept in this browser, the same on every page."));
    var families = el("div", "rm-knowctl-families");
    var boxes = [];
    engine.families.forEach(function (family) {
      var group = el("fieldset", "rm-knowctl-family");
      group.appendChild(el("legend", null, family[0]));
      family[1].forEach(function (id) {
        var node = engine.nodes.get(id);
        if (!node) return;
        var label = el("label");
        var box = el("input", "rm-knowctl-box");
        box.type = "checkbox";
        box.value = id;
        box.addEventListener("change", function () { self.toggle(id, box.checked, box); });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + node.name));
        var implied = el("span", "rm-knowctl-implied");
        label.appendChild(implied);
        boxes.push({ box: box, implied: implied });
        group.appendChild(label);
      });
      families.appendChild(group);
    });
    details.appendChild(families);
    bar.appendChild(details);
    mount.appendChild(bar);

    var banner = el("div", "rm-route-shared");
    banner.hidden = true;
    mount.appendChild(banner);

    var body = el("div", "rm-route-body");
    body.id = bodyId;
    body.hidden = !this.open;
    button.setAttribute("aria-expanded", String(this.open));
    button.addEventListener("click", function () {
      body.hidden = !body.hidden;
      button.setAttribute("aria-expanded", String(!body.hidden));
      if (!body.hidden) self.update();
    });
    mount.appendChild(body);
    mount.hidden = false;
    return { kind: kind, target: target, plan: plan, body: body, boxes: boxes, count: count, banner: banner };
  };

  Controller.prototype.update = function () {
    var self = this, known = this.known(), closure = this.engine.closure(known), read = S.readSet();
    var explicit = new Set(known);
    var through = function (id) {
      /* The ticked area that makes id known (for the "counted" note). */
      for (var i = 0; i < known.length; i++) if (self.engine.ancestors(known[i]).has(id)) return known[i];
      return null;
    };
    this.panels.forEach(function (p) {
      if (!p) return;
      p.count.textContent = plural(known.length, "area", "areas") + (self.shared !== null ? " (from the link)" : "");
      p.boxes.forEach(function (b) {
        b.box.checked = explicit.has(b.box.value);
        b.implied.textContent = !explicit.has(b.box.value) && closure.has(b.box.value) ? " (counted as known)" : "";
      });
      self.banner(p.banner, known);
      if (!p.body.hidden) self.render(p, known, read);
    });
    this.knowBoxes.forEach(function (box) {
      box.checked = explicit.has(box.value);
      var note = box.closest(".rm-know").querySelector(".rm-know-note");
      var by = !explicit.has(box.value) && closure.has(box.value) ? through(box.value) : null;
      note.textContent = by ? "Counted as known: you know " + self.engine.nodes.get(by).name + ", which builds on it." : "";
    });
  };

  Controller.prototype.banner = function (banner, known) {
    var self = this;
    banner.textContent = "";
    banner.hidden = this.shared === null;
    if (this.shared === null) return;
    var names = known.map(function (id) { return self.engine.nodes.get(id).name; });
    banner.appendChild(el("p", null, "This route was shared for a reader who knows " +
      (names.length ? names.join(", ") : "none of the maths on the map") +
      ". Your own choice (" + plural(S.known().length, "area", "areas") + ") is kept in this browser, unchanged."));
    var adopt = el("button", "md-button rm-adopt", "Make this what I know");
    adopt.type = "button";
    adopt.addEventListener("click", function () {
      var ids = self.shared;
      self.shared = null;
      self.rememberShared();
      var saved = S.setKnown(ids);
      if (!saved.ok) self.say(adopt, "Not saved: " + saved.reason + ".");
      self.update();
    });
    var mine = el("button", "md-button rm-show-mine", "Show my own route");
    mine.type = "button";
    mine.addEventListener("click", function () {
      self.shared = null;
      self.rememberShared();
      self.update();
    });
    var actions = el("p", "rm-route-actions");
    actions.appendChild(adopt);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(mine);
    banner.appendChild(actions);
  };

  Controller.prototype.readingItem = function (id, read, reuse) {
    var r = this.engine.resources.get(id);
    var li = el("li");
    if (!r) { li.textContent = id; return li; }
    var a = el("a", null, r.title);
    a.href = this.root + "resources/" + r.id + "/";
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    /* The box the reader just used stays the same element (moved, not remade). */
    var kept = reuse.get(r.id);
    if (kept && kept.length) {
      var old = kept.shift();
      old.querySelector(".rm-read-box").checked = read.has(r.id);
      li.appendChild(old);
      return li;
    }
    li.appendChild(RM.readBox(r.id, r.title, read.has(r.id)));
    return li;
  };

  Controller.prototype.render = function (p, known, read) {
    var self = this, state = this.engine.progress(p.plan, known, read);
    var focused = document.activeElement && p.body.contains(document.activeElement) && document.activeElement.value;
    var reuse = new Map();
    p.body.querySelectorAll("label.rm-read").forEach(function (label) {
      var value = label.querySelector(".rm-read-box").value;
      if (!reuse.has(value)) reuse.set(value, []);
      reuse.get(value).push(label);
    });
    p.body.textContent = "";
    var summary = el("p", "rm-route-summary");
    summary.setAttribute("role", "status");
    var left = el("strong", "rm-route-left", state.stagesLeft === 0
      ? "Nothing left: you know or have read everything on this route"
      : plural(state.stagesLeft, "stage", "stages") + " and " + plural(state.readingsLeft, "reading", "readings") + " left");
    summary.appendChild(left);
    summary.appendChild(document.createTextNode(" on your route to " + p.plan.name +
      (known.length ? ", knowing " + plural(known.length, "area", "areas") + " of maths." : ", starting from nothing known.")));
    p.body.appendChild(summary);
    var share = el("p", "rm-route-share-line");
    var link = el("a", "rm-route-share", "Link to this route");
    link.href = this.shareUrl(known);
    share.appendChild(link);
    share.appendChild(document.createTextNode(" (it carries this target and the maths ticked; opening it changes nothing in the reader's own browser until they choose)"));
    p.body.appendChild(share);
    var list = el("ol", "rm-route-stages");
    state.steps.forEach(function (step) {
      var li = el("li", "rm-route-stage" + (step.known ? " rm-route-known" : "") + (step.done ? " rm-route-done" : "") +
                  (step.next ? " rm-route-next" : ""));
      li.value = step.number;
      var head = el(step.known ? "summary" : "p", "rm-route-head");
      if (step.next) head.appendChild(el("span", "rm-route-tag rm-route-next-tag", "Next step"));
      var name = el("a", "rm-route-name", step.name);
      name.href = self.root + step.href;
      head.appendChild(name);
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("span", "rm-stage-kind", step.kind === "topic" ? "topic" : step.kind === "maths" ? "maths"
        : step.kind === "result" ? "the result" : "the reading"));
      if (step.known) head.appendChild(el("span", "rm-route-tag rm-route-known-tag", "known"));
      else if (step.done) head.appendChild(el("span", "rm-route-tag rm-route-done-tag", "read"));
      var readings = el("ul", "rm-route-readings");
      step.readings.forEach(function (id) { readings.appendChild(self.readingItem(id, read, reuse)); });
      if (!step.readings.length) readings.appendChild(el("li", null, "no resource on the map yet"));
      if (step.known) {
        var fold = el("details", "rm-route-fold");
        fold.appendChild(head);
        fold.appendChild(readings);
        li.appendChild(fold);
      } else {
        li.appendChild(head);
        li.appendChild(readings);
      }
      list.appendChild(li);
    });
    p.body.appendChild(list);
    p.body.querySelectorAll(".rm-read").forEach(function (label) { label.hidden = false; });
    if (focused && !p.body.contains(document.activeElement)) {
      var again = p.body.querySelector('.rm-read-box[value="' + (window.CSS && CSS.escape ? CSS.escape(focused) : focused) + '"]');
      if (again) again.focus();
    }
  };

  /* -- wiring ------------------------------------------------------------------------------- */
  /* The map's data is fetched when a page needs it: at once where the address asks for a route
     or the page has an "I know this" box; elsewhere when the reader first uses the button or the
     control (a first visit to a topic page costs no extra request). */
  function page() {
    controller = null;
    var mounts = Array.prototype.slice.call(document.querySelectorAll(".rm-route[data-route-kind]"));
    var knowBoxes = document.querySelector(".rm-know-box");
    if (!mounts.length && !knowBoxes) return;
    var root = mounts.length ? mounts[0].getAttribute("data-root") : null;
    var params = new URLSearchParams(window.location.search);
    var loading = false;
    var load = function (opts, focus) {
      if (loading) return;
      loading = true;
      RM.map().then(function (data) {
        var engine = new Engine(data);
        controller = new Controller(engine, mounts, root !== null ? root : data.root, opts);
        var again = focus && document.querySelector(focus);
        if (again) again.focus();
      }).catch(function () {
        mounts.forEach(function (mount) {
          mount.textContent = "The route could not be planned here (the map's data did not load); the reading path pages list every stage.";
          mount.hidden = false;
        });
      });
    };
    if (knowBoxes || params.has("known") || params.get("route") === "1") {
      load({ open: false, controlOpen: false }, null);
      return;
    }
    mounts.forEach(function (mount) {
      var bar = el("div", "rm-route-bar");
      var button = el("button", "md-button md-button--primary rm-route-plan", "Plan my route");
      button.type = "button";
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () { load({ open: true, controlOpen: false }, ".rm-route-plan"); });
      var details = el("details", "rm-knowctl");
      details.appendChild(el("summary", null, "What I know: " + plural(S.known().length, "area", "areas")));
      details.addEventListener("toggle", function () {
        if (details.open) load({ open: false, controlOpen: true }, ".rm-knowctl > summary");
      });
      bar.appendChild(button);
      bar.appendChild(details);
      mount.appendChild(bar);
      mount.hidden = false;
    });
  }
  function start() {
    S.subscribe(function () {
      if (controller) { controller.update(); return; }
      document.querySelectorAll(".rm-route .rm-knowctl > summary").forEach(function (summary) {
        summary.textContent = "What I know: " + plural(S.known().length, "area", "areas");
      });
    });
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(page);
    else page();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
