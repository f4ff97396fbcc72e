"""The recommendations tracker: every recommendation and action of the published reviews, with
who it is for, its status and when it is due."""
from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import groupby

from generator.model.types import PartialDate, Partnership, Review, Site, slug

# In the order a recommendation moves through them; "not stated" when the file gives none.
STATUSES = ("not started", "in progress", "ongoing", "complete", "assured")
NOT_STATED = "not stated"
# Done: these are never overdue, whatever their due date.
CLOSED = {"complete", "assured"}


@dataclass(frozen=True)
class TrackerItem:
    review: Review
    label: str  # "Recommendation 3", "Action on finding 2" or "Action"
    text: str
    agency: str | None
    status: str | None
    due: PartialDate | None
    target: str  # the learning brief's source and anchor, e.g. "reviews/x/learning-brief.md#recommendation-3"
    agency_id: str | None = None  # the vocabulary's id, where the site has one

    @property
    def status_name(self) -> str:
        return self.status or NOT_STATED

    @property
    def agency_key(self) -> str:
        """The filter's value in the address (?agency=police): the id, which outlives a change of name."""
        return self.agency_id or (slug(self.agency) if self.agency else "not-stated")

    @property
    def status_key(self) -> str:
        """The status as a data attribute value: 'in-progress'."""
        return self.status_name.replace(" ", "-")

    @property
    def due_by(self) -> str:
        """The last day it may be done on: a due month or year runs to its end."""
        return self.due.last_day.isoformat() if self.due else ""

    @property
    def open(self) -> bool:
        return self.status not in CLOSED


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int

    @property
    def key(self) -> str:
        return self.status.replace(" ", "-")


def review_items(review: Review) -> tuple[TrackerItem, ...]:
    """A review's recommendations, then its actions on findings, then its other actions."""
    brief = review.learning_brief_source
    items = [TrackerItem(review, f"Recommendation {r.number}", r.text, r.to, r.status, r.due,
                         f"{brief}#{r.anchor}", r.to_id) for r in review.recommendations]
    items += [TrackerItem(review, f"Action on finding {f.number}", a.text, a.owner, a.status, a.due,
                          f"{brief}#{f.anchor}", a.owner_id) for f in review.findings for a in f.actions]
    items += [TrackerItem(review, "Action", a.text, a.owner, a.status, a.due, f"{brief}#actions", a.owner_id)
              for a in review.actions]
    return tuple(items)


def site_items(site: Site) -> tuple[TrackerItem, ...]:
    """Every item of every published review, newest review first."""
    return tuple(item for review in site.reviews for item in review_items(review))


def status_counts(items: tuple[TrackerItem, ...]) -> tuple[StatusCount, ...]:
    """How many items have each status, in STATUSES order, leaving out statuses with none."""
    names = [item.status_name for item in items]
    return tuple(StatusCount(s, names.count(s)) for s in (*STATUSES, NOT_STATED) if s in names)


def review_status_counts(review: Review) -> tuple[StatusCount, ...]:
    return status_counts(review_items(review))


@dataclass(frozen=True)
class ReviewGroup:
    """One review's items on a tracker page, under a heading that says once what they leave
    unstated, so the table is not filled with "Not stated"."""

    review: Review
    items: tuple[TrackerItem, ...]

    @property
    def unstated(self) -> str:
        """What its items leave out, said once: "no status given for 7, no due date for any"."""
        total, parts = len(self.items), []
        for what, missing in (("status", lambda i: not i.status), ("agency", lambda i: not i.agency),
                              ("due date", lambda i: not i.due)):
            count = sum(map(missing, self.items))
            if count:
                parts.append(f"no {what} given for {'any' if count == total else count}")
        return ", ".join(parts)


def by_review(items: tuple[TrackerItem, ...]) -> tuple[ReviewGroup, ...]:
    """Items in groups of one review each, in the order given (newest review first)."""
    return tuple(ReviewGroup(group[0].review, group) for group in
                 (tuple(g) for _, g in groupby(items, key=lambda item: item.review.id)))


def agencies(items: tuple[TrackerItem, ...]) -> tuple[str, ...]:
    """The agencies named, A to Z, then "Not stated" if any item names none."""
    return tuple(name for _, name in agency_choices(items))


def agency_choices(items: tuple[TrackerItem, ...]) -> tuple[tuple[str, str], ...]:
    """(filter value, name) for each agency named, A to Z by name, then "Not stated" if any item names none."""
    named = sorted({(i.agency_key, i.agency) for i in items if i.agency}, key=lambda c: c[1].lower())
    return tuple(named + ([("not-stated", "Not stated")] if any(not i.agency for i in items) else []))


TRACKER_PATH = "tracker.md"


@dataclass(frozen=True)
class TrackerLink:
    """A link to a tracker page, from the pages under it."""

    name: str
    source: str


@dataclass(frozen=True)
class TrackerPage:
    """One page of the tracker. A small site has one, holding every item. With more items than
    the site's tracker_page_items the tracker is split, so that no page grows with the number of
    reviews: tracker.md lists a page for each partnership (with one partnership: for each year),
    and a partnership with too many items lists a page for each year, in parts if need be."""

    source: str  # "tracker.md", "tracker/<partnership>.md", "tracker/<partnership>/2024.md"
    name: str  # what it covers, as a link to it says: a partnership, "2024", "2024, part 2 of 3"
    items: tuple[TrackerItem, ...]  # the items on this page; for a page that lists pages, every item under it
    parts: tuple["TrackerPage", ...] = ()  # the pages it lists; empty for a page of items
    within: tuple[TrackerLink, ...] = ()  # the pages above it, the whole tracker first
    partnership: Partnership | None = None  # set on a partnership's own page and the pages under it

    @property
    def covers(self) -> str:
        """What a page under the whole tracker holds: "Northfield Safeguarding Children Partnership, 2024"."""
        return ", ".join([link.name for link in self.within[1:]] + ([self.name] if self.within else []))

    @property
    def title(self) -> str:
        return "Recommendations tracker" + (f": {self.covers}" if self.covers else "")

    @property
    def link(self) -> TrackerLink:
        return TrackerLink(self.name, self.source)

    @property
    def counts(self) -> tuple[StatusCount, ...]:
        return status_counts(self.items)

    @property
    def review_count(self) -> int:
        return len({item.review.id for item in self.items})

    @property
    def agencies(self) -> tuple[str, ...]:
        return agencies(self.items)

    @property
    def agency_choices(self) -> tuple[tuple[str, str], ...]:
        return agency_choices(self.items)

    @property
    def groups(self) -> tuple[ReviewGroup, ...]:
        return by_review(self.items)

    def pages(self) -> tuple["TrackerPage", ...]:
        """This page and every page under it, each before the pages it lists."""
        return (self, *(page for part in self.parts for page in part.pages()))

    def page_for(self, partnership: Partnership) -> "TrackerPage | None":
        """The page for one partnership's items alone, when the tracker is split by partnership."""
        return next((p for p in self.parts if p.partnership and p.partnership.slug == partnership.slug), None)


def tracker_pages(site: Site) -> TrackerPage:
    """The whole tracker, split as the site's tracker_page_items asks (see TrackerPage)."""
    items, limit = site_items(site), site.settings.tracker_page_items
    top = TrackerPage(TRACKER_PATH, "Recommendations tracker", items)
    if len(items) <= limit:
        return top
    if len(site.partnerships) == 1:
        return replace(top, parts=_years(items, "tracker", limit, (top.link,)))
    by_partnership: dict[str, list[TrackerItem]] = {}
    for item in items:
        by_partnership.setdefault(item.review.partnership_page.slug, []).append(item)
    parts = []
    for partnership in site.partnerships:
        own = tuple(by_partnership.get(partnership.slug, ()))
        if not own:
            continue
        page = TrackerPage(f"tracker/{partnership.slug}.md", partnership.name, own, within=(top.link,),
                           partnership=partnership)
        if len(own) > limit:
            page = replace(page, parts=_years(own, f"tracker/{partnership.slug}", limit, (top.link, page.link),
                                              partnership))
        parts.append(page)
    return replace(top, parts=tuple(parts))


def _years(items: tuple[TrackerItem, ...], folder: str, limit: int, within: tuple[TrackerLink, ...],
           partnership: Partnership | None = None) -> tuple[TrackerPage, ...]:
    """A page for each year of publication, newest first; a year with more than limit items is
    split into parts, never splitting one review's items."""
    pages = []
    for year in sorted({item.review.year for item in items}, reverse=True):
        chunks = _chunks(tuple(i for i in items if i.review.year == year), limit)
        for n, chunk in enumerate(chunks, start=1):
            source, name = (f"{folder}/{year}.md", str(year)) if len(chunks) == 1 else \
                (f"{folder}/{year}-part-{n}.md", f"{year}, part {n} of {len(chunks)}")
            pages.append(TrackerPage(source, name, chunk, within=within, partnership=partnership))
    return tuple(pages)


def _chunks(items: tuple[TrackerItem, ...], limit: int) -> list[tuple[TrackerItem, ...]]:
    """Items in runs of at most limit, each review's items kept together (a review with more
    than limit items has a page of its own)."""
    chunks: list[list[TrackerItem]] = [[]]
    for _, group in groupby(items, key=lambda item: item.review.id):
        group = list(group)
        if chunks[-1] and len(chunks[-1]) + len(group) > limit:
            chunks.append([])
        chunks[-1] += group
    return [tuple(chunk) for chunk in chunks if chunk]
