/* Search results announced to screen readers. Material writes "9 matching documents" into the
   results box but does not announce it, and moves through the results with the arrow keys without
   saying so. A polite live region (WCAG 4.1.3, status messages) says both, once typing pauses. */
(function () {
  "use strict";

  var PAUSE_MS = 600;  // announce when typing pauses, not once per letter

  function setUp() {
    var meta = document.querySelector(".md-search-result__meta");
    var box = document.querySelector(".md-search__input");
    if (!meta || !box) return;
    var status = document.createElement("p");
    status.id = "sb-search-status";
    status.className = "sb-visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.setAttribute("aria-describedby", status.id);
    meta.parentNode.insertBefore(status, meta);
    var timer = null;

    function announce() {
      var text = meta.textContent.trim();
      var found = /^[1-9]/.test(text);  // "1 matching document", "9 matching documents"
      status.textContent = !box.value.trim() ? "" :
        found ? text + ". Press the down arrow key to go through the results." : text + ".";
    }

    new MutationObserver(function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(announce, PAUSE_MS);
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
