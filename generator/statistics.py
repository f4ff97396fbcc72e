"""Counts of the published reviews for the statistics page, its charts and its CSV files.

Breakdowns of children (age band, sex, outcome) suppress small numbers: a count of one or two
children can identify a child, so national statistics print it as "fewer than 3". Hiding one
count is not enough when the others and their total are known: subtraction gives it back. So a
second count is withheld too (secondary suppression), within a chart (whose total the other
charts of children give away) and, on a site with several partnerships, across them (the whole
site's count of a category is the sum of the partnerships').
"""
from __future__ import annotations

import io
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from defusedcsv import csv as defusedcsv

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
    suppressed_below: int | None = None  # set when the value is small: "fewer than 3"
    withheld: bool = False  # set when a larger value is hidden so that a small one cannot be worked out

    @property
    def hidden(self) -> bool:
        return bool(self.suppressed_below) or self.withheld

    @property
    def shown(self) -> str:
        """The count as every output shows it: the chart, the table and the CSV."""
        if self.suppressed_below:
            return f"fewer than {self.suppressed_below}"
        return "withheld" if self.withheld else str(self.value)


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
        return any(c.hidden for c in self.counts)

    @property
    def bars(self) -> tuple[Bar, ...]:
        top = max((c.value for c in self.counts if not c.hidden), default=0) or 1
        return tuple(Bar(c, i * ROW_HEIGHT, 0 if c.hidden else round(c.value / top * BAR_SPACE))
                     for i, c in enumerate(self.counts))

    @property
    def height(self) -> int:
        return len(self.counts) * ROW_HEIGHT

    def csv(self) -> str:
        return write_csv([[self.category, self.unit], *([c.label, c.shown] for c in self.counts)])


FORMULA_STARTS = "=+-@|%"


def write_csv(rows) -> str:
    """CSV text in which no cell can run as a spreadsheet formula. defusedcsv puts a ' before a
    cell that starts with = + - @ | or %; cell_text adds the starts it misses."""
    out = io.StringIO()
    defusedcsv.writer(out, lineterminator="\n").writerows([cell_text(cell) for cell in row] for row in rows)
    return out.getvalue()


def cell_text(cell: object) -> str:
    """A cell as text, with a ' before it where a spreadsheet would still read a formula: after
    a tab, a carriage return or other leading space, or a fullwidth sign such as U+FF1D. A carriage
    return becomes a line feed, which Python's writer quotes (it leaves a lone CR unquoted, and a
    spreadsheet would start a row there)."""
    text = str(cell).replace("\r\n", "\n").replace("\r", "\n")
    head = unicodedata.normalize("NFKC", text.lstrip()[:1])
    if text[:1] in ("\t", "\n") or (head in FORMULA_STARTS and text[:1] not in FORMULA_STARTS):
        return "'" + text
    return text


def suppress(counts: tuple[Count, ...], threshold: int) -> tuple[Count, ...]:
    """Hide every count from 1 to threshold (a zero identifies nobody and stays), then, if that
    hid only one, a second one, so that the total cannot give it back."""
    return protect_row(tuple(Count(c.label, c.value, threshold + 1) if 1 <= c.value <= threshold else c
                             for c in counts))


def protect_row(counts: tuple[Count, ...]) -> tuple[Count, ...]:
    """With exactly one count hidden, withhold the smallest other count above zero as well."""
    if sum(c.hidden for c in counts) != 1:
        return counts
    shown = [c for c in counts if not c.hidden and c.value > 0]
    if not shown:
        return counts  # the hidden count is the whole total, itself small and hidden elsewhere
    smallest = min(shown, key=lambda c: c.value)
    return tuple(replace(c, withheld=True) if c is smallest else c for c in counts)


def protect_across(whole: tuple[Count, ...], parts: list[tuple[Count, ...]]) -> tuple[tuple[Count, ...], list]:
    """One chart of children for the whole site and for each partnership, same categories in the
    same order. Each category's count for the site is the sum of the partnerships', so where one
    partnership's count is hidden and the site's is not, another partnership's is withheld; and
    each row keeps two hidden counts or none. Repeated until nothing changes."""
    rows = [list(whole)] + [list(part) for part in parts]
    changed = True
    while changed:
        changed = False
        for i, row in enumerate(rows):
            protected = list(protect_row(tuple(row)))
            changed |= protected != row
            rows[i] = protected
        for column in range(len(whole)):
            if rows[0][column].hidden:
                continue
            hidden = [r for r in rows[1:] if r[column].hidden]
            shown = [r for r in rows[1:] if not r[column].hidden and r[column].value > 0]
            if len(hidden) == 1 and shown:
                row = min(shown, key=lambda r: r[column].value)
                row[column] = replace(row[column], withheld=True)
                changed = True
    return tuple(rows[0]), [tuple(row) for row in rows[1:]]


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
    charts: tuple[Breakdown, ...]

    @property
    def source(self) -> str:
        return page_of(self.partnership)


def page_of(partnership: Partnership) -> str:
    """A partnership's statistics page's Markdown path; its address is statistics/<partnership>/."""
    return f"statistics/{partnership.slug}.md"


def by_partnership(site: Site) -> tuple[PartnershipStatistics, ...]:
    """A statistics page for each partnership, when the site has more than one."""
    return site_statistics(site)[1]


def site_statistics(site: Site) -> tuple[tuple[Breakdown, ...], tuple[PartnershipStatistics, ...]]:
    """The site's charts, and each partnership's when it has several, with the counts of children
    protected across them all (protect_across)."""
    whole = breakdowns(site)
    if len(site.partnerships) < 2:
        return whole, ()
    sites = [replace(site, reviews=site.reviews_of(p)) for p in site.partnerships]
    charts = [list(breakdowns(one, f"statistics/{p.slug}")) for one, p in zip(sites, site.partnerships)]
    whole = list(whole)
    for k, chart in enumerate(whole):
        if chart.unit == "Children":
            counts, parts = protect_across(chart.counts, [own[k].counts for own in charts])
            whole[k] = replace(chart, counts=counts)
            for own, part_counts in zip(charts, parts):
                own[k] = replace(own[k], counts=part_counts)
    return tuple(whole), tuple(PartnershipStatistics(p, one, tuple(own))
                               for p, one, own in zip(site.partnerships, sites, charts))
