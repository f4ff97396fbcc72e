/* Filters for the catalogue, in the browser, without a server. Without JavaScript every review
   is listed and the filters stay hidden. */
(function () {
  "use strict";

  function setUpFilters() {
    var form = document.getElementById("sb-filters");
    var list = document.getElementById("sb-catalogue");
    if (!form || !list) return;
    var selects = form.querySelectorAll("select[data-filter]");
    var items = list.querySelectorAll("li[data-type]");
    var count = document.getElementById("sb-filter-count");

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
      count.textContent = shown === items.length
        ? "Showing all " + items.length + " reviews."
        : "Showing " + shown + " of " + items.length + " reviews.";
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
