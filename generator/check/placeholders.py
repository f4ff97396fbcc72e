"""Example wording left in a review: `check` lists it, so the officer sees what is still to write.

A review made by `python -m generator new` starts with the example's wording as placeholders. Left
unchanged, it is an error in a review to be published and a warning in a draft.
"""
from __future__ import annotations

from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path

from generator.load.documents import Document, dotted, load_file
from generator.load.problems import Problem, Severity

EXAMPLE = Path(__file__).resolve().parents[1] / "templates" / "example-review.yml"

# The example's free text, which an officer must replace; vocabulary values (type, themes,
# statuses, agencies) are real choices and may rightly stay; `new` writes the title, partnership and
# contact itself, from the pseudonym and briefings/_site.yml.
PLACEHOLDER_FIELDS = (
    "reviewers.*", "summary", "background", "what_happened", "why_it_matters",
    "timeline.*.event", "findings.*.title", "findings.*.summary", "findings.*.detail",
    "findings.*.response", "findings.*.actions.*.action",
    "learning.*.text", "good_practice.*.text", "recommendations.*.text", "practice_points.*",
    "questions.*",
)


LEFTOVER = "still has the example text from the template: replace it with this review's own words"


@lru_cache(maxsize=1)
def _placeholders() -> tuple[tuple[tuple, str], ...]:
    """(path, text) of every placeholder in the example."""
    doc, _ = load_file(EXAMPLE, EXAMPLE.name)
    found = []
    for path, value in _strings(doc.data, ()):
        pattern = ".".join("*" if isinstance(p, int) else p for p in path)
        if any(fnmatchcase(pattern, field) for field in PLACEHOLDER_FIELDS):
            found.append((path, value))
    return tuple(found)


def _strings(data, path: tuple):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, path + (i,))
    elif isinstance(data, str):
        yield path, data.strip()


def template_leftovers(doc: Document) -> list[Problem]:
    """Example wording still in a review: an error when it is to be published, else a warning."""
    if not isinstance(doc.data, dict):
        return []
    severity = Severity.ERROR if doc.data.get("status") == "published" else Severity.WARNING
    problems = []
    for path, text in _placeholders():
        value = _at(doc.data, path)
        if isinstance(value, str) and value.strip() == text:
            problems.append(Problem(doc.file, doc.line(path), dotted(path), LEFTOVER, severity))
    return problems


def _at(data, path: tuple):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
