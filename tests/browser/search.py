"""Type a query into the site's search box and read the results, as a reader would.

This is the only place the tests know how search looks: if the search engine changes, adapt
`search` (and `announcement`) here and every test that searches follows.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

# The site's Pagefind search (theme/partials/briefings-search.html, assets/javascripts/search.js).
BOX = "#sb-search-input"
OPEN_BOX = None                      # the box is always in the header, on a phone too
STATUS = "#sb-search-status"
RESULT = "#sb-search-results > li"
LIVE_REGION = "#sb-search-status"    # role=status, aria-live=polite


@dataclass(frozen=True)
class SearchResult:
    title: str
    path: str  # the page's address relative to the site root, e.g. "reviews/patricia-2020/"


def search(page, query: str, timeout: float = 15_000) -> list[SearchResult]:
    """Type query into the search box and return the pages found, best first."""
    page.locator(BOX).click()
    page.locator(BOX).fill("")
    page.keyboard.type(query)
    page.wait_for_function(
        """([status, query]) => {
             const box = document.querySelector('#sb-search-input');
             const text = (document.querySelector(status) || {}).textContent || '';
             return box.value === query && text.includes('\u201c' + query + '\u201d');
           }""", arg=[STATUS, query], timeout=timeout)
    return [_result(item) for item in page.locator(RESULT).all()]


def announcement(page) -> str:
    """What a screen reader is told about the results: the text of the live region."""
    return page.locator(LIVE_REGION).inner_text().strip()


def _result(item) -> SearchResult:
    link = item.locator("a.sb-search__title").first
    path = urlsplit(link.get_attribute("href")).path.lstrip("/")
    return SearchResult(link.inner_text().strip(), path)
