/* Printed pages show each link's full address after its text: paper cannot be clicked. The
   browser resolves relative links, so this works wherever the site is served from. Links to a
   place on the same page, and links whose text is already their address, are left alone. */
(function () {
  "use strict";

  function markLinks() {
    document.documentElement.classList.add("sb-print-links");
    document.querySelectorAll(".md-content a[href]").forEach(function (link) {
      var address = link.href.replace(/^mailto:/, "");
      var samePage = link.getAttribute("href").charAt(0) === "#";
      var shown = link.textContent.trim() === address;
      var plain = link.classList.contains("headerlink") || link.classList.contains("sb-print-plain");
      if (samePage || shown || plain) return;
      link.setAttribute("data-print-href", address);
    });
  }

  /* "Print the action plan": the page prints with only that part (html.sb-print-part); the
     control is shown only where this script runs, since it needs it. */
  function printPart(button) {
    var root = document.documentElement;
    var part = document.getElementById(button.getAttribute("data-sb-print"));
    if (!part) return;
    part = part.closest("section") || part;
    part.classList.add("sb-print-this");
    root.classList.add("sb-print-part");
    var done = function () {
      root.classList.remove("sb-print-part");
      part.classList.remove("sb-print-this");
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
  }

  function addPrintControls() {
    document.querySelectorAll("button[data-sb-print]").forEach(function (button) {
      button.addEventListener("click", function () { printPart(button); });
      var holder = button.closest(".sb-print-control");
      if (holder) holder.hidden = false;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addPrintControls);
  else addPrintControls();

  window.addEventListener("beforeprint", markLinks);
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function (event) {
      if (event.matches) markLinks();
    });
  }
})();
