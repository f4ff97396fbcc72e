"""The pages that list reviews: the home page (the catalogue), with a page for each year on a
large site, and the partnerships' pages.

A site with more reviews than home_page_reviews (in briefings/_site.yml) lists only the newest on
its home page and every review on a page for the year it was published, so that the home page
does not grow with the number of reviews. The search finds any review, on any site.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import jinja2

from generator.pages.views import statistics
from generator.pages.views import tracker
from generator.model.types import REVIEW_TYPES, Partnership, Review, Site
from generator.pages.environment import Page, _render

HOME_PATH = "index.md"


@dataclass(frozen=True)
class YearPage:
    """Every review published in one year, on a site too large to list them all on its home page."""

    year: int
    reviews: tuple[Review, ...]

    @property
    def source(self) -> str:
        """The page's Markdown path; its address is catalogue/<year>/."""
        return f"catalogue/{self.year}.md"


@dataclass(frozen=True)
class YearLink:
    """A year's page as the catalogue's other pages link to it: by its year alone, so that a
    change to one review does not change every page that links the years (render_cache.py)."""

    year: int
    source: str


def year_pages(site: Site) -> tuple[YearPage, ...]:
    """A page for each year, newest first, when the home page cannot list every review; else none."""
    if len(site.reviews) <= site.settings.home_page_reviews:
        return ()
    by_year: dict[int, list[Review]] = {}
    for review in site.reviews:
        by_year.setdefault(review.year, []).append(review)
    return tuple(YearPage(year, tuple(by_year[year])) for year in sorted(by_year, reverse=True))


def _types(reviews: tuple[Review, ...]) -> list[str]:
    return sorted({r.type for r in reviews}, key=list(REVIEW_TYPES).index)


def _partnerships(site: Site, reviews: tuple[Review, ...]) -> tuple[Partnership, ...]:
    """The site's partnerships with a review among these, in the site's order."""
    present = {r.partnership_page.slug for r in reviews}
    return tuple(p for p in site.partnerships if p.slug in present)


def render_catalogue(env: jinja2.Environment, site: Site) -> list[Page]:
    """The home page, and on a large site a page for each year."""
    years = year_pages(site)
    links = tuple(YearLink(page.year, page.source) for page in years)
    shown = site.reviews[:site.settings.home_page_reviews] if years else site.reviews
    pages = [_render(env, "catalogue.md.j2", HOME_PATH, reviews=shown, types=_types(shown),
                     years=() if years else sorted({r.year for r in site.reviews}, reverse=True),
                     partnerships=_partnerships(site, shown), years_pages=links)]
    for page in years:
        pages.append(_render(env, "catalogue-year.md.j2", page.source, page=page, types=_types(page.reviews),
                             partnerships=_partnerships(site, page.reviews), years_pages=links))
    return pages


def render_partnerships(env: jinja2.Environment, site: Site) -> list[Page]:
    """The list of partnerships, and each one's landing page with links to its own tracker and
    statistics."""
    whole, in_catalogue = tracker.tracker_pages(site), not year_pages(site)
    items = Counter(item.review.partnership_page.slug for item in whole.items)
    pages = [_render(env, "partnerships.md.j2", "partnerships/index.md")]
    for partnership in site.partnerships:
        pages.append(_render(env, "partnership.md.j2", partnership.source, partnership=partnership,
                             reviews=site.reviews_of(partnership), in_catalogue=in_catalogue,
                             tracker=_tracker_link(site, whole, partnership, items[partnership.slug]),
                             statistics=statistics.page_of(partnership) if len(site.partnerships) > 1
                             else "statistics/index.md"))
    return pages


@dataclass(frozen=True)
class PartnershipTracker:
    """Where a partnership's landing page points for its recommendations and actions."""

    source: str
    query: str  # "?partnership=<slug>" when the whole tracker is one page: it opens filtered
    items: int


def _tracker_link(site: Site, whole: tracker.TrackerPage, partnership: Partnership, items: int) -> PartnershipTracker:
    own = whole.page_for(partnership)
    if own is not None:
        return PartnershipTracker(own.source, "", items)
    query = f"?partnership={partnership.slug}" if len(site.partnerships) > 1 and not whole.parts else ""
    return PartnershipTracker(whole.source, query, items)
