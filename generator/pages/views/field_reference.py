"""Every field of a review file at every depth, read from the JSON Schema, for "Writing a briefing".

The schema is the one description of the format (check and the editor use it too), so the
reference is made from it: a field added to the schema appears here without a word written.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from generator.model.types import SITE_DEFAULTS

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "review.schema.json"
SCHEMA_NAME = "generator/schema/review.schema.json"

# What the site does when a field is left out, where that is more than "nothing is shown"
# (the model and the pages decide these, not the schema).
LEFT_OUT = {
    "children[].age": "not published",
    "children[].age_band": "worked out from age, when age is given; else not published",
    "children[].sex": "not published",
    "children[].outcome": "not published",
    "dates.review_by": "the last reviewed date (or else the published date) plus review_period_months "
                       f"in _site.yml ({SITE_DEFAULTS['review_period_months']} months unless set)",
    "publication.briefing_only": "false: the full report may be published",
    "timeline[].approximate": "false: the date is exact",
    "recommendations[].status": "not stated, in the tracker",
    "findings[].actions[].status": "not stated, in the tracker",
    "actions[].status": "not stated, in the tracker",
}
# The shared kinds of value, in words (the schema's hints are written for messages).
KINDS = {
    "name": "a name on one line, without < or >",
    "line": "one line of text",
    "text": "text; it may use Markdown for paragraphs, lists, emphasis and links",
    "date": "a year (2020), a month (2020-04) or a full date (2020-04-15)",
    "themes": "a list of theme ids from briefings/_themes.yml (the Themes page lists them)",
}


@dataclass(frozen=True)
class Field:
    path: str         # where it sits, as messages name it without positions: findings[].actions[].status
    required: bool
    takes: str        # what to write, in words
    values: tuple     # the allowed values, when there is a fixed list
    left_out: str     # what the site does without it, or ""
    description: str


@dataclass(frozen=True)
class FieldGroup:
    title: str        # "At the top of the file", "Each item of findings[].actions"
    anchor: str
    fields: tuple[Field, ...]


def field_reference(schema_path: Path = SCHEMA) -> tuple[FieldGroup, ...]:
    """The top-level fields, then the fields of each group or list item, in the schema's order."""
    root = json.loads(schema_path.read_text(encoding="utf-8"))
    groups: list[FieldGroup] = []
    _group(root, root, "", "At the top of the file", groups)
    return tuple(groups)


def _group(root: dict, schema: dict, prefix: str, title: str, groups: list[FieldGroup]) -> None:
    required = set(schema.get("required", ()))
    fields, nested = [], []
    for name, spec in schema.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        kind, spec, description = _resolve(root, spec)
        inner = _inner_object(root, spec)
        if inner is not None:  # a group of fields, or a list of them: its fields get their own table
            nested.append((inner, path + ("[]" if spec.get("type") == "array" else "")))
        takes, values = _takes(root, kind, spec)
        fields.append(Field(path, name in required, takes, values, LEFT_OUT.get(path, ""), description))
    anchor = "fields-top" if not prefix else "fields-" + prefix.replace("[]", "").replace(".", "-").replace("_", "-")
    groups.append(FieldGroup(title, anchor, tuple(fields)))
    for inner, path in nested:
        kind = "Each item of" if path.endswith("[]") else "The fields of"
        _group(root, inner, path, f"{kind} {path.removesuffix('[]')}", groups)


def _resolve(root: dict, spec: dict) -> tuple[str, dict, str]:
    """(the shared kind's name or "", the schema with its $ref followed, the description); the
    field's own description wins over the shared one."""
    description, kind = spec.get("description", ""), ""
    while "$ref" in spec:
        kind = spec["$ref"].rsplit("/", 1)[-1]
        spec = {**root["$defs"][kind], **{k: v for k, v in spec.items() if k != "$ref"}}
        description = description or spec.get("description", "")
    return kind, spec, description


def _inner_object(root: dict, spec: dict) -> dict | None:
    if spec.get("type") == "object" and "properties" in spec:
        return spec
    if spec.get("type") == "array":
        _, items, _ = _resolve(root, spec.get("items", {}))
        return items if items.get("type") == "object" and "properties" in items else None
    return None


def _takes(root: dict, kind: str, spec: dict) -> tuple[str, tuple]:
    """What to write, in words, and the allowed values if there is a fixed list."""
    if kind in KINDS:
        return KINDS[kind], ()
    if "enum" in spec:
        return "one of", tuple(spec["enum"])
    if spec.get("type") == "array":
        if _inner_object(root, spec):
            return "a list; the fields of each item are below" + _bounds(spec, "minItems", "maxItems", "items"), ()
        takes, values = _takes(root, *_resolve(root, spec.get("items", {}))[:2])
        return "a list" + _bounds(spec, "minItems", "maxItems", "items") + "; each item: " + takes, values
    if spec.get("type") == "object":
        return "a group of fields, below", ()
    if spec.get("type") == "boolean":
        return "true or false", ()
    if spec.get("type") == "integer":
        return "a whole number" + _bounds(spec, "minimum", "maximum", ""), ()
    if spec.get("x-hint"):
        return spec["x-hint"], ()
    return "one line of text" if spec.get("maxLength", 1000) <= 300 else "text", ()


def _bounds(spec: dict, low: str, high: str, unit: str) -> str:
    words = []
    if low in spec and spec[low] > (0 if unit else -1):
        words.append(f"at least {spec[low]:,}")
    if high in spec:
        words.append(f"at most {spec[high]:,}")
    return f" ({' and '.join(words)}{' ' + unit if unit and words else ''})" if words else ""
