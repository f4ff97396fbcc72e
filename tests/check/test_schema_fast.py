"""The compiled schema check agrees with jsonschema, so valid files may skip jsonschema."""
import copy
import json

import pytest

from generator.load.documents import load_text
from generator.check.schema_fast import SCHEMA_DIR, is_valid
from generator.check.review import check_schema, validator

from conftest import REPO, minimal

# Keywords whose meaning is the same in JSON Schema draft 7 (what fastjsonschema knows) and 2020-12.
SAME_IN_BOTH = {"$schema", "$id", "$ref", "$defs", "title", "description", "type", "enum", "const",
                "properties", "additionalProperties", "required", "items", "minItems", "maxItems",
                "uniqueItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "anyOf",
                "oneOf", "allOf", "not", "default", "examples"}


def keywords(schema, inside_properties=False):
    if isinstance(schema, dict):
        for key, value in schema.items():
            if not inside_properties and not key.startswith("x-"):
                yield key
            yield from keywords(value, key in ("properties", "$defs"))
    elif isinstance(schema, list):
        for item in schema:
            yield from keywords(item)


@pytest.mark.parametrize("kind", ["review", "site", "themes", "glossary"])
def test_schemas_use_only_keywords_that_mean_the_same_in_draft_7(kind):
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text())
    assert set(keywords(schema)) <= SAME_IN_BOTH


def mutations(data):
    """The example review with one thing wrong at a time, of every kind the schema checks."""
    yield lambda d: d.update(type="nonsense")
    yield lambda d: d.update(status=True)
    yield lambda d: d.pop("summary")
    yield lambda d: d.update(sumary="x")
    yield lambda d: d.update(id="Bad Id")
    yield lambda d: d.update(title="")
    yield lambda d: d["dates"].update(published="April 2020")
    yield lambda d: d["dates"].update(published=1900)
    yield lambda d: d["children"][0].update(age=30)
    yield lambda d: d["children"][0].update(age="eight months")
    yield lambda d: d["findings"][0].update(number=0)
    yield lambda d: d["findings"][0].update(themes=["neglect", "neglect"])
    yield lambda d: d.update(practice_points=[])
    yield lambda d: d.update(questions=[{"number": 1}])
    yield lambda d: d.update(harm=["unknown"])
    yield lambda d: d.update(further_reading=[{"title": "x", "url": "ftp://x"}])
    yield lambda d: d["findings"][0].update(actions=[{"action": "x", "status": "done"}])


def test_the_compiled_check_refuses_whatever_jsonschema_refuses():
    doc, _ = load_text("briefings/patricia-2020.yml", (REPO / "briefings/patricia-2020.yml").read_text())
    assert is_valid(doc.data, "review") and not list(validator("review").iter_errors(doc.data))
    for mutate in mutations(doc.data):
        data = copy.deepcopy(doc.data)
        mutate(data)
        assert list(validator("review").iter_errors(data)), "the mutation should be a mistake"
        assert not is_valid(data, "review")


def test_a_file_with_a_mistake_still_gets_jsonschemas_plain_english_message():
    doc, _ = load_text("briefings/child-z-2024.yml", minimal().replace("type: lcspr", "type: nonsense"))
    assert [p.field for p in check_schema(doc, "review")] == ["type"]
