"""The browser tests' tools: a local web server for site/, a Chromium found on this machine,
and a page opened with every request it makes recorded."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from generator.dev.search_probe import serve  # noqa: F401 - site/ on a free loopback port, for the tests

from .pages import PageType

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Chromium run as root in a container, kept off the network it would otherwise call home to.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
GET_A_BROWSER = ("No Chromium for the browser tests. Install one with `sudo apt-get install chromium` "
                 "(Debian, Ubuntu) or `.venv/bin/python -m playwright install chromium` (anywhere else), "
                 "or name one in BRIEFINGS_CHROMIUM.")
GET_THE_TOOLS = "The browser test tools are missing: run `make test`, which runs `npm ci` to install them."


def chromium_path(bundled: str | None) -> str | None:
    """BRIEFINGS_CHROMIUM, else the system's chromium, else one `playwright install` fetched."""
    for candidate in (os.environ.get("BRIEFINGS_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium",
                      shutil.which("chromium-browser"), bundled):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class Visit:
    """A page open in its own browser context, and every request it made, to the site or elsewhere."""
    page: object  # playwright.sync_api.Page
    base_url: str
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to any host but the site's own (refused before they leave the machine)."""
        ours = urlsplit(self.base_url).netloc
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).netloc != ours]

    def close(self) -> None:
        self.page.context.close()

    def __enter__(self) -> "Visit":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_visit(browser, base_url: str, path: str, **context_options) -> Visit:
    """Open base_url + path in a fresh context (no cache, no cookies), recording every request,
    the search worker's included, and refusing any to another host."""
    context = browser.new_context(**context_options)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    ours = urlsplit(base_url).netloc
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == ours
                  else route.abort("blockedbyclient"))
    page = context.new_page()
    visit = Visit(page, base_url, requests)
    page.goto(base_url + path, wait_until="load")
    return visit


def open_page_type(browser, base_url: str, page_type: PageType, **context_options) -> Visit:
    """A page type as a reader sees it: for search results, with the query typed in."""
    from .search import search

    visit = open_visit(browser, base_url, page_type.path, **context_options)
    if page_type.search:
        search(visit.page, page_type.search)
    return visit


def inject_axe(page) -> None:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
