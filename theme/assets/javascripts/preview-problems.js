// Under `make serve` only (theme/main.html loads this script when previewing): when the last save
// left the briefings with problems, the preview keeps showing the last good version, and this
// script puts the problems at the top of the page, so an officer sees them in the browser too.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var address = new URL("../../preview-problems.json", script.src);

  function show(problems) {
    if (!Array.isArray(problems) || !problems.length) { return; }
    var box = document.createElement("div");
    box.className = "admonition danger sb-preview-problems";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = "This preview is out of date. The last save has problems, so the briefings were " +
      "not rebuilt. Fix these, save again, and this page will reload:";
    box.appendChild(title);
    var list = document.createElement("ul");
    problems.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;  // text, never markup
      list.appendChild(item);
    });
    box.appendChild(list);
    var content = document.querySelector("article") || document.body;
    content.insertBefore(box, content.firstChild);
  }

  fetch(address, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(show, function () {});
})();
