"""Addresses that keep working: /b/<id>/ for every review, and the pages of a review's old ids.

Trainers paste these into slides and emails, so they must outlive a renamed pseudonym. Each is a
small HTML file (a meta refresh and a plain link, no JavaScript needed) outside the nav and search.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.load.documents import Document, dotted
from generator.model.types import Review, Site
from generator.load.problems import Problem

SHORT = "b"  # the short addresses live under /b/


@dataclass(frozen=True)
class Redirect:
    path: str    # the file written, e.g. "b/patricia-2020/index.html"
    target: str  # the Markdown source of the page it leads to
    title: str   # the page it leads to, for the link's text

    @property
    def folder(self) -> str:
        """The address the file answers, e.g. 'b/patricia-2020/'."""
        return self.path[: -len("index.html")]


def redirects(site: Site) -> tuple[Redirect, ...]:
    """Every redirect of the published reviews, in a stable order. Held-back reviews have none."""
    found = []
    for review in sorted(site.reviews, key=lambda r: r.id):
        briefing = f"{review.name}: seven-minute briefing"
        found.append(Redirect(f"{SHORT}/{review.id}/index.html", review.briefing_source, briefing))
        for old in review.previous_ids:
            found += [
                Redirect(f"{SHORT}/{old}/index.html", review.briefing_source, briefing),
                Redirect(f"reviews/{old}/index.html", review.briefing_source, briefing),
                Redirect(f"reviews/{old}/learning-brief/index.html", review.learning_brief_source,
                         f"{review.name}: learning brief"),
            ]
    return tuple(found)


def check_previous_ids(docs: list[Document]) -> list[Problem]:
    """An old id must not be a review's id, nor claimed by two reviews: its redirect would hide a
    real page or lead to the wrong one. Drafts count too, so publishing one can never clash."""
    ids = {doc.data["id"]: doc for doc in docs if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str)}
    claimed: dict[str, tuple[Document, int]] = {}
    problems = []
    for doc in docs:
        data = doc.data if isinstance(doc.data, dict) else {}
        old_ids = data.get("previous_ids")
        for i, old in enumerate(old_ids if isinstance(old_ids, list) else []):
            if not isinstance(old, str):
                continue
            place = ("previous_ids", i)
            line = doc.line(place)
            if old in ids:
                owner = ids[old]
                problems.append(Problem(doc.file, line, dotted(place), (
                    f"'{old}' is this review's own id; list only ids it had before" if owner is doc else
                    f"'{old}' is the id of {owner.file}, so its pages would clash with this review's "
                    "redirects; remove it here, or give that review another id")))
            elif old in claimed:
                other, other_line = claimed[old]
                problems.append(Problem(doc.file, line, dotted(place), (
                    f"'{old}' is also listed as a previous id in {other.file} (line {other_line}); an old "
                    "address can lead to only one review, so keep it in one file")))
            else:
                claimed[old] = (doc, line)
    return problems
