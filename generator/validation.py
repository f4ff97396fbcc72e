"""Validate loaded documents: the JSON Schema first, then the checks a schema cannot express.

Every check reports every problem it finds, with file, line and field, in plain English.
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema

from .loading import Document, dotted
from .model import REVIEW_TYPES, THEMATIC_TYPES, PartialDate, Review, Settings
from .problems import Problem, Severity
from .schema_fast import is_valid

SCHEMA_DIR = Path(__file__).parent / "schema"

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list (lines starting with '- ')",
    "object": "a group of fields (lines of 'name: value')",
    "null": "nothing",
}


@lru_cache(maxsize=None)
def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def check_schema(doc: Document, kind: str) -> list[Problem]:
    """Check a document against its JSON Schema; translate each error into plain English."""
    if not isinstance(doc.data, dict):
        found = "a list" if isinstance(doc.data, list) else "a single value"
        return [Problem(doc.file, 1, "", f"expected the file to hold fields such as 'id: ...', but found {found}")]
    if is_valid(doc.data, kind):
        return []
    problems = []
    for error in validator(kind).iter_errors(doc.data):
        problems.extend(_translate(doc, error))
    return problems


def _translate(doc: Document, error: jsonschema.ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("x-hint")
    found = _describe(doc, path, error.instance)
    v = error.validator
    if v == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        return [Problem(doc.file, doc.line(path + (key,)), dotted(path + (key,)),
                        f"unknown field '{key}'{_did_you_mean(key, known)} A misspelt field would be lost, "
                        "so correct or remove it")
                for key in sorted(set(error.instance) - set(known))]
    if v == "required":
        missing = error.message.split("'")[1]
        return [Problem(doc.file, doc.line(path), dotted(path + (missing,)),
                        f"is missing; add '{missing}:' with {_expected(schema['properties'].get(missing, {}))}")]
    if v == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        text = " or ".join(_TYPE_NAMES[t] for t in expected)
        message = f"expected {text}, but found {found}"
        if isinstance(error.instance, bool) and "string" in expected:
            message += "; put the value in quotes to keep it as text"
        elif error.instance is None and "string" in expected:
            message = "is empty; write the text or remove the field"
        elif "string" in expected and not isinstance(error.instance, (list, dict)):
            message += "; put it in quotes if it is meant as text"
        return [Problem(doc.file, doc.line(path), dotted(path), message)]
    if v == "enum":
        options = [str(o) for o in error.validator_value]
        return [Problem(doc.file, doc.line(path), dotted(path),
                        f"found {found}{_did_you_mean(str(error.instance), options)} "
                        f"Use one of: {', '.join(options)}")]
    if v in ("pattern", "anyOf", "oneOf"):
        hint = hint or "the value is not in the expected form"
        return [Problem(doc.file, doc.line(path), dotted(path), f"found {found}; {hint}")]
    if v == "minLength":
        return [Problem(doc.file, doc.line(path), dotted(path), "is empty; write the text or remove the field")]
    if v == "maxLength":
        return [Problem(doc.file, doc.line(path), dotted(path),
                        f"is {len(error.instance)} characters long; keep it to {error.validator_value} or fewer")]
    if v == "minItems":
        return [Problem(doc.file, doc.line(path), dotted(path),
                        f"needs at least {error.validator_value} item(s), but found {len(error.instance)}")]
    if v == "maxItems":
        return [Problem(doc.file, doc.line(path), dotted(path),
                        f"takes at most {error.validator_value} item(s), but found {len(error.instance)}")]
    if v == "uniqueItems":
        return [Problem(doc.file, doc.line(path), dotted(path), "lists the same item twice; remove the repeat")]
    if v in ("minimum", "maximum"):
        word = "at least" if v == "minimum" else "at most"
        return [Problem(doc.file, doc.line(path), dotted(path),
                        f"found {found}; it must be {word} {error.validator_value}")]
    return [Problem(doc.file, doc.line(path), dotted(path), error.message)]  # pragma: no cover


def _describe(doc: Document, path: tuple, value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    raw = doc.raw.get(path, str(value))
    if isinstance(value, bool):
        return f"'{raw}', which YAML reads as {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {raw}"
    shown = raw if len(raw) <= 60 else raw[:57] + "..."
    return f"'{shown}'"


def _expected(schema: dict) -> str:
    if "enum" in schema:
        return "one of: " + ", ".join(str(o) for o in schema["enum"])
    kind = schema.get("type")
    if kind in _TYPE_NAMES:
        return _TYPE_NAMES[kind]
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        return {"date": "a date such as 2020-04", "themes": "a list of theme ids",
                "line": "a line of text", "text": "some text"}.get(ref, "a value")
    return "a value"


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word.lower(), options, n=1, cutoff=0.6)
    return f": did you mean '{close[0]}'?" if close else "."


# ---------------------------------------------------------------- checks beyond the schema

ID_SHAPE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Ids that would clash with the site's own pages and folders under reviews/.
RESERVED_IDS = {"index", "assets", "search", "b", "themes", "glossary", "about", "reviews", "feed", "sitemap"}
NUMBERED = ("findings", "learning", "good_practice", "recommendations")
DATE_ORDER = ("incident", "completed", "signed_off", "published")
_DATE_SHAPE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _items(data: dict, key: str) -> list[tuple[int, dict]]:
    """The well-formed entries of a list field; the schema check reports the others."""
    value = data.get(key)
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def check_review(doc: Document, theme_ids: set[str], theme_names: dict[str, str]) -> list[Problem]:
    """Checks a schema cannot express. They run even when the schema check found problems, on
    whatever parts are well formed, so that every problem is reported at once."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    problems: list[Problem] = []
    problems += _check_dates(doc)
    if theme_ids:
        problems += _check_themes(doc, theme_ids, theme_names)
    for section in NUMBERED:
        seen: dict[int, int] = {}
        for i, item in _items(data, section):
            number = item.get("number")
            if not isinstance(number, int):
                continue
            if number in seen:
                problems.append(Problem(doc.file, doc.line((section, i, "number")), dotted((section, i, "number")),
                                        f"number {number} is used twice in {section} (also item {seen[number] + 1}); "
                                        "each needs its own number because links to it use the number"))
            seen.setdefault(number, i)
    if data.get("type") in REVIEW_TYPES and data["type"] not in THEMATIC_TYPES and not data.get("children"):
        problems.append(Problem(doc.file, doc.line(("type",)), "children",
                                "is missing; a review of a child's case needs the child's published pseudonym "
                                "under 'children:' (only thematic reviews and audits may leave it out)"))
    review_id = data.get("id")
    if review_id in RESERVED_IDS:
        problems.append(Problem(doc.file, doc.line(("id",)), "id",
                                f"'{review_id}' is kept for the site's own pages; choose another id, "
                                "such as the pseudonym and the year"))
    if isinstance(review_id, str) and ID_SHAPE.match(review_id) and Path(doc.file).name not in (f"{review_id}.yml", f"{review_id}.yaml"):
        problems.append(Problem(doc.file, doc.line(("id",)), "id",
                                f"the file name should match the id: rename the file to {review_id}.yml, "
                                "or change the id (only before the review is first published)",
                                Severity.WARNING))
    return problems


def _check_dates(doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    parsed: dict[str, PartialDate] = {}
    dates = doc.data.get("dates")
    for key, value in (dates.items() if isinstance(dates, dict) else ()):
        date = _parse_date(doc, ("dates", key), value, problems) if key in DATE_ORDER else None
        if date:
            parsed[key] = date
    ordered = [(k, parsed[k]) for k in DATE_ORDER if k in parsed]
    for (a, da), (b, db) in zip(ordered, ordered[1:]):
        if da.first_day > db.last_day:
            problems.append(Problem(doc.file, doc.line(("dates", b)), f"dates.{b}",
                                    f"{db} is before the {a.replace('_', ' ')} date ({da}); check both dates"))
    previous = None
    for i, event in _items(doc.data, "timeline"):
        date = _parse_date(doc, ("timeline", i, "date"), event["date"], problems) if "date" in event else None
        if date and previous and previous.first_day > date.last_day:
            problems.append(Problem(doc.file, doc.line(("timeline", i, "date")), f"timeline[{i}].date",
                                    f"{date} comes after an event dated {previous}; list events oldest first"))
        previous = date or previous
    due_places = [((s, i), item) for s in ("recommendations", "actions") for i, item in _items(doc.data, s)]
    due_places += [(("findings", i, "actions", j), action) for i, finding in _items(doc.data, "findings")
                   for j, action in _items(finding, "actions")]
    for place, item in due_places:
        if "due" in item:
            _parse_date(doc, place + ("due",), item["due"], problems)
    return problems


def _parse_date(doc: Document, path: tuple, value, problems: list[Problem]) -> PartialDate | None:
    """Parse a date the schema accepted; a date the schema refused is already reported."""
    if not isinstance(value, (int, str)) or isinstance(value, bool):
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        if _DATE_SHAPE.match(str(value)):
            problems.append(Problem(doc.file, doc.line(path), dotted(path), f"found '{value}'; {exc}"))
        return None


def _check_themes(doc: Document, theme_ids: set[str], theme_names: dict[str, str]) -> list[Problem]:
    problems = []
    places = [(("themes",), doc.data.get("themes"))]
    places += [((s, i, "themes"), item.get("themes")) for s in ("findings", "learning", "good_practice")
               for i, item in _items(doc.data, s)]
    for place, themes in places:
        for j, theme in enumerate(themes if isinstance(themes, list) else []):
            if isinstance(theme, str) and theme not in theme_ids:
                problems.append(Problem(doc.file, doc.line(place + (j,)), dotted(place + (j,)),
                                        f"'{theme}' is not in the theme vocabulary (briefings/_themes.yml)"
                                        f"{_nearest_theme(theme, theme_ids, theme_names)}"))
    return problems


def _nearest_theme(theme: str, ids: set[str], names: dict[str, str]) -> str:
    by_name = {name.lower(): tid for tid, name in names.items()}
    guess = difflib.get_close_matches(theme.lower(), sorted(ids), n=1, cutoff=0.5)
    if not guess:
        named = difflib.get_close_matches(theme.lower().replace("-", " "), sorted(by_name), n=1, cutoff=0.5)
        guess = [by_name[named[0]]] if named else []
    return f": did you mean '{guess[0]}'?" if guess else ": add it there first, or choose an existing theme"


def check_unique_ids(docs: list[Document]) -> list[Problem]:
    first: dict[str, Document] = {}
    problems = []
    for doc in docs:
        review_id = doc.data.get("id") if isinstance(doc.data, dict) else None
        if not isinstance(review_id, str):
            continue
        if review_id in first:
            problems.append(Problem(doc.file, doc.line(("id",)), "id",
                                    f"'{review_id}' is already the id of {first[review_id].file}; "
                                    "every review needs its own id"))
        else:
            first[review_id] = doc
    return problems


def check_budget(review: Review, settings: Settings, line: int) -> list[Problem]:
    """Warn when the seven sections would take longer to read than the briefing's minutes."""
    counts = review.section_word_counts
    total = sum(counts)
    if total <= settings.word_budget:
        return []
    longest = max(range(7), key=lambda i: counts[i])
    return [Problem(review.source, line, "", (
        f"the seven-minute briefing has {total:,} words, over the {settings.word_budget:,} that can be read "
        f"in {settings.briefing_minutes} minutes at {settings.words_per_minute} words a minute; the longest "
        f"section is {longest + 1} '{settings.section_headings[longest]}' ({counts[longest]:,} words)"),
        Severity.WARNING)]
