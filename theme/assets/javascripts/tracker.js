/* The recommendations tracker: marks overdue items against today's date on the reader's device
   (so a site built long ago stays right) and filters by partnership, agency, status and overdue, without a
   server. The filters are kept in the address (?agency=police&overdue=yes), so a filtered view can be
   shared and bookmarked, and opening such an address restores them. Without JavaScript every item is
   listed with its due date and the filters stay hidden. */
(function () {
  "use strict";

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* An item is overdue when it is still open and the last day it was due by (a due year or month
     runs to its end) has passed; an item with no due date never is. */
  function markOverdue(rows) {
    var date = today();
    rows.forEach(function (row) {
      var due = row.getAttribute("data-due");
      var overdue = row.getAttribute("data-open") === "yes" && due !== "" && due < date;
      row.setAttribute("data-overdue", overdue ? "yes" : "no");
      var cell = row.querySelector(".sb-overdue-cell");
      if (!cell) return;
      cell.textContent = overdue ? "Yes" : (due === "" ? "" : "No");
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

  /* Each control from the address; a value the page does not offer is left unset. */
  function restore(controls) {
    var wanted = new URLSearchParams(window.location.search);
    controls.forEach(function (control) {
      var value = wanted.get(control.getAttribute("data-filter"));
      if (control.type === "checkbox") {
        control.checked = value === "yes";
      } else {
        var offered = value !== null && control.querySelector('option[value="' + CSS.escape(value) + '"]');
        control.value = offered ? value : "";
      }
    });
  }

  /* The address of the view: the set filters in the query string, the rest of the address kept. */
  function remember(controls) {
    var query = new URLSearchParams(window.location.search);
    controls.forEach(function (control) {
      var field = control.getAttribute("data-filter");
      var value = control.type === "checkbox" ? (control.checked ? "yes" : "") : control.value;
      if (value) query.set(field, value); else query.delete(field);
    });
    var search = query.toString();
    var address = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    if (address !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(null, "", address);
    }
  }

  function setUp() {
    var table = document.getElementById("sb-tracker");
    if (!table) return;
    var rows = table.querySelectorAll("tbody tr[data-status]");
    markOverdue(rows);
    var form = document.getElementById("sb-tracker-filters");
    if (!form) return;
    var controls = form.querySelectorAll("[data-filter]");
    var count = document.getElementById("sb-tracker-count");
    restore(controls);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = Array.prototype.every.call(controls, function (c) { return matches(row, c); });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      /* A review whose items are all filtered out loses its heading too. */
      table.querySelectorAll("tbody").forEach(function (group) {
        group.hidden = !group.querySelector("tr[data-status]:not([hidden])");
      });
      count.textContent = shown === rows.length
        ? "Showing all " + rows.length + " recommendations and actions."
        : "Showing " + shown + " of " + rows.length + " recommendations and actions.";
    }

    controls.forEach(function (c) {
      c.addEventListener("change", function () { apply(); remember(controls); });
    });
    window.addEventListener("popstate", function () { restore(controls); apply(); });
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
