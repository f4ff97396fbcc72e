"""A reader's attack on the published statistics, for the tests: from the CSV files alone, work out
every hidden count ("fewer than 3", "withheld") that has only one possible value.

What the reader knows, from the files and the statistics page:
- a shown count is its value; "fewer than K" is 1 to K-1; "withheld" is some whole number;
- every breakdown of children in one folder (age band, sex, outcome) counts the same children, so
  they add up to the same total;
- on a site with several partnerships, a count in statistics/ is the sum of that count in every
  statistics/<partnership>/ folder;
- a folder holds at least one child for each review that is not thematic (reviews-by-type.csv).
It then searches whole numbers exactly (bounds propagation and splitting, no rounding), so "5 = 3
plus two 'fewer than 3', so each is 1" is found as surely as plain subtraction. This is written
apart from generator/statistics.py on purpose: it checks that code, so it shares none of it.
"""
from __future__ import annotations

import csv
import io
import re

from generator.model.types import REVIEW_TYPES, THEMATIC_TYPES

THEMATIC_NAMES = {REVIEW_TYPES[t] for t in THEMATIC_TYPES}
UNFINISHED = object()


def recoverable(files: dict[str, str]) -> list[str]:
    """Each hidden count that the published CSV files (path: text) give away, as
    'path: label is N'."""
    model = _Model(files)
    return [f"{path}: {label} is {value}" for (path, label), value in model.pinned().items()]


def csv_files(pages) -> dict[str, str]:
    """The CSV files among rendered pages (generator.pages.environment.Page)."""
    return {p.path: p.content for p in pages if p.path.endswith(".csv")}


class _Model:
    def __init__(self, files: dict[str, str]):
        self.low: list[int] = []
        self.high: list[int] = []
        self.rows: list[tuple[list[int], list[int], int]] = []  # sum of sign * var == constant
        self.hidden: dict[tuple[str, str], int] = {}  # (file, label): its variable
        tables = _tables(files)
        cap = 10 * sum(v for t in tables.values() for rows in t["children"].values()
                       for v in rows.values() if isinstance(v, int)) + 100  # no count is near this
        cells: dict[tuple[str, str, str], int] = {}  # (folder, file name, label): variable
        for folder, table in tables.items():
            total = self._var(table["least"], cap)
            for name, rows in table["children"].items():
                own = []
                for label, value in rows.items():
                    low, high = value if isinstance(value, tuple) else (value, value)
                    var = cells[folder, name, label] = self._var(low, min(high, cap))
                    own.append(var)
                    if isinstance(value, tuple):
                        self.hidden[f"{folder}/{name}", label] = var
                self.rows.append((own + [total], [1] * len(own) + [-1], 0))
        parts = [f for f in tables if f != "statistics"]
        if parts:
            for (folder, name, label), var in list(cells.items()):
                if folder == "statistics":
                    own = [cells[p, name, label] for p in parts]
                    self.rows.append((own + [var], [1] * len(own) + [-1], 0))
        self.uses = [[] for _ in self.low]
        for i, (variables, _, _) in enumerate(self.rows):
            for v in variables:
                self.uses[v].append(i)

    def _var(self, low: int, high: int) -> int:
        self.low.append(low)
        self.high.append(high)
        return len(self.low) - 1

    def pinned(self) -> dict[tuple[str, str], int]:
        """Every hidden count that every whole-number solution gives the same value."""
        first = self._search(self.low, self.high)
        assert first is not None, "the published figures contradict each other"
        seen = [{v} for v in first]
        found = {}
        for key, var in self.hidden.items():
            value = first[var]
            for low, high in ((self.low[var], value - 1), (value + 1, self.high[var])):
                if len(seen[var]) > 1 or low > high:
                    continue
                bounds = self.low[:], self.high[:]
                bounds[0][var], bounds[1][var] = max(low, bounds[0][var]), min(high, bounds[1][var])
                other = self._search(*bounds, near=first, order=self._distances(var))
                if other is not None:
                    for v, x in enumerate(other):
                        seen[v].add(x)
            if len(seen[var]) == 1:
                found[key] = value
        return found

    def _distances(self, start: int) -> list[int]:
        """How many relations away each variable is from this one: the search decides near ones
        first, so that a dead end shows early."""
        far = [len(self.low)] * len(self.low)
        far[start], frontier = 0, [start]
        while frontier:
            nxt = []
            for v in frontier:
                for i in self.uses[v]:
                    for w in self.rows[i][0]:
                        if far[w] > far[v] + 1:
                            far[w] = far[v] + 1
                            nxt.append(w)
            frontier = nxt
        return far

    def _search(self, low: list[int], high: list[int], near: list[int] | None = None,
                order: list[int] | None = None) -> list[int] | None:
        """_solve with the variables in `order`, then in any order, each for a number of steps
        that grows until one of them finishes: either can wander for long where the other is quick."""
        budget = 2000
        while True:
            for way in (order, None):
                found = self._solve(low[:], high[:], near, way, budget)
                if found is not UNFINISHED:
                    return found
            budget *= 4

    def _solve(self, low: list[int], high: list[int], near: list[int] | None, order: list[int] | None,
               budget: int) -> list[int] | None:
        """A whole-number solution within these bounds, or None if there is none (UNFINISHED after
        `budget` steps): take the open bound nearest in `order`, narrowest first, and try each value
        in turn, the one in `near` (a known solution) first, then those above and below it,
        narrowing by the relations at each step."""
        order = order or [0] * len(low)
        stack = [(low, high, range(len(self.rows)))]
        while stack:
            budget -= 1
            if budget < 0:
                return UNFINISHED
            low, high, changed = stack.pop()
            if not self._propagate(low, high, changed):
                continue
            open_ = [v for v in range(len(low)) if low[v] < high[v]]
            if not open_:
                return low
            var = min(open_, key=lambda v: (order[v], high[v] - low[v]))
            at = min(max(near[var] if near else low[var], low[var]), high[var])
            for a, b in ((low[var], at - 1), (at + 1, high[var]), (at, at)):  # popped last first
                if a <= b:
                    lo, hi = low[:], high[:]
                    lo[var], hi[var] = a, b
                    stack.append((lo, hi, self.uses[var]))
        return None

    def _propagate(self, low: list[int], high: list[int], rows) -> bool:
        """Narrow the bounds by every relation until nothing changes; False if one is empty."""
        queue = list(rows)
        queued = set(queue)
        while queue:
            i = queue.pop()
            queued.discard(i)
            variables, signs, constant = self.rows[i]
            least = sum(low[v] if s > 0 else -high[v] for v, s in zip(variables, signs))
            most = sum(high[v] if s > 0 else -low[v] for v, s in zip(variables, signs))
            for v, s in zip(variables, signs):
                rest_least = least - (low[v] if s > 0 else -high[v])
                rest_most = most - (high[v] if s > 0 else -low[v])
                new_low, new_high = ((constant - rest_most, constant - rest_least) if s > 0
                                     else (rest_least - constant, rest_most - constant))
                if new_low > low[v] or new_high < high[v]:
                    low[v], high[v] = max(low[v], new_low), min(high[v], new_high)
                    if low[v] > high[v]:
                        return False
                    for j in self.uses[v]:
                        if j not in queued:
                            queue.append(j)
                            queued.add(j)
        return True


def _tables(files: dict[str, str]) -> dict[str, dict]:
    """For each folder: its children's breakdowns {file name: {label: value or (low, high)}}, and
    the least number of children its reviews by type say it has."""
    tables: dict[str, dict] = {}
    for path, text in sorted(files.items()):
        folder, name = path.rsplit("/", 1)
        table = tables.setdefault(folder, {"children": {}, "least": 0})
        header, *rows = csv.reader(io.StringIO(text, newline=""))
        if header[1] == "Children":
            table["children"][name] = {label: _known(shown) for label, shown in rows}
        elif name == "reviews-by-type.csv":
            table["least"] = sum(int(n) for label, n in rows if label not in THEMATIC_NAMES)
    return tables


def _known(shown: str) -> int | tuple[int, float]:
    """What a reader knows of a count from its text."""
    if shown == "withheld":
        return (0, float("inf"))
    fewer = re.fullmatch(r"fewer than (\d+)", shown)
    return (1, int(fewer.group(1)) - 1) if fewer else int(shown)
