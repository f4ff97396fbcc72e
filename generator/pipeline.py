"""The one-way pipeline: load, validate, model. Rendering and building read its result."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import modelling, validation
from .loading import Document, load_file
from .model import HeldBack, Site
from .problems import Problem, Severity, errors

if TYPE_CHECKING:
    from .incremental import DocumentCache

DATA_FILES = {"_site": "site", "_themes": "themes", "_glossary": "glossary"}


@dataclass
class Result:
    site: Site | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def review_files(briefings: Path) -> list[Path]:
    return sorted(p for p in briefings.iterdir()
                  if p.suffix in (".yml", ".yaml") and not p.name.startswith(("_", ".")))


def load_site(root: Path, today: dt.date | None = None, only: list[Path] | None = None,
              cache: DocumentCache | None = None) -> Result:
    """Load and validate briefings/ under root. With `only`, report problems in those files alone.
    With a cache (mkdocs serve), files unchanged since the last call are not read again."""
    today = today or dt.date.today()
    briefings = root / "briefings"
    problems: list[Problem] = []
    if not briefings.is_dir():
        return Result(None, [Problem("briefings", 0, "", f"there is no briefings folder in {root}")])

    data = {}
    for stem, kind in DATA_FILES.items():
        path = briefings / f"{stem}.yml"
        display = _display(path, root)
        if not path.exists():
            problems.append(Problem(display, 0, "", f"is missing; the site needs its {kind} file"))
            continue
        doc, found = load_file(path, display)
        problems += found
        if doc:
            schema_problems = validation.check_schema(doc, kind)
            problems += schema_problems
            if not schema_problems:
                data[kind] = doc.data
    themes = modelling.themes_from(data["themes"]) if "themes" in data else ()
    theme_ids = {t.id for t in themes}
    theme_names = {t.id: t.name for t in themes}

    docs: list[Document] = []
    paths = review_files(briefings)
    extra = [p for p in (only or []) if not p.name.startswith("_") and p.resolve() not in {q.resolve() for q in paths}]
    context = tuple(sorted(theme_names.items()))  # a changed vocabulary means checking every file again
    for path in paths + extra:
        check = lambda: _load_review(path, _display(path, root), theme_ids, theme_names)  # noqa: E731
        doc, found = cache.checked(path, context, check) if cache else check()
        problems += found
        if doc is not None:
            docs.append(doc)
    problems += validation.check_unique_ids(docs)

    if only is not None:
        wanted = {_display(p.resolve(), root) for p in only}
        problems = [p for p in problems if p.file in wanted or p.file.startswith("briefings/_")]
    if errors(problems) or len(data) < len(DATA_FILES):
        return Result(None, sorted(set(problems)))

    settings = modelling.settings_from(data["site"])
    by_id = {t.id: t for t in themes}
    reviews, held_back = [], []
    for doc in docs:
        review = cache.review(doc, lambda: modelling.review_from(doc, by_id)) if cache else modelling.review_from(doc, by_id)
        reason = review.held_back_reason(today)
        if reason:
            held_back.append(HeldBack(review.id, review.source, reason))
            continue
        problems += validation.check_budget(review, settings, doc.line(("background",)))
        reviews.append(review)
    reviews.sort(key=lambda r: (r.published.first_day, r.id), reverse=True)
    site = Site(settings, tuple(reviews), themes, modelling.glossary_from(data["glossary"]), tuple(held_back))
    return Result(site, sorted(set(problems)))


def _load_review(path: Path, display: str, theme_ids: set[str], theme_names: dict[str, str]):
    doc, problems = load_file(path, display)
    if doc is not None:
        # a duplicate key keeps its first value, so the rest of the file can still be checked
        problems += validation.check_schema(doc, "review")
        problems += validation.check_review(doc, theme_ids, theme_names)
    return doc, problems


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def strict_failures(problems: list[Problem], strict: bool) -> list[Problem]:
    """The problems that stop a build: errors, and warnings too when strict."""
    return [p for p in problems if p.severity is Severity.ERROR or strict]
