/* Keyboard use of Material's toggles. Material opens the menu, the search (on a phone) and the
   sections of the menu with <label>s for hidden checkboxes: a mouse can click them, a keyboard
   cannot reach them. Here each label that works as a button becomes one for the keyboard and for
   screen readers: focusable, named, saying whether it is open, worked by Enter and Space. */
(function () {
  "use strict";

  // The header's icon buttons have no text: name them.
  var NAMES = { __drawer: "Menu", __search: "Search" };

  function isButton(label) {
    var box = label.getBoundingClientRect();
    if (!box.width || !box.height) return false;
    if (label.matches(".md-header__button")) return true;
    var chevron = label.querySelector(".md-nav__icon");  // a section that opens and closes
    return !!chevron && chevron.getBoundingClientRect().width > 0;
  }

  function update(label) {
    var toggle = document.getElementById(label.htmlFor);
    if (!toggle) return;
    if (isButton(label)) {
      label.setAttribute("tabindex", "0");
      label.setAttribute("role", "button");
      label.setAttribute("aria-expanded", String(toggle.checked));
      if (!label.textContent.trim() && NAMES[label.htmlFor]) label.setAttribute("aria-label", NAMES[label.htmlFor]);
    } else if (label.getAttribute("role") === "button") {
      label.removeAttribute("tabindex");
      label.removeAttribute("role");
      label.removeAttribute("aria-expanded");
    }
  }

  function labels() {
    return document.querySelectorAll("label[for]:not(.md-overlay):not(.md-search__overlay):not(.md-search__icon)");
  }

  function updateAll() {
    labels().forEach(update);
  }

  function onKey(event) {
    var drawer = document.getElementById("__drawer");
    if (event.key === "Escape" && drawer && drawer.checked) {  // close the menu, back to its button
      drawer.click();
      document.querySelector(".md-header label[for='__drawer']").focus();
      window.setTimeout(updateAll, 0);
      return;
    }
    var label = event.target;
    if (!(label instanceof HTMLLabelElement) || label.getAttribute("role") !== "button") return;
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    event.stopPropagation();  // Material also clicks a focused label on Enter: once is enough
    label.click();
  }

  /* A wide table scrolls sideways on a phone rather than break its words: the keyboard can reach
     and scroll it too (WCAG 2.1.1), named after its caption or its first heading cell. */
  function scrollableTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var table = wrap.querySelector("table");
        var name = table && (table.caption || table.querySelector("th"));
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table" + (name ? ": " + name.textContent.trim() : "") + " (scrolls sideways)");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function setUp() {
    updateAll();
    scrollableTables();
    window.addEventListener("resize", scrollableTables);
    document.addEventListener("keydown", onKey, true);
    // Material toggles the checkboxes itself, without a change event: keep aria-expanded in step.
    document.addEventListener("click", function () { window.setTimeout(updateAll, 0); });
    window.addEventListener("resize", updateAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
