"""The "Writing a briefing" page's field reference covers every field of the schema, at every depth."""
import html
import json

import markdown

from generator.pages.site import render_site
from generator.pages.views.field_reference import SCHEMA, field_reference
from generator.site import load_site

from conftest import make_project, minimal


def schema_fields(root, schema=None, prefix=""):
    """(path, (schema, required)) of every field, read here on its own, apart from the code under test."""
    schema = root if schema is None else schema
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    for name, spec in schema.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        while "$ref" in spec:
            spec = {**root["$defs"][spec["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in spec.items() if k != "$ref"}}
        yield path, (spec, name in schema.get("required", ()))
        items = spec.get("items", {})
        while "$ref" in items:
            items = root["$defs"][items["$ref"].rsplit("/", 1)[-1]]
        if spec.get("type") == "object":
            yield from schema_fields(root, spec, path)
        elif spec.get("type") == "array" and items.get("type") == "object":
            yield from schema_fields(root, items, path + "[]")


def page(tmp_path) -> str:
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    result = load_site(tmp_path)
    assert result.ok, result.problems
    return {p.path: p.content for p in render_site(result.site)}["about/writing-a-briefing.md"]


def rows(text: str) -> dict[str, str]:
    """Each field's entry in the reference, as a reader sees it (references undone)."""
    found = {}
    for line in html.unescape(text).splitlines():
        if line.startswith("- <code>"):
            found[line.split("</code>", 1)[0].removeprefix("- <code>")] = line
    return found


def test_every_schema_field_at_every_depth_has_a_row_with_its_allowed_values(tmp_path):
    root = json.loads(SCHEMA.read_text(encoding="utf-8"))
    expected = dict(schema_fields(root))
    assert {"findings[].actions[].status", "findings[].response", "recommendations[].due",
            "recommendations[].progress", "children[].age_band", "dates.review_by", "harm"} <= set(expected)
    table = rows(page(tmp_path))
    assert set(table) == set(expected)
    for path, (spec, required) in expected.items():
        values = spec.get("enum") or spec.get("items", {}).get("enum") or []
        for value in values:
            assert f"<code>{value}</code>" in table[path], (path, value)
        assert table[path].split("</code>: ")[1].startswith("required." if required else "optional."), path
    status = root["$defs"]["status"]["enum"]
    assert all(f"<code>{s}</code>" in table["recommendations[].status"] for s in status)
    assert "not started" in status


def test_the_reference_says_what_is_required_and_what_happens_when_a_field_is_left_out(tmp_path):
    table = rows(page(tmp_path))
    assert "</code>: required." in table["summary"] and "If left out" not in table["summary"]
    assert "</code>: optional." in table["dates.review_by"]
    assert "*If left out:* the last reviewed date" in table["dates.review_by"] and "review_period_months" in table["dates.review_by"]
    assert "*If left out:* false: the full report may be published" in table["publication.briefing_only"]
    assert "*If left out:* not shown." in table["voice"]
    assert "a year (2020), a month (2020-04) or a full date (2020-04-15)" in table["findings[].actions[].due"]


def test_the_reference_names_the_schema_file_and_reads_as_lists(tmp_path):
    """Lists, not wide tables: on a phone a table scrolls sideways, and each becomes a Tab stop."""
    text = page(tmp_path)
    assert "`generator/schema/review.schema.json`" in text and "`briefings/_review.schema.json`" in text
    built = markdown.markdown(text, extensions=["tables", "attr_list"])
    assert built.count("<table>") == 1  # the seven sections only
    assert built.count("<ul>") >= len(field_reference())
    assert "<code>findings[].actions[].status</code>" in html.unescape(built)
    anchors = [group.anchor for group in field_reference()]
    assert len(set(anchors)) == len(anchors) and "fields-findings-actions" in anchors


def test_each_group_of_fields_is_its_own_section(tmp_path):
    built = markdown.markdown(page(tmp_path), extensions=["tables", "attr_list"])
    for group in field_reference():
        assert f'<h3 id="{group.anchor}">' in built, group.anchor
