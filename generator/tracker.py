"""The recommendations tracker: every recommendation and action of the published reviews, with
who it is for, its status and when it is due."""
from __future__ import annotations

from dataclasses import dataclass

from .model import PartialDate, Review, Site

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

    @property
    def status_name(self) -> str:
        return self.status or NOT_STATED

    @property
    def agency_name(self) -> str:
        return self.agency or "Not stated"

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
                         f"{brief}#{r.anchor}") for r in review.recommendations]
    items += [TrackerItem(review, f"Action on finding {f.number}", a.text, a.owner, a.status, a.due,
                          f"{brief}#{f.anchor}") for f in review.findings for a in f.actions]
    items += [TrackerItem(review, "Action", a.text, a.owner, a.status, a.due, f"{brief}#actions")
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


def agencies(items: tuple[TrackerItem, ...]) -> tuple[str, ...]:
    """The agencies named, A to Z, then "Not stated" if any item names none."""
    named = sorted({i.agency for i in items if i.agency}, key=str.lower)
    return tuple(named + (["Not stated"] if any(not i.agency for i in items) else []))
