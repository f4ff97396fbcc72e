/* Site search with Pagefind: the header's search box (partials/briefings-search.html).
   Pagefind's index is loaded chunk by chunk as a query needs it, so a phone downloads a few
   hundred kilobytes, not the whole index. Nothing here loads anything from another host. */
(function () {
  "use strict";

  var PAGE_SIZE = 10;

  function setUp() {
    var box = document.getElementById("sb-search");
    if (!box || !window.fetch) return;
    var input = document.getElementById("sb-search-input");
    var panel = document.getElementById("sb-search-panel");
    var status = document.getElementById("sb-search-status");
    var list = document.getElementById("sb-search-results");
    var more = document.getElementById("sb-search-more");
    var filters = document.getElementById("sb-search-filters");
    var selects = filters.querySelectorAll("select[data-filter]");
    var bundle = new URL(box.getAttribute("data-bundle"), document.baseURI);
    var root = new URL("..", bundle);  // the site's folder: the meta's addresses are relative to it
    var pagefind = null, results = [], shown = 0, latest = 0;

    function load() {
      if (!pagefind) {
        pagefind = import(new URL("pagefind.js", bundle).href).then(function (module) {
          // result addresses are relative to the site's folder, wherever it is served from
          // ranking: a listing page's short title ("Neglect") must not outweigh the reviews
          // themselves, nor its shortness (its lists are kept out of the index) count for it
          return module.options({ baseUrl: new URL("..", bundle).pathname, excerptLength: 24,
                                  ranking: { metaWeights: { title: 1 }, pageLength: 0.3 } })
            .then(function () { module.init(); return module; });
        });
      }
      return pagefind;
    }

    function chosenFilters() {
      var chosen = {};
      selects.forEach(function (select) {
        if (select.value) chosen[select.getAttribute("data-filter")] = select.value;
      });
      return chosen;
    }

    function open() {
      panel.hidden = false;
    }

    function close() {
      panel.hidden = true;
    }

    function run() {
      var query = input.value.trim();
      var chosen = chosenFilters();
      var ticket = ++latest;
      if (!query && !Object.keys(chosen).length) {
        list.textContent = "";
        more.hidden = true;
        status.textContent = "Type a word to search the briefings.";
        return;
      }
      open();
      status.textContent = "Searching…";
      load().then(function (module) {
        var wanted = pseudonymQuery(query);
        return module.search(wanted || null, { filters: chosen }).then(function (search) {
          if (!search || search.results.length || wanted === query) return search;
          return module.search(query, { filters: chosen });  // the joined words found nothing
        });
      }).then(function (search) {
        if (ticket !== latest || !search) return;  // a newer query has started
        results = search.results;
        shown = 0;
        list.textContent = "";
        return showMore().then(function () {
          if (ticket !== latest) return;
          var n = results.length;
          var what = query ? " for “" + query + "”" : "";
          status.textContent = n === 0 ? "No results" + what + "." : n + " result" + (n === 1 ? "" : "s") + what + ".";
        });
      }).catch(function () {
        status.textContent = "The search could not be loaded. Check your connection and try again.";
      });
    }

    // "Child F": Pagefind keeps no one-letter words apart, but indexes the review's id
    // (child-f-2022) also as the one word "childf2022", so a pseudonym is searched joined too.
    function pseudonymQuery(query) {
      return query.replace(/\b(child|children|family|baby|sibling|siblings|young person)\s+([a-z])\b/gi,
                           function (all, word, letter) { return word.replace(/\s/g, "") + letter + " " + all; });
    }

    function showMore() {
      var batch = results.slice(shown, shown + PAGE_SIZE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
        pages.forEach(function (page) { list.appendChild(resultItem(page)); });
      });
    }

    function resultItem(page) {
      var item = document.createElement("li");
      item.className = "sb-search__result";
      var heading = document.createElement("a");
      heading.href = page.url;
      heading.className = "sb-search__title";
      heading.textContent = page.meta.title || page.url;
      item.appendChild(heading);
      if (page.meta.kind) {
        var kind = document.createElement("p");
        kind.className = "sb-search__kind";
        kind.textContent = page.meta.kind;
        item.appendChild(kind);
      }
      if (page.meta.notes) {
        var note = document.createElement("p");
        note.className = "sb-content-note sb-search__note";
        var label = document.createElement("strong");
        label.className = "sb-content-note__label";
        label.textContent = "Content note:";
        note.appendChild(label);
        note.appendChild(document.createTextNode(" this review includes " + page.meta.notes + "."));
        item.appendChild(note);
      }
      var excerpt = document.createElement("p");
      excerpt.className = "sb-search__excerpt";
      excerpt.innerHTML = page.excerpt;  // Pagefind escapes the page text and adds only <mark>
      item.appendChild(excerpt);
      var parts = (page.sub_results || []).filter(function (s) {
        return s.url !== page.url && s.title !== page.meta.title;  // not the page heading again
      }).sort(function (a, b) {  // the matching findings first: the part a reader acts on
        return isFinding(b) - isFinding(a);
      }).slice(0, 3);
      if (parts.length) {
        var sub = document.createElement("ul");
        sub.className = "sb-search__parts";
        parts.forEach(function (part) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = part.url;
          a.textContent = part.title;
          li.appendChild(a);
          sub.appendChild(li);
        });
        item.appendChild(sub);
      }
      var pages = reviewPages(page);
      if (pages) item.appendChild(pages);
      return item;
    }

    function isFinding(part) { return /#finding-\d+$/.test(part.url) ? 1 : 0; }

    // A review is one result: its briefing's, which links the review's other pages.
    function reviewPages(page) {
      var links = [["brief", "Learning brief"], ["trainer", "Trainer's page"]].filter(function (pair) {
        return page.meta[pair[0]];
      });
      if (!links.length) return null;
      var list = document.createElement("ul");
      list.className = "sb-search__pages";
      list.setAttribute("aria-label", "This review's other pages");
      links.forEach(function (pair) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = new URL(page.meta[pair[0]], root).href;
        a.textContent = pair[1];
        li.appendChild(a);
        list.appendChild(li);
      });
      return list;
    }

    function fillFilters() {
      if (filters.getAttribute("data-filled")) return;
      filters.setAttribute("data-filled", "yes");
      load().then(function (module) { return module.filters(); }).then(function (available) {
        selects.forEach(function (select) {
          var values = available[select.getAttribute("data-filter")] || {};
          Object.keys(values).sort(byName).forEach(function (value) {
            var option = document.createElement("option");
            option.value = value;
            option.textContent = value + " (" + values[value] + ")";
            select.appendChild(option);
          });
        });
      });
    }

    function byName(a, b) {
      return /^\d{4}$/.test(a) && /^\d{4}$/.test(b) ? b.localeCompare(a) : a.localeCompare(b);
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
    input.addEventListener("focus", function () { load(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !panel.hidden) {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    document.getElementById("sb-search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run();
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) {
        close();
        input.focus();
      }
    });
    document.getElementById("sb-search-close").addEventListener("click", function () {
      close();
      input.focus();
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) close();
    });
    more.addEventListener("click", function () { showMore(); });
    filters.addEventListener("toggle", function () { if (filters.open) fillFilters(); });
    selects.forEach(function (select) { select.addEventListener("change", run); });
    box.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
