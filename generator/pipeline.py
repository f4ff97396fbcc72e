"""The one-way pipeline: load, validate, model. Rendering and building read its result."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import collector, events, modelling, privacy, redirects, review_dates, validation
from .loading import Document, load_file
from .model import HeldBack, Site, _theme_ids
from .placeholders import template_leftovers
from .problems import Problem, Severity, errors

if TYPE_CHECKING:
    from .incremental import DocumentCache

DATA_FILES = {"_site": "site", "_themes": "themes", "_glossary": "glossary"}  # in loading order


@dataclass
class Result:
    site: Site | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def count_review_files(root: Path) -> int:
    briefings = root / "briefings"
    return len(review_files(briefings)) if briefings.is_dir() else 0


def review_files(briefings: Path) -> list[Path]:
    return sorted(p for p in briefings.iterdir()
                  if p.suffix in (".yml", ".yaml") and not p.name.startswith(("_", ".")))


def build_date() -> dt.date:
    """Today in the UK, unless BRIEFINGS_TODAY gives another date (YYYY-MM-DD): a test, or an
    officer's preview, can then see the site as it will be when an embargo lifts. check, build and
    the MkDocs hook all take their date from here, so they agree on what is published. A
    publication date is a UK date, so it is decided in Europe/London whatever the machine's zone."""
    from zoneinfo import ZoneInfo  # tzdata (pinned) supplies the zone where the system has none

    override = os.environ.get("BRIEFINGS_TODAY")
    return dt.date.fromisoformat(override) if override else dt.datetime.now(ZoneInfo("Europe/London")).date()


@collector.paused
def load_site(root: Path, today: dt.date | None = None, only: list[Path] | None = None,
              overdue: bool = False, cache: DocumentCache | None = None) -> Result:
    """Load and validate briefings/ under root. With `only`, report problems in those files alone.
    With `overdue`, warn about briefings past their review-by date (check does; a build need not).
    With a cache (mkdocs serve), files unchanged since the last call are not read again."""
    today = today or build_date()
    briefings = root / "briefings"
    problems: list[Problem] = []
    if not briefings.is_dir():
        return Result(None, [Problem("briefings", 0, "", f"there is no briefings folder in {root}")])

    data, data_docs = {}, []
    for stem, kind in DATA_FILES.items():
        path = briefings / f"{stem}.yml"
        display = _display(path, root)
        if not path.exists():
            problems.append(Problem(display, 0, "", f"is missing; the site needs its {kind} file"))
            continue
        doc, found = load_file(path, display)
        problems += found
        if doc:
            data_docs.append(doc)
            schema_problems = validation.check_schema(doc, kind)
            problems += schema_problems
            if not schema_problems:
                data[kind] = doc.data
    site_data = data.get("site", {})
    max_bytes = site_data.get("max_file_kb", 1000) * 1000
    contact_addresses = {a.lower() for a in [site_data.get("contact_email", ""), *site_data.get("contact_addresses", [])]}
    denylist, found = privacy.load_denylist(briefings)
    problems += found
    themes = modelling.themes_from(data["themes"]) if "themes" in data else ()
    theme_ids = {t.id for t in themes}
    theme_names = {t.id: t.name for t in themes}

    docs: list[Document] = []
    paths = review_files(briefings)
    extra = [p for p in (only or []) if not p.name.startswith("_") and p.resolve() not in {q.resolve() for q in paths}]
    checks = FileChecks(max_bytes, theme_ids, theme_names, denylist, frozenset(contact_addresses))
    # anything that changes how a file is checked means checking every file again
    context = (tuple(sorted(theme_names.items())), max_bytes, tuple(sorted(denylist.hashes)),
               tuple(sorted(contact_addresses)))
    files = [(path, _display(path, root)) for path in paths + extra]
    if cache:
        checked = [cache.checked(path, context, lambda: checks.review(path, display)) for path, display in files]
    else:
        checked = checks.all(files)
    for doc, found in checked:
        problems += found
        if doc is not None:
            docs.append(doc)
    problems += validation.check_unique_ids(docs)
    problems += redirects.check_previous_ids(docs)
    events_doc, found = events.load_events(briefings, _display(briefings / events.FILE, root))
    problems += found + events.check_events(events_doc, docs)
    for doc in data_docs + [events_doc] * bool(events_doc):  # site name, glossary, themes, events reach the site too
        problems += privacy.check_privacy(doc, denylist, contact_addresses)
    problems += privacy.check_pages(root / "docs", _display(root / "docs", root), denylist, contact_addresses)

    if only is not None:
        wanted = {_display(p.resolve(), root) for p in only}
        problems = [p for p in problems if p.file in wanted or p.file.startswith("briefings/_")]
    if errors(problems) or len(data) < len(DATA_FILES):
        return Result(None, sorted(set(problems)))

    settings = modelling.settings_from(data["site"])
    by_id = {t.id: t for t in themes}
    reviews, held_back = [], []
    for doc in docs:
        model = lambda: review_dates.settle(modelling.review_from(doc, by_id), settings)  # noqa: E731
        review = cache.review(doc, settings, model) if cache else model()
        reason = review.held_back_reason(today)
        if reason:
            held_back.append(HeldBack(review.id, review.source, reason))
            continue
        problems += validation.check_budget(review, settings, doc.line(("background",)))
        if overdue and (only is None or doc.file in wanted):  # `check FILE` speaks of that file alone
            problems += review_dates.overdue_warning(review, doc, settings, today)
        reviews.append(review)
    reviews.sort(key=lambda r: (r.published.first_day, r.id), reverse=True)
    used = {t for r in reviews for t in _theme_ids(r)}  # a theme only held-back reviews use stays off the site
    site = Site(settings, tuple(reviews), tuple(t for t in themes if t.id in used),
                modelling.glossary_from(data["glossary"]), tuple(held_back))
    site = replace(site, events=events.events_from(events_doc, site))
    return Result(site, sorted(set(problems)))


@dataclass(frozen=True)
class FileChecks:
    """Everything checked within one review file, with what those checks depend on."""

    max_bytes: int
    theme_ids: set[str]
    theme_names: dict[str, str]
    denylist: privacy.Denylist
    contact_addresses: frozenset[str]

    def all(self, files: list[tuple[Path, str]]) -> list[tuple[Document | None, list[Problem]]]:
        """Each (path, display name) checked, in order; on a large site shared with a worker."""
        from .parallel import shared

        return shared(len(files), lambda i: self.review(*files[i]))[1]

    def review(self, path: Path, display: str) -> tuple[Document | None, list[Problem]]:
        doc, problems = load_file(path, display, self.max_bytes)
        if doc is None:
            return None, problems
        # a duplicate key keeps its first value, so the rest of the file can still be checked
        problems += validation.check_schema(doc, "review")
        problems += template_leftovers(doc)
        problems += validation.check_review(doc, self.theme_ids, self.theme_names)
        problems += privacy.check_privacy(doc, self.denylist, self.contact_addresses)
        problems += review_dates.check_review_dates(doc)
        doc.slim()
        return doc, problems


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def strict_failures(problems: list[Problem], strict: bool) -> list[Problem]:
    """The problems that stop a build: errors, and warnings too when strict."""
    return [p for p in problems if p.severity is Severity.ERROR or strict]
