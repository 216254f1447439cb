// The document page's reading panel (#14): text/page toggle, page navigation with page
// images loaded one at a time (rendered lazily on the server), and the OCR progress line
// ("识别中 3/12 页"), refreshed from the document's JSON until extraction and OCR end.
(function () {
  "use strict";

  const panel = document.querySelector('[data-reading-panel="pages"]');
  const buttons = document.querySelectorAll("[data-reading]");
  const panels = document.querySelectorAll("[data-reading-panel]");

  function setupPages() {
    if (!panel) return;
    const image = panel.querySelector("[data-page-image]");
    const label = panel.querySelector("[data-page-label]");
    const failure = panel.querySelector("[data-page-error]");
    let known = panel.dataset.pages ? parseInt(panel.dataset.pages, 10) : null;
    let page = 0;

    function width() {
      const pixels = (panel.clientWidth || 900) * (window.devicePixelRatio || 1);
      return Math.min(1600, Math.max(200, Math.round(pixels / 100) * 100));
    }

    function load(number) {
      page = number;
      failure.hidden = true;
      image.src = panel.dataset.pageUrl.replace(/\/pages\/1\.png$/, "/pages/" + number + ".png")
        + "?width=" + width();
      image.alt = "第 " + number + " 页";
      label.textContent = "第 " + number + " 页" + (known ? " / 共 " + known + " 页" : "");
    }

    image.addEventListener("error", function () {
      if (known === null && page > 1) {  // past the last page of a file whose count is unknown
        known = page - 1;
        load(known);
        return;
      }
      failure.hidden = false;
    });
    panel.querySelectorAll("[data-page-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        const next = page + parseInt(button.dataset.pageStep, 10);
        if (next >= 1 && (known === null || next <= known)) load(next);
      });
    });
    return function () { if (!page) load(1); };
  }

  const firstShow = setupPages();
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      const which = button.dataset.reading;
      panels.forEach(function (p) { p.hidden = p.dataset.readingPanel !== which; });
      buttons.forEach(function (b) {
        const on = b.dataset.reading === which;
        b.classList.toggle("active", on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      if (which === "pages" && firstShow) firstShow();
    });
  });

  const progress = document.querySelector("[data-ocr-progress]");
  if (progress) {
    const timer = window.setInterval(function () {
      fetch(progress.dataset.ocrUrl, {credentials: "same-origin",
                                      headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (doc) {
          if (!doc) return;
          const ocr = doc.ocr;
          const current = (doc.versions || []).filter(function (v) {
            return v.version_no === doc.current_version;
          })[0];
          if (ocr && (ocr.status === "pending" || ocr.status === "running")) {
            progress.textContent = "识别中 " + ocr.done + "/" + ocr.total + " 页";
          } else if (current && current.text_status !== "pending") {
            window.clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () { /* try again at the next tick */ });
    }, 2000);
  }
})();
