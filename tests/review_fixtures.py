"""Reviews with chosen children, dates and recommendations, for the tracker, statistics, digest
and feed tests. Built on conftest.minimal, so each stays a valid review."""
from __future__ import annotations

import re

from generator.model.types import Site
from generator.site import load_site

from conftest import make_project, minimal

CHILD_Z = "  - pseudonym: Child Z\n    age: 9\n"


def child(pseudonym: str, **fields) -> str:
    """One child's YAML: child("Amy", age=16, sex="female", outcome="died")."""
    lines = [f"  - pseudonym: {pseudonym}"] + [f"    {k}: {v}" for k, v in fields.items()]
    return "\n".join(lines) + "\n"


def review(id: str, *children: str, status: str = "published", published: str = "2024-01",
           incident: str | None = None, extra: str = "") -> str:
    """A valid review with these children (none: a thematic review) and extra top-level YAML."""
    text = minimal(id=id, status=status, published=published)
    text = text.replace("children:\n" + CHILD_Z, "children:\n" + "".join(children) if children else "")
    if not children:
        text = text.replace("type: lcspr", "type: thematic-review")
    if incident:
        text = text.replace(f"  published: {published}\n", f"  published: {published}\n  incident: {incident}\n")
    return text.replace("title: \"Review: Child Z\"", f"title: \"Review {id}\"") + extra


def load(tmp_path, *reviews: str, settings: dict[str, str | None] | None = None) -> Site:
    """A site from these reviews (each file named after its id), with _site.yml fields replaced
    (or, given None, removed)."""
    make_project(tmp_path, {text.split("\n", 1)[0].removeprefix("id: ") + ".yml": text for text in reviews})
    set_settings(tmp_path, settings or {})
    result = load_site(tmp_path)
    assert result.ok and not result.problems, result.problems
    return result.site


def set_settings(root, settings: dict[str, object]) -> None:
    """Replace fields in root/briefings/_site.yml (or, given None, remove them)."""
    site_yml = root / "briefings" / "_site.yml"
    text = site_yml.read_text(encoding="utf-8")
    for key, value in settings.items():
        text, found = re.subn(rf"(?m)^{key}: .*\n", f"{key}: {value}\n" if value is not None else "", text)
        assert found == 1, f"_site.yml has no {key}"
    site_yml.write_text(text, encoding="utf-8")
