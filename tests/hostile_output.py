"""A hostile copy of the example site, made from the schemas themselves.

Every string in every data file (reviews, _site.yml, _themes.yml, _glossary.yml, _events.yml, _agencies.yml)
gets markers for each place text can land: HTML text and attributes, <title>, links, CSV cells
and the Markdown parser. A value the schema constrains (ids, dates, choices) is left alone; a
name-like field, which refuses < and >, gets the markers it allows. Whatever reaches a page must
then be inert: tests/end_to_end/test_hostile_output.py reads every output file, and
tests/browser/test_hostile_pages.py opens every page in Chromium.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from conftest import REPO, make_buildable

SCHEMAS = REPO / "generator" / "schema"
KINDS = {"_site.yml": "site", "_themes.yml": "themes", "_glossary.yml": "glossary", "_events.yml": "events",
         "_agencies.yml": "agencies"}
HOST = "marker.invalid"  # any request to it, or any dialog, means a marker ran

TEXT = ('=HYPERLINK("http://marker.invalid/cell") <script>alert("text-1")</script> '
        '"><img src=http://marker.invalid/t.png onerror=alert("text-2")> \'</title><svg onload=alert("text-3")> '
        '[a [b] c](javascript:alert("text-4")) ![p](http://marker.invalid/p.png) {: onclick=alert("text-5") } '
        '<a href="javascript:alert(\'text-6\')">x</a> [l](JaVaScRiPt:alert("text-7"))\n\n'
        '- [r1]: javascript:alert("text-8")\n- *[TERM]: an abbreviation from review text\n\n[click][r1]\n\n'
        '!!! danger "An admonition from review text"\n    inside\n\nTerm\n: a definition list\n\n'
        '| a | b |\n|---|---|\n| c | d |\n\n')
LINE = ('=HYPERLINK("http://marker.invalid/cell") <script>alert("line-1")</script> "><img src=x '
        'onerror=alert("line-2")> \'</title> [a [b] c](javascript:alert("line-3")) *[X]: y ')
NAME = '=HYPERLINK("http://marker.invalid/cell") "\' onmouseover=alert("name-1") javascript:alert("name-2") &amp; '
URL = 'https://marker.invalid/q?a="><script>alert("url-1")</script>'
MARKERS = ("alert(", "javascript:", HOST)
# Strings that name something else in the site (a theme's id, a review's id, a field, an agency of
# _agencies.yml, whose own names are marked there), not text
REFERENCES = ("themes[]", ".id", "reviews[].id", "privacy_allow[].field", "recommendations[].to", "actions[].owner")


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        target = node["$ref"].rsplit("/", 1)[-1]
        node = {**schema["$defs"][target], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _mark(value: str, spec: dict, path: str, marked: set[str]) -> str:
    """The value with the markers its field allows, kept within its length."""
    pattern = spec.get("pattern", "")
    if "enum" in spec or "format" in spec or path.endswith(REFERENCES):
        return value
    if pattern.startswith("^[^<>"):
        mark = NAME
    elif pattern.startswith("^(https?://"):
        mark = URL
    elif pattern:
        return value  # ids, dates, addresses, ages: a constrained value is not free text
    else:
        mark = TEXT if spec.get("maxLength", 10_000) > 1000 else LINE
    marked.add(path)
    limit = spec.get("maxLength")
    marked_value = mark + value
    return marked_value[:limit] if limit else marked_value


def _walk(schema: dict, node: dict, data, path: str, marked: set[str]):
    node = _resolve(schema, node)
    if isinstance(data, str) and node.get("type") == "string":
        return _mark(data, node, path, marked)
    if isinstance(data, str):
        for option in node.get("anyOf", []) + node.get("oneOf", []):
            option = _resolve(schema, option)
            if option.get("type") == "string":
                return _mark(data, option, path, marked)
        return data
    if isinstance(data, dict):
        props = node.get("properties", {})
        return {k: _walk(schema, props[k], v, f"{path}.{k}", marked) if k in props else v
                for k, v in data.items()}
    if isinstance(data, list) and isinstance(node.get("items"), dict):
        return [_walk(schema, node["items"], item, f"{path}[]", marked) for item in data]
    return data


def string_fields(kind: str) -> set[str]:
    """Every path of a free-text or name-like string field the schema of `kind` describes."""
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: dict, path: str, depth: int = 0) -> None:
        node = _resolve(schema, node)
        if depth > 8:
            return
        strings = [node] + [_resolve(schema, o) for o in node.get("anyOf", []) + node.get("oneOf", [])]
        for option in strings:
            pattern = option.get("pattern", "")
            if option.get("type") == "string" and "enum" not in option and not path.endswith(REFERENCES) and (
                    not pattern or pattern.startswith(("^[^<>", "^(https?://"))):
                found.add(path)
        for key, child in node.get("properties", {}).items():
            visit(child, f"{path}.{key}", depth + 1)
        for option in node.get("anyOf", []) + node.get("oneOf", []):
            for key, child in _resolve(schema, option).get("properties", {}).items():
                visit(child, f"{path}.{key}", depth + 1)
        if isinstance(node.get("items"), dict):
            visit(node["items"], f"{path}[]", depth + 1)

    visit(schema, kind)
    return found


def make_hostile_project(root: Path) -> tuple[Path, set[str]]:
    """The example project with every data file's strings marked; returns it and the paths marked."""
    make_buildable(root)
    briefings = root / "briefings"
    shutil.copytree(REPO / "briefings", briefings, dirs_exist_ok=True)
    marked: set[str] = set()
    for file in sorted(briefings.glob("*.yml")):
        kind = KINDS.get(file.name, "review" if not file.name.startswith("_") else None)
        if kind is None:
            continue
        schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        hostile = _walk(schema, schema, data, kind, marked)
        header = "".join(line + "\n" for line in file.read_text(encoding="utf-8").splitlines()
                         if line.startswith("# yaml-language-server"))
        file.write_text(header + yaml.safe_dump(hostile, allow_unicode=True, sort_keys=False, width=10_000),
                        encoding="utf-8")
    return root, marked
