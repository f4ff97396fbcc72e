/* A "Copy link" button beside each finding, question, learning point and recommendation, so a
   trainer can paste a link to it into slides. Without JavaScript the heading permalinks remain. */
(function (factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;  // for the tests, run with Node
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { api.addButtons(document); });
  } else {
    api.addButtons(document);
  }
})(function () {
  "use strict";

  var KINDS = {
    "finding": "finding",
    "question": "question",
    "learning": "learning point",
    "good-practice": "good practice point",
    "recommendation": "recommendation"
  };
  var ANCHOR = /^(finding|question|learning|good-practice|recommendation)-(\d+)$/;

  /* "finding-2" -> "finding 2"; anything else -> null (no button). */
  function describe(id) {
    var match = ANCHOR.exec(id || "");
    return match ? KINDS[match[1]] + " " + match[2] : null;
  }

  /* The page's address without its query or fragment, then the anchor. */
  function linkTo(href, id) {
    return href.split("#")[0].split("?")[0] + "#" + id;
  }

  function liveRegion(doc) {
    var region = doc.getElementById("sb-copy-status");
    if (!region) {
      region = doc.createElement("p");
      region.id = "sb-copy-status";
      region.className = "sb-visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      doc.body.appendChild(region);
    }
    return region;
  }

  function copyText(doc, text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {  // http:// sites have no clipboard API
      var area = doc.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "sb-visually-hidden";
      doc.body.appendChild(area);
      area.select();
      var done = false;
      try { done = doc.execCommand("copy"); } catch (e) { done = false; }
      doc.body.removeChild(area);
      if (done) resolve(); else reject(new Error("copy refused"));
    });
  }

  /* The visible confirmation, in the button itself, for a few seconds (the live region announces it). */
  function showDone(button, label, text) {
    label.textContent = text;
    button.classList.add("sb-copy-link--done");
    clearTimeout(button.sbTimer);
    button.sbTimer = setTimeout(function () {
      label.textContent = "Copy link";
      button.classList.remove("sb-copy-link--done");
    }, 4000);
  }

  /* A heading and its button side by side in one row, the heading keeping its level. */
  function headingRow(doc, heading, button) {
    var row = doc.createElement("div");
    row.className = "sb-heading-row";
    heading.parentNode.insertBefore(row, heading);
    row.appendChild(heading);
    row.appendChild(button);
  }

  function makeButton(doc, target, what) {
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "sb-copy-link";
    // built from elements and text, never from markup: `what` comes from the page
    var label = doc.createElement("span");
    label.className = "sb-copy-link__label";
    label.textContent = "Copy link";
    var hidden = doc.createElement("span");
    hidden.className = "sb-visually-hidden";
    hidden.textContent = " to " + what;
    button.appendChild(label);
    button.appendChild(hidden);
    button.addEventListener("click", function () {
      var link = linkTo(doc.location.href, target.id);
      var region = liveRegion(doc);
      region.textContent = "";
      copyText(doc, link).then(function () {
        region.textContent = "Link to " + what + " copied.";
        showDone(button, label, "Link copied");
      }, function () {
        region.textContent = "Your browser did not let us copy. The link to " + what + " is " + link;
        showDone(button, label, "Not copied: the link is in the address bar");
        doc.location.hash = target.id;
      });
    });
    return button;
  }

  function addButtons(doc) {
    var article = doc.querySelector(".md-content article") || doc.body;
    Array.prototype.forEach.call(article.querySelectorAll("[id]"), function (target) {
      var what = describe(target.id);
      if (!what) return;
      var button = makeButton(doc, target, what);
      if (/^H[1-6]$/.test(target.tagName)) headingRow(doc, target, button);
      else target.appendChild(button);
    });
  }

  return { describe: describe, linkTo: linkTo, addButtons: addButtons };
});
