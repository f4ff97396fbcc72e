"""The one-way pipeline: load, validate, model. Rendering and building read its result."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.speed import gc_pause as collector
from generator.speed.parallel import shared
from generator.check import agencies as agency_vocabulary
from generator.check import events
from generator.check import harvested as harvest_check
from generator.load import harvest
from generator.model import build as modelling
from generator.check import privacy
from generator.check import redirects
from generator.check import dates as review_dates
from generator.check import review as validation
from generator.load.documents import Document, load_file, plain_bytes
from generator.model.types import HeldBack, Settings, Site, themes_of
from generator.check.placeholders import template_leftovers
from generator.load.problems import Problem, Severity, errors

MAX_DENYLIST_BYTES = 1_000_000
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


def build_date() -> dt.date | None:
    """Today in the UK, unless BRIEFINGS_TODAY gives another date (YYYY-MM-DD): a test, or an
    officer's preview, can then see the site as it will be when an embargo lifts. check, build and
    the MkDocs hook all take their date from here, so they agree on what is published. A
    publication date is a UK date, so it is decided in Europe/London whatever the machine's zone.
    None when BRIEFINGS_TODAY is not a date: load_site reports it."""
    from zoneinfo import ZoneInfo  # tzdata (pinned) supplies the zone where the system has none

    override = os.environ.get("BRIEFINGS_TODAY", "").strip()
    try:
        return dt.date.fromisoformat(override) if override else dt.datetime.now(ZoneInfo("Europe/London")).date()
    except ValueError:
        return None


def _today_problem() -> Problem:
    shown = os.environ.get("BRIEFINGS_TODAY", "")[:40]
    return Problem("BRIEFINGS_TODAY", 0, "", f"found '{shown}', which is not a date; write the date as "
                                             "YYYY-MM-DD (such as 2026-03-14), or unset it to use today's date")


def _denylist(briefings: Path) -> tuple[privacy.Denylist, list[Problem]]:
    """The denylists, or a plain reason why the one named by BRIEFINGS_DENYLIST_FILE cannot be read."""
    outside = os.environ.get("BRIEFINGS_DENYLIST_FILE")
    if outside:
        path = Path(outside)
        if path.exists() and not path.is_file():  # a folder, a device or a pipe would never end
            return privacy.Denylist(), [Problem(outside, 0, "", "the denylist file is not a plain file; "
                                                                "name a text file with one term a line")]
        if path.is_file() and path.stat().st_size > MAX_DENYLIST_BYTES:
            return privacy.Denylist(), [Problem(outside, 0, "", (
                f"the denylist file is over {MAX_DENYLIST_BYTES:,} bytes, far more than a list of terms; "
                "check that BRIEFINGS_DENYLIST_FILE names the right file"))]
    if (briefings / privacy.DENYLIST_FILE).is_symlink():
        return privacy.Denylist(), [Problem(f"briefings/{privacy.DENYLIST_FILE}", 0, "", (
            "is a symbolic link (a shortcut to another file); put the file itself here, not a link to it"))]
    try:
        return privacy.load_denylist(briefings)
    except UnicodeDecodeError as exc:  # never show the line: it holds a real name
        line = exc.object[:exc.start].count(b"\n") + 1
        return privacy.Denylist(), [Problem(outside or "the denylist", line, "", (
            "this line has characters that are not UTF-8 (the file may be saved as Windows-1252 or ANSI); "
            "save it as UTF-8 in your editor"))]


@collector.paused
def load_site(root: Path, today: dt.date | None = None, only: list[Path] | None = None,
              overdue: bool = False, cache=None) -> Result:
    """Load and validate briefings/ under root. With `only`, report problems in those files alone.
    With `overdue`, warn about briefings past their review-by date (check does; a build need not).
    With a cache (checked_files.DocumentCache), files unchanged since it last saw them are not
    checked again."""
    today = today or build_date()
    briefings = root / "briefings"
    problems: list[Problem] = [] if today else [_today_problem()]
    today = today or dt.date.today()  # the other checks still run, so every problem is listed at once
    if not briefings.is_dir():
        return Result(None, [Problem("briefings", 0, "", f"there is no briefings folder in {root}")])

    data, data_docs, read = {}, [], {}
    for stem, kind in DATA_FILES.items():
        path = briefings / f"{stem}.yml"
        display = _display(path, root)
        if not os.path.lexists(path):
            problems.append(Problem(display, 0, "", f"is missing; the site needs its {kind} file"))
            continue
        doc, found = load_file(path, display)
        problems += found
        if doc:
            data_docs.append(doc)
            read[kind] = doc.data
            schema_problems = validation.check_schema(doc, kind)
            if kind == "themes":
                schema_problems += validation.check_themes_file(doc)
            problems += schema_problems + validation.check_text(doc, kind)
            if not schema_problems:
                data[kind] = doc.data
    # modelled as soon as _site.yml is valid: the review files are read with its settings
    settings = modelling.settings_from(data["site"]) if "site" in data else None
    max_bytes = settings.max_file_bytes if settings else Settings.max_file_kb * 1000  # its default
    contact_addresses = privacy.published_addresses(read.get("site"))
    denylist, found = _denylist(briefings)
    problems += found
    themes = modelling.themes_from(data["themes"]) if "themes" in data else ()
    theme_ids = {t.id for t in themes}
    theme_names = {t.id: t.name for t in themes}
    agencies_doc, found = agency_vocabulary.load_agencies(briefings, _display(briefings / agency_vocabulary.FILE, root))
    problems += found
    agency_index = modelling.agency_index(modelling.agencies_from(agencies_doc.data)) if agencies_doc and not found else {}

    docs: list[Document] = []
    paths = review_files(briefings)
    listed = {_own(q) for q in paths}
    extra = [p for p in (only or []) if not p.name.startswith("_") and _own(p) not in listed]
    checks = FileChecks(max_bytes, theme_ids, theme_names, denylist, frozenset(contact_addresses), agency_index)
    # Everything FileChecks holds, which is all a file's checks read besides the file: a change to
    # any means checking every file again. Today's date is not in it, as no check of one file reads
    # it: held-back reviews and overdue warnings are decided below, from the model, with today.
    context = (tuple(sorted(theme_names.items())), max_bytes, denylist.fingerprint(),
               tuple(sorted(contact_addresses)), tuple(sorted(agency_index.items())))
    files = [(path, _display(path, root)) for path in paths + extra]
    checked = cache.checked_all(files, context, checks) if cache else checks.all(files)
    for doc, found in checked:
        problems += found
        if doc is not None:
            docs.append(doc)
    problems += validation.check_unique_ids(docs)
    problems += redirects.check_previous_ids(docs)
    events_doc, found = events.load_events(briefings, _display(briefings / events.FILE, root))
    problems += found + events.check_events(events_doc, docs)
    for doc in data_docs + [d for d in (events_doc, agencies_doc) if d]:  # site name, glossary, themes, events reach the site too
        problems += privacy.check_privacy(doc, denylist, contact_addresses)
    problems += privacy.check_pages(root / "docs", _display(root / "docs", root), denylist, contact_addresses)

    if only is not None:
        wanted = {_display(p, root) for p in only}
        problems = [p for p in problems if p.file in wanted or p.file.startswith("briefings/_")]
    if errors(problems) or len(data) < len(DATA_FILES):
        return Result(None, sorted(set(problems)))

    by_id = {t.id: t for t in themes}
    reviews, held_back = [], []
    for doc in docs:
        model = lambda: review_dates.settle(modelling.review_from(doc, by_id, agency_index), settings)  # noqa: E731
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
    elsewhere, found = _harvested(briefings, by_id, today, {r.id for r in reviews}, denylist, contact_addresses)
    problems += found
    used = {t for r in (*reviews, *elsewhere) for t in themes_of(r)}  # a theme only held-back reviews use stays off the site
    site = Site(settings, tuple(reviews), tuple(t for t in themes if t.id in used),
                modelling.glossary_from(data["glossary"]), tuple(held_back), harvested=tuple(elsewhere))
    site = replace(site, events=events.events_from(events_doc, site))
    return Result(site, sorted(set(problems)))


def _harvested(briefings: Path, themes: dict, today: dt.date, taken: set[str], denylist: privacy.Denylist,
               contact_addresses: set[str]) -> tuple[list, list[Problem]]:
    """Other partnerships' reviews kept by `python -m generator harvest`: checked again at every
    build (the files may have been edited), each problem a warning, so the build goes on."""
    _, listed = harvest.read_sources(briefings, f"briefings/{harvest.SOURCES_FILE}")  # its mistakes, for `check`
    kept, problems = harvest.read_stored(briefings)
    problems = [replace(p, severity=Severity.WARNING) for p in listed + problems]
    reviews, taken = [], set(taken)
    for stored in kept:
        found, found_problems = harvest_check.reviews_from(stored, themes, today, taken, denylist, contact_addresses)
        reviews += found
        problems += found_problems
    return reviews, problems


@dataclass(frozen=True)
class FileChecks:
    """Everything checked within one review file, with what those checks depend on."""

    max_bytes: int
    theme_ids: set[str]
    theme_names: dict[str, str]
    denylist: privacy.Denylist
    contact_addresses: frozenset[str]
    agencies: dict = field(default_factory=dict)  # each spelling of an agency (agency_key) to it

    def all(self, files: list[tuple[Path, str]]) -> list[tuple[Document | None, list[Problem]]]:
        """Each (path, display name) checked, in order; on a large site shared with a worker."""
        return shared(len(files), lambda i: self.review(*files[i]))[1]

    def read(self, path: Path) -> bytes | None:
        """The bytes review() would check, for a cache to look them up by (None: it refuses the file)."""
        return plain_bytes(path, self.max_bytes)

    def review(self, path: Path, display: str, data: bytes | None = None) -> tuple[Document | None, list[Problem]]:
        """data: the file's bytes, when read() was asked for them first."""
        doc, problems = load_file(path, display, self.max_bytes, data)
        if doc is None:
            return None, problems
        # a duplicate key keeps its first value, so the rest of the file can still be checked
        problems += validation.check_schema(doc, "review")
        problems += validation.check_text(doc, "review")
        problems += template_leftovers(doc)
        problems += validation.check_review(doc, self.theme_ids, self.theme_names)
        problems += agency_vocabulary.check_review_agencies(doc, self.agencies)
        problems += privacy.check_privacy(doc, self.denylist, self.contact_addresses)
        problems += review_dates.check_review_dates(doc)
        doc.slim()
        return doc, problems


def _display(path: Path, root: Path) -> str:
    """The file's name from the project folder. Only its folder is resolved: a link keeps its own
    name, and never shows where it points."""
    try:
        return _own(path).relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _own(path: Path) -> Path:
    """The absolute path of a file itself: its folder resolved, a link not followed."""
    return path.absolute().parent.resolve() / path.name
