"""Each default of briefings/_site.yml is written once, as a `default` in its JSON Schema (which the
editor offers). Settings takes it from there; the prose that tells a person the default (the
Publishing guide, the README, the example _site.yml's notes) must agree with it."""
from __future__ import annotations

import ast
import json
import re
from dataclasses import fields

import pytest

from conftest import REPO
from generator.model.build import settings_from
from generator.model.types import SITE_DEFAULTS, Settings

SCHEMAS = sorted((REPO / "generator" / "schema").glob("*.schema.json"))
SITE_SCHEMA = json.loads((REPO / "generator" / "schema" / "site.schema.json").read_text(encoding="utf-8"))
REQUIRED = {"site_name": "A site", "partnership": "A partnership", "contact_email": "a@example.org"}


def _settings_names(schema: dict, prefix: str = "") -> dict[str, dict]:
    """Each field of _site.yml by its Settings name (a group's fields carry the group's name)."""
    found = {}
    for name, spec in schema["properties"].items():
        if spec.get("type") == "object":
            found.update(_settings_names(spec, f"{name}_"))
        else:
            found[prefix + name] = spec
    return found


FIELDS = _settings_names(SITE_SCHEMA)
INTEGER_DEFAULTS = {name: spec for name, spec in FIELDS.items() if spec.get("type") == "integer" and "default" in spec}


def test_every_field_of_the_site_file_reaches_settings():
    """settings_from keeps only the fields Settings has: a field it lacked would be lost unseen."""
    assert set(FIELDS) <= {f.name for f in fields(Settings)}


@pytest.mark.parametrize("name", sorted(n for n, spec in FIELDS.items() if "default" in spec))
def test_a_field_left_out_takes_the_schemas_default(name):
    default = FIELDS[name]["default"]
    value = getattr(settings_from(REQUIRED), name)
    assert (list(value) if isinstance(value, tuple) else value) == default


def test_a_field_given_wins_over_its_default():
    settings = settings_from({**REQUIRED, "words_per_minute": 150, "accessibility": {"response_days": 5},
                              "section_headings": list("ABCDEFG")})
    assert (settings.words_per_minute, settings.accessibility_response_days) == (150, 5)
    assert settings.section_headings == tuple("ABCDEFG")


def test_no_second_copy_of_a_default_in_the_code():
    """Settings' fields and settings_from name no default of their own: the schema's is the one."""
    settings = next(n for n in ast.walk(ast.parse((REPO / "generator/model/types.py").read_text()))
                    if isinstance(n, ast.ClassDef) and n.name == "Settings")
    written = [s.target.id for s in settings.body if isinstance(s, ast.AnnAssign) and s.target.id in FIELDS
               and isinstance(s.value, ast.Constant) and s.value.value is not None]
    assert written == [], f"Settings writes its own default for {written}; take it from SITE_DEFAULTS"
    copies = []
    for path in ("generator/model/build.py", "generator/site.py"):
        for node in ast.walk(ast.parse((REPO / path).read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                    and len(node.args) == 2 and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value in {*FIELDS, *SITE_DEFAULTS["accessibility"]}
                    and not (isinstance(node.args[1], ast.Constant) and node.args[1].value is None)):
                copies.append(f"{path}:{node.lineno}")
    assert copies == [], f"a default written again in {copies}; Settings has it from the schema"


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda p: p.name)
def test_no_schema_description_states_a_default(schema):
    """A default written into a description is a second copy, which the `default` keyword replaces."""
    stated = re.findall(r'"description": "[^"]*\bdefaults?\b[^"]*"', schema.read_text(encoding="utf-8"))
    assert stated == []


def _said(text: str) -> list[tuple[str, int, int | None, int | None]]:
    """(setting, default, lowest, highest) wherever prose names a setting and then its default."""
    names = "|".join(sorted((n.removeprefix("accessibility_") for n in INTEGER_DEFAULTS), key=len, reverse=True))
    text = " ".join(text.split())
    mentions = list(re.finditer(rf"\b({names})\b", text))
    found = []
    for match, after in zip(mentions, [*mentions[1:], None]):
        rest = text[match.end():after.start() if after else None][:400]  # up to the next setting named
        default = re.search(r"\bdefault:? (\d+)|\b(\d+)(?: \([^)]*\))? (?:if left out|unless set)", rest)
        if default:
            bounds = re.search(r"\b(\d[\d,]*) to (\d[\d,]*)\b", rest)
            low, high = (int(b.replace(",", "")) for b in bounds.groups()) if bounds else (None, None)
            found.append((match.group(1), int(default.group(1) or default.group(2)), low, high))
    return found


def _field(name: str) -> dict:
    return INTEGER_DEFAULTS.get(name) or INTEGER_DEFAULTS[f"accessibility_{name}"]


@pytest.mark.parametrize("doc", ["docs/about/publishing-guide.md", "README.md"])
def test_the_documentation_gives_the_schemas_defaults_and_limits(doc):
    said = _said((REPO / doc).read_text(encoding="utf-8"))
    assert said, f"{doc} no longer states a default: drop this test's case"
    for name, default, low, high in said:
        spec = _field(name)
        assert default == spec["default"], f"{doc}: {name} defaults to {spec['default']}, not {default}"
        if low is not None:
            assert (low, high) == (spec["minimum"], spec["maximum"]), f"{doc}: {name}'s limits"


def test_the_example_site_files_notes_give_the_schemas_defaults_and_limits():
    """Each note (the comment lines above a field) that gives a default gives the schema's."""
    notes, said = [], []
    for line in (REPO / "briefings" / "_site.yml").read_text(encoding="utf-8").splitlines():
        field = re.match(r"\s*(\w+):", line)
        if line.strip().startswith("#"):
            notes.append(line.strip("# "))
        elif field:
            note = re.search(r"\((\d+) to (\d+), default (\d+)\)", " ".join(notes))
            if note:
                said.append((field.group(1), *map(int, note.groups())))
            notes = []
    assert len(said) >= 5
    for name, low, high, default in said:
        spec = _field(name)
        assert (low, high, default) == (spec["minimum"], spec["maximum"], spec["default"]), f"briefings/_site.yml: {name}"
