"""A compiled copy of each JSON Schema, for the common case: a file with no mistakes.

jsonschema explains every mistake (validation.py turns its errors into plain English) but takes
about 6 ms for a long review; the compiled check takes under 1 ms. At 5,000 reviews that is half a
minute saved. Only a file the compiled check refuses goes through jsonschema for the messages.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import fastjsonschema

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
# fastjsonschema knows drafts 4 to 7. Our schemas use only keywords whose meaning is the same in
# draft 7 and in 2020-12 (tests/check/test_schema_fast.py keeps it so), with $defs reached by JSON pointer.
DRAFT_7 = "http://json-schema.org/draft-07/schema#"


@lru_cache(maxsize=None)
def _compiled(kind: str):
    """The schema as Python code. The code names a failing part of an array with
    str.format(**locals()) even when nothing fails, which cost two thirds of its time; jsonschema
    names the parts of a refused file, so this code need not: the formatting is taken out."""
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    schema["$schema"] = DRAFT_7
    code = fastjsonschema.compile_to_code(schema, detailed_exceptions=False)
    namespace: dict = {}
    exec(code.replace(".format(**locals())", ""), namespace)  # noqa: S102 - code made from our own schema
    return namespace[re.search(r"^def (\w+)\(", code, re.M).group(1)]  # the first function checks the whole


def is_valid(data: object, kind: str) -> bool:
    """True when data certainly passes the schema; False sends it to jsonschema for messages."""
    try:
        _compiled(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True
