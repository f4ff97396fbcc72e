"""Counts of the published reviews for the statistics page, its charts and its CSV files.

Breakdowns of children (age band, sex, outcome) suppress small numbers: a count of one or two
children can identify a child, so national statistics print it as "fewer than 3".
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, replace

from .model import REVIEW_TYPES, Child, Partnership, Site

AGE_BANDS = ("unborn", "under 1", "1-4", "5-9", "10-15", "16-17", "18+")
SEXES = {"female": "Female", "male": "Male"}
OUTCOMES = {"died": "Died", "seriously harmed": "Seriously harmed", "other": "Other"}

# Chart geometry, in SVG user units: a label line above each bar, so long labels fit at 375 px.
CHART_WIDTH = 360
BAR_SPACE = 290  # the longest bar; the rest of the width holds its figure
ROW_HEIGHT = 46
LABEL_Y, BAR_Y, BAR_HEIGHT = 16, 22, 18


@dataclass(frozen=True)
class Count:
    label: str
    value: int
    suppressed_below: int | None = None  # set when the value is withheld: "fewer than 3"

    @property
    def shown(self) -> str:
        """The count as every output shows it: the chart, the table and the CSV."""
        return f"fewer than {self.suppressed_below}" if self.suppressed_below else str(self.value)


@dataclass(frozen=True)
class Bar:
    count: Count
    y: int
    width: int  # 0 for a suppressed count: its bar would give the number away


@dataclass(frozen=True)
class Breakdown:
    id: str  # names the CSV file and the chart's anchor
    title: str
    category: str  # the CSV's first column heading
    unit: str  # "Reviews" or "Children"
    counts: tuple[Count, ...]
    folder: str = "statistics"  # where its CSV file goes: statistics/<partnership>/ for one partnership's

    @property
    def csv_path(self) -> str:
        return f"{self.folder}/{self.id}.csv"

    @property
    def suppressed(self) -> bool:
        return any(c.suppressed_below for c in self.counts)

    @property
    def bars(self) -> tuple[Bar, ...]:
        top = max((c.value for c in self.counts if not c.suppressed_below), default=0) or 1
        return tuple(Bar(c, i * ROW_HEIGHT, 0 if c.suppressed_below else round(c.value / top * BAR_SPACE))
                     for i, c in enumerate(self.counts))

    @property
    def height(self) -> int:
        return len(self.counts) * ROW_HEIGHT

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.category, self.unit])
        writer.writerows([c.label, c.shown] for c in self.counts)
        return out.getvalue()


def suppress(counts: tuple[Count, ...], threshold: int) -> tuple[Count, ...]:
    """Withhold every count from 1 to threshold; a zero identifies nobody and stays."""
    return tuple(Count(c.label, c.value, threshold + 1) if 1 <= c.value <= threshold else c for c in counts)


def _counts(found: Counter, labels: dict[object, str]) -> tuple[Count, ...]:
    return tuple(Count(label, found[key]) for key, label in labels.items())


def by_year(site: Site) -> Breakdown:
    found = Counter(r.year for r in site.reviews)
    years = range(min(found), max(found) + 1) if found else ()
    return Breakdown("reviews-by-year", "Reviews by year published", "Year published", "Reviews",
                     _counts(found, {year: str(year) for year in years}))


def by_type(site: Site) -> Breakdown:
    found = Counter(r.type for r in site.reviews)
    return Breakdown("reviews-by-type", "Reviews by type", "Type of review", "Reviews",
                     _counts(found, {t: name for t, name in REVIEW_TYPES.items() if found[t]}))


def by_theme(site: Site) -> Breakdown:
    """How many reviews each theme occurs in (on the review or on any finding or point), most first."""
    counts = [Count(t.name, len(site.reviews_with_theme(t))) for t in site.themes]
    counts.sort(key=lambda c: (-c.value, c.label.lower()))
    return Breakdown("reviews-by-theme", "How often each theme occurs", "Theme", "Reviews", tuple(counts))


def _children(site: Site) -> list[Child]:
    return [child for review in site.reviews for child in review.children]


def by_age_band(site: Site) -> Breakdown:
    found = Counter(child.age_band or "not published" for child in _children(site))
    labels = {band: band.capitalize() if band[0].isalpha() else band for band in AGE_BANDS}
    return _children_breakdown(site, "children-by-age-band", "Children by age band", "Age band",
                               found, {**labels, "not published": "Not published"})


def by_sex(site: Site) -> Breakdown:
    found = Counter(child.sex if child.sex in SEXES else "not published" for child in _children(site))
    return _children_breakdown(site, "children-by-sex", "Children by sex", "Sex",
                               found, {**SEXES, "not published": "Not published"})


def by_outcome(site: Site) -> Breakdown:
    found = Counter(child.outcome or "not stated" for child in _children(site))
    return _children_breakdown(site, "children-by-outcome", "Children by outcome", "Outcome",
                               found, {**OUTCOMES, "not stated": "Not stated"})


def _children_breakdown(site: Site, id: str, title: str, category: str, found: Counter,
                        labels: dict[str, str]) -> Breakdown:
    counts = suppress(_counts(found, labels), site.settings.small_number_threshold)
    return Breakdown(id, title, category, "Children", counts)


def breakdowns(site: Site, folder: str = "statistics") -> tuple[Breakdown, ...]:
    """Every chart on the statistics page, in page order, with their CSV files in folder."""
    charts = (by_year(site), by_type(site), by_age_band(site), by_sex(site), by_outcome(site), by_theme(site))
    return tuple(replace(chart, folder=folder) for chart in charts)


@dataclass(frozen=True)
class PartnershipStatistics:
    """The statistics page of one partnership on a site with several: the same charts, counting
    only its reviews, with the same small numbers suppressed."""

    partnership: Partnership
    site: Site  # the site with only this partnership's reviews

    @property
    def source(self) -> str:
        return page_of(self.partnership)

    @property
    def charts(self) -> tuple[Breakdown, ...]:
        return breakdowns(self.site, f"statistics/{self.partnership.slug}")


def page_of(partnership: Partnership) -> str:
    """A partnership's statistics page's Markdown path; its address is statistics/<partnership>/."""
    return f"statistics/{partnership.slug}.md"


def by_partnership(site: Site) -> tuple[PartnershipStatistics, ...]:
    """A statistics page for each partnership, when the site has more than one."""
    if len(site.partnerships) < 2:
        return ()
    return tuple(PartnershipStatistics(p, replace(site, reviews=site.reviews_of(p))) for p in site.partnerships)
