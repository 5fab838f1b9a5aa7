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
  /* Material announces every page on document$, also each one instant navigation swaps in. */
  function start() {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () { typeset(document.body); });
    } else {
      typeset(document.body);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.readingmapTypeset = typeset;
})();
