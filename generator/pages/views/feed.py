"""The Atom feed (RFC 4287) of published briefings, newest first.

Atom needs absolute addresses, so the feed is made only when _site.yml gives base_url. Every date
comes from the reviews, never the clock, so the same input gives the same feed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model.types import PartialDate, Review, Site, Theme
from generator.pages.environment import page_url

FEED_PATH = "feed.xml"
# Feed readers want what is new, and the feed must not grow with the whole archive.
FEED_LIMIT = 50


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    link: str
    updated: str
    summary: str
    author: str
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    subtitle: str
    home: str
    self_link: str
    updated: str
    author: str
    entries: tuple[FeedEntry, ...]


def has_feed(site: Site) -> bool:
    """A feed needs absolute addresses (base_url) and at least one entry for its updated date."""
    return bool(site.settings.base_url and site.reviews)


def atom_date(date: PartialDate) -> str:
    """An RFC 3339 time for a date that may be a month or a year: its first day, at midnight UTC."""
    return dt.datetime.combine(date.first_day, dt.time(), dt.timezone.utc).isoformat().replace("+00:00", "Z")


def make_feed(site: Site) -> Feed:
    base = site.settings.base_url.rstrip("/") + "/"
    entries = tuple(_entry(review, base) for review in site.reviews[:FEED_LIMIT])
    return Feed(
        id=base,
        title=f"{site.settings.site_name}: new briefings",
        subtitle=f"Seven-minute briefings and learning briefs published by {site.settings.partnership}",
        home=base,
        self_link=base + FEED_PATH,
        updated=max(e.updated for e in entries),
        author=site.settings.partnership,
        entries=entries,
    )


def _entry(review: Review, base: str) -> FeedEntry:
    # The briefing's address is its id: the review id never changes once published.
    link = base + page_url(review.briefing_source)
    return FeedEntry(id=link, title=f"{review.name}: {review.type_name}", link=link,
                     updated=atom_date(review.published), summary=review.summary,
                     author=review.partnership, themes=review.themes)
