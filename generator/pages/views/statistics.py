"""Counts of the published reviews for the statistics page, its charts and its CSV files.

Breakdowns of children (age band, sex, outcome) suppress small numbers: a count of one or two
children can identify a child, so national statistics print it as "fewer than 3". Hiding one
count is not enough: a reader puts every chart and file of the site side by side, and sums,
subtraction and the bounds of "fewer than 3" give it back. So more counts are withheld
(secondary suppression, protect()) until none hidden can be worked out from all of them.
tests/disclosure.py is that reader.
"""
from __future__ import annotations

import io
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from defusedcsv import csv as defusedcsv

from generator.model.types import REVIEW_TYPES, Child, Partnership, Site, themes_of

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
    withheld: bool = False  # set when a count of any size is hidden so that no hidden one can be worked out

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
    counts_what: str = ""  # what each bar counts, in a sentence under the chart's heading

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
    """Hide every count from 1 to threshold: "fewer than 3". A zero identifies nobody and stays.
    protect() then hides what else would give these back."""
    return tuple(Count(c.label, c.value, threshold + 1) if 1 <= c.value <= threshold else c for c in counts)


# The counts of children as protect() sees them: grid[b][t][c] is count c of breakdown b (age band,
# sex, outcome) in table t: 0 is the whole site, 1... each partnership on a site with several. A reader
# knows that a table's breakdowns each add up to its number of children, that the site's count of a
# category is the partnerships' sum, that "fewer than 3" is 1 or 2, that "withheld" may be any number,
# and (from the reviews by type) that a table has at least one child for each review of a child.
Grid = list[list[list[Count]]]
Move = tuple[tuple[int, int, int, int], ...]  # (b, t, c, change) for each count it changes


def protect(grid: Grid, least: list[int]) -> Grid:
    """Withhold counts until no hidden count can be worked out exactly. A hidden count is safe once
    there is a move: another set of numbers that fits everything a reader sees and gives it another
    value (one child more in one category and less in another; or one more child in every breakdown).
    For each hidden count without one, the move that needs fewest counts withheld is made, and
    those become hidden counts in turn. A move stays valid as more is withheld, so this ends."""
    safe: set[tuple[int, int, int]] = set()
    while todo := [(b, t, c) for b, tables in enumerate(grid) for t, row in enumerate(tables)
                   for c, count in enumerate(row) if count.hidden and (b, t, c) not in safe]:
        for cell in todo:
            if cell in safe:
                continue
            for b, t, c, change in _best_move(grid, cell, least):
                grid[b][t][c] = _allow(grid[b][t][c], change)
                safe.add((b, t, c))
    return grid


def _bounds(count: Count) -> tuple[int, float]:
    """What a reader knows of a count: its value, 1 to threshold ("fewer than"), or anything."""
    if count.suppressed_below:
        return 1, count.suppressed_below - 1
    return (0, float("inf")) if count.withheld else (count.value, count.value)


def _price(count: Count, change: int) -> int | None:
    """What it takes for a reader to be unable to tell value + change from the count's value:
    nothing (0), withholding it (1), or it cannot be (None: a count below zero)."""
    low, high = _bounds(count)
    if low <= count.value + change <= high:
        return 0
    return None if count.value + change < 0 else 1


def _allow(count: Count, change: int) -> Count:
    return replace(count, suppressed_below=None, withheld=True) if _price(count, change) else count


def _cost(grid: Grid, move: Move) -> tuple[int, int] | None:
    """Counts the move would withhold, and their sum (hide small numbers first), or None."""
    withheld = total = 0
    for b, t, c, change in move:
        price = _price(grid[b][t][c], change)
        if price is None:
            return None
        withheld += price
        total += grid[b][t][c].value * price
    return withheld, total


def _best_move(grid: Grid, cell: tuple[int, int, int], least: list[int]) -> Move:
    best = None
    for i, move in enumerate(_moves(grid, cell, least)):
        cost = _cost(grid, move)
        if cost == (0, 0):
            return move  # withholds nothing: none is better
        if cost is not None and (best is None or (cost, i) < best[:2]):
            best = (cost, i, move)
    return best[2]  # one more child, withheld everywhere, is always possible: never None


def _moves(grid: Grid, cell: tuple[int, int, int], least: list[int]):
    """Every move of the simple shapes that changes this count."""
    b, t, c = cell
    parts = range(1, len(grid[b])) if t == 0 and len(grid[b]) > 1 else (t,)  # the partnership that moves
    for p in parts:
        for step in (1, -1):
            with_site = ((0,) if p else ())  # a partnership's change is the site's change too
            for c2 in range(len(grid[b][p])):
                if c2 == c:
                    continue
                # a child moved from one category to another, in one table and the site
                yield tuple((b, x, y, s) for x in (p, *with_site) for y, s in ((c, step), (c2, -step)))
                for p2 in range(1, len(grid[b])) if p and t == p else ():
                    if p2 != p and grid[b][p2][c].hidden:  # and back the other way in a second
                        # partnership, so the site's counts stay (only where one is hidden: there are many)
                        yield ((b, p, c, step), (b, p, c2, -step), (b, p2, c, -step), (b, p2, c2, step))
            if step < 0 and any(sum(x.value for x in grid[0][q]) - 1 < least[q] for q in (p, *with_site)):
                continue  # one child fewer than the reviews of a child say there are
            yield _one_child(grid, b, c, p, with_site, step)


def _one_child(grid: Grid, b: int, c: int, p: int, with_site: tuple[int, ...], step: int) -> Move:
    """One child more (or fewer) in table p: in this count, and in the cheapest count of each other
    breakdown."""
    move = [(b, x, c, step) for x in (p, *with_site)]
    for other in range(len(grid)):
        if other != b:
            options = [tuple((other, x, y, step) for x in (p, *with_site)) for y in range(len(grid[other][p]))]
            move += min(options, key=lambda m: _cost(grid, m) or (len(m) + 1, 0))
    return tuple(move)


def _counts(found: Counter, labels: dict[object, str]) -> tuple[Count, ...]:
    return tuple(Count(label, found[key]) for key, label in labels.items())


def by_year(site: Site) -> Breakdown:
    """Only the years with a review: a run of empty years would be rows of zeros."""
    found = Counter(r.year for r in site.reviews)
    return Breakdown("reviews-by-year", "Reviews by year published", "Year published", "Reviews",
                     _counts(found, {year: str(year) for year in sorted(found)}),
                     counts_what="Each bar counts reviews, by the year each was published. "
                                 "Years in which no review was published are left out.")


def by_type(site: Site) -> Breakdown:
    found = Counter(r.type for r in site.reviews)
    return Breakdown("reviews-by-type", "Reviews by type", "Type of review", "Reviews",
                     _counts(found, {t: name for t, name in REVIEW_TYPES.items() if found[t]}),
                     counts_what="Each bar counts reviews of one type.")


def by_theme(site: Site) -> Breakdown:
    """How many reviews each theme occurs in (on the review or on any finding or point), most first."""
    # one pass over the reviews (site.reviews_with_theme for each theme took a fifth of a warm render)
    found = Counter(theme_id for review in site.reviews for theme_id in themes_of(review))
    counts = [Count(t.name, found[t.id]) for t in site.themes]
    counts.sort(key=lambda c: (-c.value, c.label.lower()))
    return Breakdown("reviews-by-theme", "Reviews by theme", "Theme", "Reviews", tuple(counts), counts_what=(
        "Each bar counts reviews: a review counts once for a theme, whether the theme is on the review itself "
        "or on any of its findings and learning points, so a review counts under several themes. The "
        "themes index counts the whole site's reviews in the same way."))


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
    return Breakdown(id, title, category, "Children", counts, counts_what=(
        "Each bar counts children, not reviews: a review of two children counts both, and a thematic "
        "review counts none."))


def breakdowns(site: Site, folder: str = "statistics") -> tuple[Breakdown, ...]:
    """Every chart on the statistics page, in page order, with their CSV files in folder, protected
    as one table (protect)."""
    return tuple(_protected([_charts(site, folder)], [site])[0])


def _charts(site: Site, folder: str) -> list[Breakdown]:
    charts = (by_year(site), by_type(site), by_age_band(site), by_sex(site), by_outcome(site), by_theme(site))
    return [replace(chart, folder=folder) for chart in charts]


def _protected(tables: list[list[Breakdown]], sites: list[Site]) -> list[list[Breakdown]]:
    """The charts of several tables (the whole site first, then each partnership's, from these
    sites) with their counts of children protected together."""
    kids = [k for k, chart in enumerate(tables[0]) if chart.unit == "Children"]
    grid = protect([[list(charts[k].counts) for charts in tables] for k in kids],
                   [sum(not r.is_thematic for r in one.reviews) for one in sites])
    return [[replace(chart, counts=tuple(grid[kids.index(k)][t])) if k in kids else chart
             for k, chart in enumerate(charts)] for t, charts in enumerate(tables)]


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


def site_statistics(site: Site) -> tuple[tuple[Breakdown, ...], tuple[PartnershipStatistics, ...]]:
    """The site's charts, and each partnership's when it has several, with the counts of children
    protected across them all, as a reader can put them side by side (protect)."""
    if len(site.partnerships) < 2:
        return breakdowns(site), ()
    sites = [site, *(replace(site, reviews=site.reviews_of(p)) for p in site.partnerships)]
    folders = ["statistics", *(f"statistics/{p.slug}" for p in site.partnerships)]
    whole, *parts = _protected([_charts(one, folder) for one, folder in zip(sites, folders)], sites)
    return tuple(whole), tuple(PartnershipStatistics(p, one, tuple(own))
                               for p, one, own in zip(site.partnerships, sites[1:], parts))
