/* Filters for the catalogue and theme pages, in the browser, without a server: the form
   #sb-filters filters the items of every .sb-filterable list (or list inside one) by their data-
   attributes. A link may preset a filter (?partnership=...). Without JavaScript everything is
   listed and the filters stay hidden. */
(function () {
  "use strict";

  /* A page of several lists (a theme's reviews, findings, learning points) counts each in its own
     words, data-count="finding|findings": "Showing 1 of 2 reviews and 3 of 6 findings." */
  function counted(lists) {
    var parts = [], filtered = false;
    lists.forEach(function (list) {
      var words = list.getAttribute("data-count").split("|");
      var all = list.querySelectorAll(":scope > li, :scope > ul > li");
      var shown = Array.prototype.filter.call(all, function (item) { return !item.hidden; }).length;
      if (shown !== all.length) filtered = true;
      parts.push({shown: shown, all: all.length, noun: all.length === 1 ? words[0] : words[1]});
    });
    var said = parts.map(function (p) { return (filtered ? p.shown + " of " : "") + p.all + " " + p.noun; });
    if (!said.length) return "";
    var last = said.pop();
    return "Showing " + (said.length ? said.join(", ") + " and " : "") + last + ".";
  }

  function setUpFilters() {
    var form = document.getElementById("sb-filters");
    var items = document.querySelectorAll(".sb-filterable > li, .sb-filterable > ul > li");
    if (!form || !items.length) return;
    var selects = form.querySelectorAll("select[data-filter]");
    var count = document.getElementById("sb-filter-count");
    var noun = form.getAttribute("data-noun") || "items";
    var preset = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = preset.get(select.getAttribute("data-filter"));
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    });

    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        var visible = Array.prototype.every.call(selects, function (select) {
          var value = select.value;
          if (!value) return true;
          var field = select.getAttribute("data-filter");
          return (item.getAttribute("data-" + field) || "").split(" ").indexOf(value) !== -1;
        });
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = counted(document.querySelectorAll(".sb-filterable[data-count]")) ||
        (shown === items.length ? "Showing all " + items.length + " " + noun + "."
          : "Showing " + shown + " of " + items.length + " " + noun + ".");
    }

    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpFilters);
  } else {
    setUpFilters();
  }
})();
