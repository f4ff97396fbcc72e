"""`python -m generator new`: start a review file from the annotated example.

The example (templates/example-review.yml) is the one template: `new` copies it with a fresh id,
the pseudonym, the review type and the site's partnership and contact address filled in, status draft and every guidance
comment kept. Its example wording stays as placeholders, which placeholders.py finds.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.load.documents import load_file
from generator.model.types import REVIEW_TYPES
from generator.site import review_files
from generator.check.placeholders import EXAMPLE

class NewReviewError(Exception):
    """The officer asked for something `new` cannot make; the message says why."""


@dataclass(frozen=True)
class NewReview:
    pseudonym: str
    year: int
    type: str = "lcspr"
    partnership: str | None = None
    contact: str | None = None


def slug(text: str) -> str:
    """'Child Zoë' -> 'child-zoe': lower-case letters and digits joined by hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def fresh_id(pseudonym: str, year: int, taken: set[str]) -> str:
    """The pseudonym and year, with -2, -3 ... added when a review already has that id."""
    base = slug(pseudonym)
    if not base:
        raise NewReviewError(f"the pseudonym {pseudonym!r} needs at least one letter or digit to make an id")
    candidate, n = f"{base}-{year}", 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{year}-{n}"
    return candidate


def taken_ids(briefings: Path) -> set[str]:
    """Ids already used: every review file's name and the id written inside it."""
    ids = set()
    for path in review_files(briefings) if briefings.is_dir() else []:
        ids.add(path.stem)
        doc, _ = load_file(path, path.name)
        if doc and isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            ids.add(doc.data["id"])
    return ids


def render(request: NewReview, review_id: str) -> str:
    """The example's text with this review's details; every comment is kept."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = _replace_line(text, "id", review_id)
    text = _replace_line(text, "status", "draft")
    text = _replace_line(text, "type", request.type)
    text = _replace_line(text, "title", _yaml_text(f"{REVIEW_TYPES[request.type]}: {request.pseudonym}"))
    text = _replace_line(text, "  - pseudonym", _yaml_text(request.pseudonym))
    if request.partnership:
        text = _replace_line(text, "partnership", _yaml_text(request.partnership))
    if request.contact:
        text = _replace_line(text, "contact", _yaml_text(request.contact))
    return text


def _yaml_text(value: str) -> str:
    """The value as written in YAML: bare when it reads back unchanged, else double-quoted."""
    try:
        if yaml.safe_load(value) == value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted one


def _replace_line(text: str, key: str, value: str) -> str:
    """Replace the value of the one line `key: ...`, keeping any comment after it."""
    pattern = re.compile(rf"^{re.escape(key)}: [^#\n]*?(\s+#.*)?$", re.M)
    new, count = pattern.subn(lambda m: f"{key}: {value}{m.group(1) or ''}", text)
    if count != 1:  # the example changed shape: fail loudly rather than write a wrong file
        raise AssertionError(f"expected one '{key}:' line in {EXAMPLE.name}, found {count}")
    return new


def create(briefings: Path, request: NewReview) -> Path:
    """Write briefings/<id>.yml and return its path; never overwrites a file."""
    review_id = fresh_id(request.pseudonym, request.year, taken_ids(briefings))
    path = briefings / f"{review_id}.yml"
    briefings.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:
        out.write(render(request, review_id))
    return path


def site_settings(root: Path) -> dict[str, str]:
    """The partnership and contact address in briefings/_site.yml, where that file can be read."""
    path = root / "briefings" / "_site.yml"
    doc, _ = load_file(path, path.name) if path.exists() else (None, [])
    data = doc.data if doc and isinstance(doc.data, dict) else {}
    fields = {"partnership": "partnership", "contact_email": "contact"}
    return {ours: data[theirs] for theirs, ours in fields.items()
            if isinstance(data.get(theirs), str) and data[theirs].strip()}
