/* Focus mode of the graph pictures (svg.rm-graph): pointing at a node, moving to it with the
   keyboard or tapping it once lights up what it needs and what it unlocks, and dims the rest;
   a second tap follows the link. Each node carries its direct prerequisites (data-requires);
   each arrow the ids of its ends (data-from, data-to); an arrow drawn once for several sources
   (the home picture's arrow of one family to one topic) lists them all in data-from, and is
   lit when the arrow of any of them would be. Without JavaScript the picture is complete, only
   static. */
(function () {
  "use strict";

  function closure(start, next) {
    const seen = new Set();
    const todo = [...(next.get(start) || [])];
    while (todo.length) {
      const x = todo.pop();
      if (!seen.has(x)) { seen.add(x); todo.push(...(next.get(x) || [])); }
    }
    return seen;
  }

  function setUp(svg) {
    if (svg.dataset.rmFocus) return;  // instant navigation may hand us the same page twice
    svg.dataset.rmFocus = "on";
    const nodes = [...svg.querySelectorAll(".rm-node[data-node]")];
    const edges = [...svg.querySelectorAll(".rm-edges polyline[data-from]")];
    const up = new Map(), down = new Map();
    for (const n of nodes) {
      const reqs = (n.dataset.requires || "").split(" ").filter(Boolean);
      up.set(n.dataset.node, reqs);
      for (const r of reqs) down.set(r, [...(down.get(r) || []), n.dataset.node]);
    }
    let current = null;
    function clear() {
      current = null;
      svg.classList.remove("rm-focusing");
      for (const el of svg.querySelectorAll(".rm-on, .rm-need, .rm-unlock, .rm-lit")) {
        el.classList.remove("rm-on", "rm-need", "rm-unlock", "rm-lit");
      }
    }
    function show(node) {
      current = node;
      const id = node.dataset.node, needs = closure(id, up), unlocks = closure(id, down);
      svg.classList.add("rm-focusing");
      for (const n of nodes) {
        const x = n.dataset.node;
        n.classList.toggle("rm-on", x === id);
        n.classList.toggle("rm-need", needs.has(x));
        n.classList.toggle("rm-unlock", unlocks.has(x));
      }
      const before = new Set([id, ...needs]), after = new Set([id, ...unlocks]);
      for (const e of edges) {
        const b = e.dataset.to;
        e.classList.toggle("rm-lit", e.dataset.from.split(" ").some(
          (a) => (before.has(a) && before.has(b)) || (after.has(a) && after.has(b))));
      }
    }
    for (const n of nodes) {
      let shownBeforeTap = false;
      n.addEventListener("mouseenter", () => show(n));
      n.addEventListener("mouseleave", () => (document.activeElement === n ? show(n) : clear()));
      n.addEventListener("focus", () => show(n));
      n.addEventListener("blur", () => { if (current === n) clear(); });
      n.addEventListener("pointerdown", (ev) => {
        shownBeforeTap = ev.pointerType === "mouse" || current === n;
      });
      n.addEventListener("click", (ev) => {
        if (!shownBeforeTap && ev.detail) { ev.preventDefault(); n.focus(); show(n); }
        shownBeforeTap = true;
      });
    }
  }

  function init() {
    for (const svg of document.querySelectorAll("svg.rm-graph")) setUp(svg);
  }
  // Material's instant navigation replaces the page without reloading scripts: it announces
  // every new page on document$; without it, set up once the page is parsed.
  if (typeof document$ !== "undefined") document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
