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

  window.addEventListener("beforeprint", markLinks);
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function (event) {
      if (event.matches) markLinks();
    });
  }
})();
