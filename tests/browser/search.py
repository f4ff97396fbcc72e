"""Type a query into the site's search box and read the results, as a reader would.

This is the only place the tests know how search looks: if the search engine changes, adapt
`search` (and `announcement`) here and every test that searches follows.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

# Material for MkDocs' search box and results.
BOX = ".md-search__input"
OPEN_BOX = "label.md-header__button[for='__search']"   # the magnifier shown on a phone
STATUS = ".md-search-result__meta"
RESULT = ".md-search-result__item"
LIVE_REGION = "#sb-search-status"                     # theme/assets/javascripts/search-status.js


@dataclass(frozen=True)
class SearchResult:
    title: str
    path: str  # the page's address relative to the site root, e.g. "reviews/patricia-2020/"


def search(page, query: str, timeout: float = 10_000) -> list[SearchResult]:
    """Type query into the search box and return the pages found, best first."""
    if page.locator(OPEN_BOX).is_visible():  # a phone: the box opens from the header's magnifier
        page.locator(OPEN_BOX).click()
    page.locator(BOX).click()
    page.locator(BOX).fill("")
    page.keyboard.type(query)
    page.wait_for_function(
        """([status, query]) => {
             const box = document.querySelector('.md-search__input');
             const meta = document.querySelector(status);
             return box.value === query && meta && /\\d+ matching|No matching/.test(meta.textContent);
           }""", arg=[STATUS, query], timeout=timeout)
    _wait_until_settled(page)
    return [_result(item) for item in page.locator(RESULT).all()]


def announcement(page) -> str:
    """What a screen reader is told about the results: the text of the live region."""
    return page.locator(LIVE_REGION).inner_text().strip()


def _wait_until_settled(page, interval_ms: int = 250) -> None:
    """Results are redrawn as each letter arrives: wait until two looks agree."""
    before = None
    for _ in range(40):
        now = page.locator(".md-search-result").inner_html()
        if now == before:
            return
        before = now
        page.wait_for_timeout(interval_ms)


def _result(item) -> SearchResult:
    link = item.locator("a.md-search-result__link").first
    path = urlsplit(link.get_attribute("href")).path.lstrip("/")
    return SearchResult(link.locator("h1").inner_text().strip(), path)
