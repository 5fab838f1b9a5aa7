/* Result, question and resource pages, and the indexes of results and questions:
   - "Cite this entry": the permalink made absolute where the build knew no site address, and the
     day the reader looks added to the BibTeX as urldate (a static page cannot know it);
   - the indexes' status filter: buttons that show the entries of one status, with a count;
   - old links to a result's section of the results page (results/#r-<id>) go to its page.
   Without JavaScript every page is complete: the filter is hidden, the BibTeX has no urldate. */
(function () {
  "use strict";

  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  function setUpCite(box) {
    if (box.dataset.rmCite) return;
    box.dataset.rmCite = "on";
    const link = box.querySelector(".rm-permalink");
    const pre = box.querySelector("pre");
    if (link && !/^[a-z]+:\/\//.test(link.textContent)) {
      const url = new URL(link.getAttribute("href"), location.href);
      url.hash = ""; url.search = "";
      pre.textContent = pre.textContent.replace(`{${link.textContent}}`, `{${url.href}}`);
      link.textContent = url.href;
    }
    const day = today();
    pre.textContent = pre.textContent.replace(/\n\}$/, `,\n  urldate      = {${day}}\n}`);
    const accessed = box.querySelector(".rm-accessed");
    if (accessed) {
      accessed.querySelector(".rm-access-date").textContent = day;
      accessed.hidden = false;
    }
  }

  function setUpFilter(filter) {
    if (filter.dataset.rmFilter) return;
    filter.dataset.rmFilter = "on";
    const buttons = [...filter.querySelectorAll("button.rm-filter")];
    // The results index groups each topic's results by status; the questions index marks each question.
    const groups = [...document.querySelectorAll(".md-content .rm-status-group[data-status], .md-content .rm-entry-list li[data-status]")];
    const size = (el) => (el.matches("li") ? 1 : el.querySelectorAll("li").length);
    const total = groups.reduce((n, el) => n + size(el), 0);
    const count = filter.querySelector(".rm-filter-count");
    function show(status) {
      let shown = 0;
      for (const el of groups) {
        el.hidden = Boolean(status) && el.dataset.status !== status;
        if (!el.hidden) shown += size(el);
      }
      for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.status === status));
      count.textContent = `${shown} of ${total} ${filter.dataset.what}`;
    }
    for (const b of buttons) b.addEventListener("click", () => show(b.dataset.status));
    filter.querySelector(".rm-filter-buttons").hidden = false;
    const wanted = new URLSearchParams(location.search).get("status") || "";
    show(buttons.some((b) => b.dataset.status === wanted) ? wanted : "");
  }

  function followOldAnchor() {
    // results/#r-<id> was a result's place on the one results page; its page is results/<id>/.
    const m = /^#r-([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(location.hash);
    if (!m || !document.querySelector(".rm-status-filter[data-what='results']")) return;
    const target = document.querySelector(`.rm-entry-list a[href="${m[1]}/"]`);
    if (target) location.replace(target.href);
  }

  function init() {
    followOldAnchor();
    for (const box of document.querySelectorAll(".rm-cite")) setUpCite(box);
    for (const filter of document.querySelectorAll(".rm-status-filter")) setUpFilter(filter);
  }
  if (typeof document$ !== "undefined") document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
