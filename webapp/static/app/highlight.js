// The document page opened from a search result (#15, UI finding 10): the server marks the
// hits (<mark data-hit="n">); this moves between them with 上一处/下一处, scrolling the
// text panel to the current one and showing which it is.
(function () {
  "use strict";

  const nav = document.querySelector("[data-hit-nav]");
  const marks = document.querySelectorAll("[data-hit-text] mark[data-hit]");
  if (!nav || !marks.length) return;
  const label = nav.querySelector("[data-hit-label]");
  let current = -1;

  function showText() {  // the hits are in the text view, not the page images
    const textButton = document.querySelector('[data-reading="text"]');
    const panel = document.querySelector('[data-reading-panel="text"]');
    if (panel && panel.hidden && textButton) textButton.click();
  }

  function go(index) {
    if (current >= 0) marks[current].classList.remove("gc-mark-current");
    current = (index + marks.length) % marks.length;
    const mark = marks[current];
    mark.classList.add("gc-mark-current");
    mark.scrollIntoView({block: "center", inline: "nearest"});
    if (label) label.textContent = "第 " + (current + 1) + " / " + marks.length + " 处";
  }

  nav.querySelectorAll("[data-hit-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      showText();
      go(current + parseInt(button.dataset.hitStep, 10));
    });
  });
  go(0);
})();
