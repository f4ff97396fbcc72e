"""Drive the built site's search in a real browser: for the tests, and for the benchmark's
figure of how much a reader downloads before the first results appear.

Needs Playwright (pinned in requirements.txt) and Chromium (Debian's /usr/bin/chromium, which
`make` installs when it is missing). The site is served by a plain static server, as a reader's
web host would.
"""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(site_dir: Path):
    """Serve site_dir on a free local port; yield its base address."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser():
    """A headless Chromium page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = chromium.new_page()
            yield page
        finally:
            chromium.close()


# Pagefind's own JavaScript API, loaded from the built site as the search box loads it.
_QUERY = """async ([query, filters]) => {
  const pagefind = await import(location.origin + "/pagefind/pagefind.js");  // the site is served at /
  await pagefind.options({ baseUrl: "/" });
  const search = await pagefind.search(query, { filters });
  const pages = await Promise.all(search.results.slice(0, 50).map(r => r.data()));
  return { count: search.results.length,
           pages: pages.map((p, i) => ({ url: p.url, title: p.meta.title, kind: p.meta.kind || "",
                                         score: search.results[i].score, filters: p.filters,
                                         parts: p.sub_results.map(s => s.url) })) };
}"""


def query(page, query: str | None, filters: dict | None = None) -> dict:
    """Run a query against the index of the site the page is on: {count, pages: [{url, score, ...}]},
    the first 50 pages found, best first."""
    return page.evaluate(_QUERY, [query, filters or {}])


_FILTERS = """async () => {
  const pagefind = await import(location.origin + "/pagefind/pagefind.js");
  await pagefind.options({ baseUrl: "/" });
  return await pagefind.filters();
}"""


def filters(page) -> dict:
    """Every filter of the index and how many pages have each value: {"year": {"2020": 3}}."""
    return page.evaluate(_FILTERS)


@dataclass(frozen=True)
class Download:
    page_bytes: int     # the page itself with its styles and scripts, before any search
    search_bytes: int   # from typing the query until the first result is on screen
    requests: int       # responses during the search
    results: str        # what the live region said


def measure_search(base: str, path: str, text: str) -> Download:
    """Open base+path, type text in the header's search box, and count the bytes of every
    response until the first result renders."""
    with browser() as page:
        sizes: list[int] = []
        page.on("response", lambda response: sizes.append(_size(response)))
        page.goto(base + path, wait_until="networkidle")
        before = sum(sizes)
        sizes.clear()
        page.fill("#sb-search-input", text)
        page.wait_for_selector("#sb-search-results li a", timeout=60_000)
        return Download(before, sum(sizes), len(sizes), page.inner_text("#sb-search-status"))


def _size(response) -> int:
    """Bytes on the wire for one response: the body as sent (a static server sends it as is)."""
    try:
        return len(response.body())
    except Exception:  # a redirect or an aborted request has no body
        return 0
