/* Typeset the maths that Arithmatex marked (<span|div class="arithmatex">) with the KaTeX shipped
   with the site. Only those elements are touched, and KaTeX runs with trust disabled. */
(function () {
  "use strict";
  function typeset(root) {
    if (!window.katex) return;
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.getAttribute("data-typeset")) return;
      var tex = el.textContent.trim();
      var display = el.tagName === "DIV";
      if (tex.slice(0, 2) === "\\(" && tex.slice(-2) === "\\)") tex = tex.slice(2, -2);
      else if (tex.slice(0, 2) === "\\[" && tex.slice(-2) === "\\]") { tex = tex.slice(2, -2); display = true; }
      try {
        window.katex.render(tex, el, { displayMode: display, throwOnError: false, trust: false, strict: "ignore" });
        el.setAttribute("data-typeset", "1");
      } catch (e) { /* leave the source visible */ }
    });
  }
  /* A result's statement wider than its column (long maths) scrolls sideways in its own box; the
     keyboard must reach such a box to scroll it, so it becomes a focusable, named region (only
     the ones that do scroll: a tab stop on every statement would cost readers a hundred presses). */
  function scrollable(root) {
    root.querySelectorAll(".rm-statement").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
        el.tabIndex = 0;
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", "Statement (scrolls sideways)");
      }
    });
  }
  function show(root) {
    typeset(root);
    scrollable(root);
  }
  /* Material announces every page on document$, also each one instant navigation swaps in. */
  function start() {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () { show(document.body); });
    } else {
      show(document.body);
    }
    /* Widths change once the fonts have loaded and when the window does. */
    window.addEventListener("load", function () { scrollable(document.body); });
    window.addEventListener("resize", function () { scrollable(document.body); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.readingmapTypeset = typeset;
})();
