"""Example values left in a review: `check` lists each, so nothing of the example reaches a page.

A review made by `python -m generator new` starts as a copy of the annotated example
(templates/example-review.yml). Every value written there is compared, at its own place, with the
example itself, so a value added to the example is caught without a list to keep up to date.
Left unchanged, it is an error in a review to be published and a warning in a draft.

Facts that are often truly the same as the example's (the child's age, sex and outcome, the kinds
of harm, content notes, the agencies) are notes in the example, not values, so they are never written for the
officer: nothing to forget, and nothing to flag that might be right.
"""
from __future__ import annotations

from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path

from generator.load.documents import Document, dotted, load_file
from generator.load.problems import Problem, Severity
from generator.check.review import is_text
from generator.model.types import PartialDate

EXAMPLE = Path(__file__).resolve().parents[1] / "templates" / "example-review.yml"

# Places whose example value may rightly stay: `new` writes them for this review, or the example's
# value is a real answer rather than an example (the statutory guidance every review may cite).
KEPT = (
    "id", "status", "type", "title", "children.*.pseudonym",  # written by `new`
    "*.number",                   # the first finding is finding 1 in every review
    "publication.briefing_only",  # false is the real answer unless only the briefing may be published
    "further_reading.*.*",        # Working Together to Safeguard Children, a real link
    "recommendations.*.to",       # who it is for, and
    "*.actions.*.owner",          # who owns an action: agencies from the site's vocabulary (the text is flagged)
)
# Lists of choices from a vocabulary: the whole list is the example's, not each choice in it.
CHOICES = ("themes", "agencies", "harm", "content_notes")

LEFTOVER = "still has the example text from the template: replace it with this review's own words"


@lru_cache(maxsize=1)
def _placeholders() -> tuple[tuple[tuple, object], ...]:
    """(path, value) of every example value an officer must replace, in the example's order.
    Inside a list item only its texts count: a status or a date there is the item's, and the
    item's own text is flagged until it is rewritten."""
    doc, _ = load_file(EXAMPLE, EXAMPLE.name)
    found = []
    for path, value in _values(doc.data, ()):
        shape = ".".join("*" if isinstance(p, int) else p for p in path)
        if any(fnmatchcase(shape, kept) for kept in KEPT):
            continue
        if any(isinstance(p, int) for p in path) and not (isinstance(value, str) and _text(path)):
            continue
        found.append((path, value))
    return tuple(found)


def _text(path: tuple) -> bool:
    return is_text("review", tuple(0 if isinstance(p, int) else p for p in path))


def _values(data, path: tuple):
    """Each value, with a list of choices (themes ...) as one value."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _values(value, path + (key,))
    elif isinstance(data, list) and path not in ((c,) for c in CHOICES):
        for i, value in enumerate(data):
            yield from _values(value, path + (i,))
    else:
        yield path, data


def template_leftovers(doc: Document) -> list[Problem]:
    """Example values still in a review: an error when it is to be published, else a warning."""
    if not isinstance(doc.data, dict):
        return []
    severity = Severity.ERROR if doc.data.get("status") == "published" else Severity.WARNING
    problems, dates = [], []
    for path, example in _placeholders():
        value = _at(doc.data, path)
        if _same(value, example):
            problem = Problem(doc.file, doc.line(path), dotted(path), _message(path, example), severity)
            (dates if path[0] == "dates" else problems).append(problem)
    # One date the same as the example's month may well be right (many reviews are published in
    # March 2025); two or more are the example's, and each is named.
    return problems + (dates if len(dates) >= SAME_DATES else [])


SAME_DATES = 2


def _same(value, example) -> bool:
    if isinstance(example, str):
        return isinstance(value, str) and value.strip() == example.strip()
    return type(value) is type(example) and value == example


def _message(path: tuple, example) -> str:
    if isinstance(example, list):
        return f"is still the example's list ({', '.join(map(str, example))}): list this review's own"
    if path[0] == "dates":
        return _date_message(str(example))
    if isinstance(example, str) and _text(path):
        return LEFTOVER
    return f"is still the example's value ({example}): write this review's own"


def _date_message(example: str) -> str:
    date = PartialDate.parse(example)
    message = f"is still the example's date ({date}): write this review's own"
    if len(example) < 10:  # a year or a month: a right answer can be told apart by giving more
        more = f"{example}-DD" if len(example) == 7 else f"{example}-MM"
        message += f"; if {date} is right, write it in full ({more}) to show it is this review's"
    return message


def _at(data, path: tuple):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
