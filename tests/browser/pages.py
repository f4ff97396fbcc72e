"""Every kind of page the site has, each with one example address in the example site.

Adding a page type is one line here: every browser test (axe, keyboard, focus, headings,
requests, phone width, valid HTML) then runs on it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageType:
    name: str
    path: str               # relative to the site's root, as a reader's browser asks for it
    search: str | None = None  # a query typed into the search box before the checks run

    @property
    def html_file(self) -> str:
        """The file in site/ that serves this address."""
        return self.path + "index.html" if self.path.endswith("/") or not self.path else self.path


PAGE_TYPES: list[PageType] = [
    PageType("catalogue (home)", ""),
    PageType("seven-minute briefing", "reviews/patricia-2020/"),
    PageType("learning brief", "reviews/patricia-2020/learning-brief/"),
    PageType("theme page", "themes/disguised-compliance/"),
    PageType("themes index", "themes/"),
    PageType("glossary", "glossary/"),
    PageType("search results", "", search="disguised compliance"),
    PageType("about", "about/"),
    PageType("about: using a briefing", "about/using-a-briefing/"),
    PageType("about: writing a briefing", "about/writing-a-briefing/"),
    PageType("accessibility statement", "about/accessibility/"),
    PageType("page not found", "404.html"),
    PageType("trainer's page", "reviews/patricia-2020/trainer/"),
    PageType("events", "events/"),
    PageType("recommendations tracker", "tracker/"),
    PageType("statistics", "statistics/"),
    PageType("statistics: a partnership", "statistics/leicester-safeguarding-children-partnership/"),
    PageType("what's new", "whats-new/"),
    PageType("what's new: a month", "whats-new/2023-06/"),
    PageType("partnerships", "partnerships/"),
    PageType("a partnership", "partnerships/leicester-safeguarding-children-partnership/"),
    PageType("about: publishing guide", "about/publishing-guide/"),
]


# Pages that only a large site has (a split tracker, the reviews of one year); the checks run on
# them in a small synthetic site with low limits (tests/browser/test_scale_pages.py), by these names.
SCALE_PAGE_TYPES = (
    "home page of a large site",
    "reviews of one year",
    "tracker: the partnerships",
    "tracker: a partnership's years",
    "tracker: one year of a partnership",
    "tracker: a partnership on one page",
    "a partnership with its own tracker",
)


def page_id(page_type: PageType) -> str:
    """A short test id: 'seven-minute-briefing'."""
    return "".join(c if c.isalnum() else "-" for c in page_type.name).strip("-").replace("--", "-")
