/* The recommendations tracker: marks overdue items against today's date on the reader's device
   (so a site built long ago stays right) and filters by partnership, agency, status and overdue, without a
   server. Without JavaScript every item is listed with its due date and the filters stay hidden. */
(function () {
  "use strict";

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* An item is overdue when it is still open and the last day it was due by has passed. */
  function markOverdue(rows) {
    var date = today();
    rows.forEach(function (row) {
      var due = row.getAttribute("data-due");
      var overdue = row.getAttribute("data-open") === "yes" && due !== "" && due < date;
      row.setAttribute("data-overdue", overdue ? "yes" : "no");
      var cell = row.querySelector(".sb-overdue-cell");
      if (!cell) return;
      cell.textContent = overdue ? "Overdue" : (due === "" ? "" : "No");
      cell.classList.toggle("sb-overdue", overdue);
    });
  }

  function matches(row, control) {
    var field = control.getAttribute("data-filter");
    if (control.type === "checkbox") {
      return !control.checked || row.getAttribute("data-" + field) === "yes";
    }
    return !control.value || row.getAttribute("data-" + field) === control.value;
  }

  function setUp() {
    var table = document.getElementById("sb-tracker");
    if (!table) return;
    var rows = table.querySelectorAll("tbody tr");
    markOverdue(rows);
    var form = document.getElementById("sb-tracker-filters");
    if (!form) return;
    var controls = form.querySelectorAll("[data-filter]");
    var count = document.getElementById("sb-tracker-count");
    /* A link may preset a list (a partnership's page links ?partnership=...). */
    var preset = new URLSearchParams(window.location.search);
    form.querySelectorAll("select[data-filter]").forEach(function (select) {
      var wanted = preset.get(select.getAttribute("data-filter"));
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    });

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = Array.prototype.every.call(controls, function (c) { return matches(row, c); });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = shown === rows.length
        ? "Showing all " + rows.length + " recommendations and actions."
        : "Showing " + shown + " of " + rows.length + " recommendations and actions.";
    }

    controls.forEach(function (c) { c.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
