/* Dates decided in the reader's browser, so that a site built long ago still tells the truth:
   - [data-sb-show-after="YYYY-MM-DD"] is revealed, and [data-sb-hide-after] hidden, once that day
     has passed (the out-of-date notice; the full report giving way to "available on request");
   - the events page moves events that have not yet ended into "Upcoming events", soonest first.
   Without JavaScript the dates are still printed and every event is listed, latest first. */
(function (factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;  // for the tests, run with Node
  } else {
    var start = function () { api.apply(document, api.isoDay(new Date())); };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(function () {
  "use strict";

  /* The reader's local date as YYYY-MM-DD. */
  function isoDay(date) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  /* True once the day has passed: on the day itself it is not yet after. ISO dates sort as text. */
  function isAfter(today, day) {
    return /^\d{4}-\d{2}-\d{2}$/.test(day || "") && today > day;
  }

  /* Split events (each with an `ends` date) into upcoming, soonest first, and past, latest first. */
  function splitEvents(events, today) {
    var upcoming = events.filter(function (e) { return !isAfter(today, e.ends); });
    var past = events.filter(function (e) { return isAfter(today, e.ends); });
    upcoming.sort(function (a, b) { return a.ends < b.ends ? -1 : a.ends > b.ends ? 1 : 0; });
    past.sort(function (a, b) { return a.ends < b.ends ? 1 : a.ends > b.ends ? -1 : 0; });
    return { upcoming: upcoming, past: past };
  }

  function apply(doc, today) {
    doc.querySelectorAll("[data-sb-show-after]").forEach(function (el) {
      if (isAfter(today, el.getAttribute("data-sb-show-after"))) el.hidden = false;
    });
    doc.querySelectorAll("[data-sb-hide-after]").forEach(function (el) {
      if (isAfter(today, el.getAttribute("data-sb-hide-after"))) el.hidden = true;
    });
    arrangeEvents(doc, today);
  }

  function arrangeEvents(doc, today) {
    var all = doc.getElementById("sb-events");
    var section = doc.getElementById("sb-events-upcoming");
    if (!section) return;
    var items = all ? Array.prototype.slice.call(all.querySelectorAll("li[data-sb-ends]")) : [];
    var split = splitEvents(items.map(function (li) {
      return { ends: li.getAttribute("data-sb-ends"), li: li };
    }), today);
    var upcomingList = section.querySelector("ol");
    split.upcoming.forEach(function (e) { upcomingList.appendChild(e.li); });
    section.querySelector(".sb-events-none").hidden = split.upcoming.length > 0;
    section.hidden = false;
    var heading = doc.getElementById("events");
    if (heading && heading.firstChild) heading.firstChild.nodeValue = "Past events";
  }

  return { isoDay: isoDay, isAfter: isAfter, splitEvents: splitEvents, apply: apply };
});
