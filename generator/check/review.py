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

from generator.load.documents import Document, dotted
from generator.model.types import REVIEW_TYPES, THEMATIC_TYPES, PartialDate, Review, Settings, slug, words
from generator.load.problems import Problem, Severity
from generator.check.schema_fast import is_valid

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"

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
                        f"takes at most {error.validator_value:,} item(s), but found {len(error.instance):,}")]
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
# Addresses a partnership or theme cannot take: each of their folders has its own index page.
RESERVED_SLUGS = {"index"}
NUMBERED = ("findings", "learning", "good_practice", "recommendations")
DATE_ORDER = ("incident", "completed", "signed_off", "published")
FIRST_YEAR, LAST_YEAR = 1950, 2999  # as the schema bounds a year written as a number
_DATE_SHAPE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def items(data: dict, key: str) -> list[tuple[int, dict]]:
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
        for i, item in items(data, section):
            number = item.get("number")
            if not isinstance(number, int):
                continue
            if number in seen:
                problems.append(Problem(doc.file, doc.line((section, i, "number")), dotted((section, i, "number")),
                                        f"number {number} is used twice in {section} ({dotted((section, seen[number]))}"
                                        f", line {doc.line((section, seen[number], 'number'))}, has it too); "
                                        "each needs its own number because links to it use the number"))
            seen.setdefault(number, i)
    if data.get("type") in REVIEW_TYPES and data["type"] not in THEMATIC_TYPES and not data.get("children"):
        problems.append(Problem(doc.file, doc.line(("type",)), "children",
                                "is missing; a review of a child's case needs the child's published pseudonym "
                                "under 'children:' (only thematic reviews and audits may leave it out)"))
    problems += _check_partnership(doc)
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


def _check_partnership(doc: Document) -> list[Problem]:
    """The partnership's name makes the address of its pages (partnerships/<name>/, and its
    statistics and tracker pages): it needs a letter or digit, and must not be a listing's own."""
    name = doc.data.get("partnership")
    if not isinstance(name, str) or not name.strip():
        return []
    address = slug(name)
    if address and address not in RESERVED_SLUGS:
        return []
    why = (f"would make the address '{address}/', which the list of partnerships has already" if address
           else "has no letter from a to z or digit to make the address of its pages from")
    return [Problem(doc.file, doc.line(("partnership",)), "partnership",
                    f"'{name}' {why}; write the partnership's full name")]


def check_themes_file(doc: Document) -> list[Problem]:
    """A theme's id is the address of its page, themes/<id>/: one page each, and 'index' is the
    list of themes. The build stops on two pages at one address, so check says so first."""
    if not isinstance(doc.data, dict):
        return []
    problems, first = [], {}
    for i, theme in items(doc.data, "themes"):
        theme_id, place = theme.get("id"), ("themes", i, "id")
        if theme_id in RESERVED_SLUGS:
            problems.append(Problem(doc.file, doc.line(place), dotted(place),
                                    f"'{theme_id}' is the address of the list of themes; choose another id"))
        elif isinstance(theme_id, str) and theme_id in first:
            problems.append(Problem(doc.file, doc.line(place), dotted(place),
                                    f"'{theme_id}' is already the id of the theme on line {first[theme_id]}; "
                                    "give each theme its own id"))
        first.setdefault(theme_id, doc.line(place))
    return problems


def _check_dates(doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    parsed: dict[str, PartialDate] = {}
    dates = doc.data.get("dates")
    for key, value in (dates.items() if isinstance(dates, dict) else ()):
        date = parse_date(doc, ("dates", key), value, problems) if key in DATE_ORDER else None
        if date:
            parsed[key] = date
    ordered = [(k, parsed[k]) for k in DATE_ORDER if k in parsed]
    for (a, da), (b, db) in zip(ordered, ordered[1:]):
        if da.first_day > db.last_day:
            problems.append(Problem(doc.file, doc.line(("dates", b)), f"dates.{b}",
                                    f"{db} is before the {a.replace('_', ' ')} date ({da}); check both dates"))
    previous = None
    for i, event in items(doc.data, "timeline"):
        date = parse_date(doc, ("timeline", i, "date"), event["date"], problems) if "date" in event else None
        if date and previous and previous.first_day > date.last_day:
            problems.append(Problem(doc.file, doc.line(("timeline", i, "date")), dotted(("timeline", i, "date")),
                                    f"{date} comes after an event dated {previous}; list events oldest first"))
        previous = date or previous
    due_places = [((s, i), item) for s in ("recommendations", "actions") for i, item in items(doc.data, s)]
    due_places += [(("findings", i, "actions", j), action) for i, finding in items(doc.data, "findings")
                   for j, action in items(finding, "actions")]
    for place, item in due_places:
        if "due" in item:
            parse_date(doc, place + ("due",), item["due"], problems)
    return problems


def parse_date(doc: Document, path: tuple, value, problems: list[Problem]) -> PartialDate | None:
    """Parse a date the schema accepted; a date the schema refused is already reported."""
    if not isinstance(value, (int, str)) or isinstance(value, bool):
        return None
    try:
        date = PartialDate.parse(value)
    except ValueError as exc:
        if _DATE_SHAPE.match(str(value)):
            problems.append(Problem(doc.file, doc.line(path), dotted(path), f"found '{value}'; {exc}"))
        return None
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        if isinstance(value, str):  # the schema bounds a year written as a number, and says so
            problems.append(Problem(doc.file, doc.line(path), dotted(path),
                                    f"found '{value}'; the year must be from {FIRST_YEAR} to {LAST_YEAR}"))
        return None
    return date


def _check_themes(doc: Document, theme_ids: set[str], theme_names: dict[str, str]) -> list[Problem]:
    problems = []
    places = [(("themes",), doc.data.get("themes"))]
    places += [((s, i, "themes"), item.get("themes")) for s in ("findings", "learning", "good_practice")
               for i, item in items(doc.data, s)]
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
    if guess:
        return f": did you mean '{guess[0]}'?"
    nearest = difflib.get_close_matches(theme.lower(), sorted(ids), n=5, cutoff=0) or sorted(ids)[:5]
    return (f"; choose an existing theme (the nearest are {', '.join(nearest)}; all {len(ids)} are listed in "
            "briefings/_themes.yml), or add it there first")


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


# ---------------------------------------------------------------- text as YAML and Markdown read it

MAX_WORDS = 60_000  # one and a half times the longest serious case review overview report among the seeds
MAX_LIST_DEPTH = 10  # Markdown's parser recurses once per level: 400 levels of list crash a build
_LINK_TARGET = re.compile(r"\]\([ \t]*(<?)([^)\n]{0,200})")  # the address of each [text](address)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_TITLE = re.compile(r"\s+[\"'(]")  # where a link's title begins: [text](address "title")
_LIST_MARKERS = re.compile(r"[ \t]*((?:(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|$))+)")
# a line that starts two lists at once, or one indented two levels: only then are the lines counted
_NESTED = re.compile(r"^[ \t]*(?:[-*+>]|\d{1,9}[.)])[ \t]+(?:[-*+>]|\d{1,9}[.)])[ \t]|^[ \t]{8,}(?:[-*+>]|\d{1,9}[.)])[ \t]", re.M)
_NOT_TEXT = {"id", "field"}  # strings that name things rather than say them
# Signs the page shows one by one, each as a reference (rendering.safe_markdown). Python-Markdown's
# time grows with the square of their number in one paragraph: 40,000 took 4 s, 2,000 take 0.03 s.
_SIGNS = "&<>[]|`{}"
MAX_SIGNS = 2_000


def check_text(doc: Document, kind: str) -> list[Problem]:
    """Every free text of a file, as YAML and Markdown will read it: text YAML would drop after a
    '#', links the site cannot follow (the build would stop on them), lists nested too deep."""
    if not isinstance(doc.data, dict):
        return []
    problems, length = [], 0
    for path, raw in doc.raw.items():
        if not is_text(kind, _shape(path)) or not isinstance(_value_at(doc.data, path), str):
            continue
        length += len(raw)
        if path in doc.lost:
            line, message = doc.lost[path]
            problems.append(Problem(doc.file, line, dotted(path), message))
        if "](" in raw:
            problems += _link_problems(doc, path, raw)
        if _NESTED.search(raw):
            problems += _depth_problems(doc, path, raw)
        if sum(map(raw.count, _SIGNS)) > MAX_SIGNS:
            problems += _sign_problems(doc, path, raw)
    if length > 2 * MAX_WORDS:  # a word and the space after it take two characters at least
        problems += _word_problems(doc, kind)
    return problems


def _word_problems(doc: Document, kind: str) -> list[Problem]:
    count = sum(words(raw) for path, raw in doc.raw.items() if is_text(kind, _shape(path)))
    if count <= MAX_WORDS:
        return []
    return [Problem(doc.file, 1, "", (
        f"the file holds {count:,} words, more than the {MAX_WORDS:,} one file can hold (the longest overview "
        "report we know, pasted whole, has 37,000); keep the briefing's words here and link the full report"))]


def _link_problems(doc: Document, path: tuple, text: str) -> list[Problem]:
    # reference definitions ([label]: address) are shown as text (rendering.safe_markdown): no link
    found = [(m.start(), m.group(1), m.group(2)) for m in _LINK_TARGET.finditer(text)]
    problems, newlines, last = [], 0, 0
    for offset, angled, written in found:
        address = written.split(">", 1)[0] if angled else _TITLE.split(written, 1)[0]
        address = address.strip()
        newlines, last = newlines + text.count("\n", last, offset), offset
        if not address or address == "#" or address.startswith(("/", "?")) or _SCHEME.match(address):
            continue
        shown = address if len(address) <= 60 else address[:57] + "..."
        where = ("goes to a place on one page, but this text is shown on several" if address.startswith("#")
                 else "is not a full web address, so the site would look for it among its own pages "
                      "and the build would stop")
        space = " (and write each space in it as %20)" if any(c.isspace() for c in address) else ""
        problems.append(Problem(doc.file, doc.line_in(path, newlines), dotted(path),
                                f"the link to '{shown}' {where}: write the address in full, starting "
                                f"https://{space}"))
    return problems


def _depth_problems(doc: Document, path: tuple, text: str) -> list[Problem]:
    for n, line in enumerate(text.split("\n")):
        markers = _LIST_MARKERS.match(line)
        if not markers:
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        depth = indent // 4 + len(markers.group(1).split())
        if depth > MAX_LIST_DEPTH:
            return [Problem(doc.file, doc.line_in(path, n), dotted(path),
                            f"this line nests lists or quotes {depth:,} deep; a briefing can show "
                            f"{MAX_LIST_DEPTH} levels at most, so make the list flatter")]
    return []


def _sign_problems(doc: Document, path: tuple, text: str) -> list[Problem]:
    newlines = 0
    for paragraph in text.split("\n\n"):
        count = sum(map(paragraph.count, _SIGNS))
        if count > MAX_SIGNS:
            return [Problem(doc.file, doc.line_in(path, newlines), dotted(path),
                            f"this paragraph holds {count:,} of the signs {' '.join(_SIGNS)}; a paragraph can "
                            f"hold {MAX_SIGNS:,} at most, or its page takes minutes to build: split it into "
                            "shorter paragraphs, or remove the signs")]
        newlines += paragraph.count("\n") + 2
    return []


def _shape(path: tuple) -> tuple:
    """A path with every list position as 0: texts at the same place in the schema share a shape."""
    return tuple(0 if isinstance(p, int) else p for p in path)


def _value_at(data, path: tuple):
    for part in path:
        data = data[part]
    return data


@lru_cache(maxsize=4096)
def is_text(kind: str, shape: tuple) -> bool:
    """Whether the schema makes this place free text (a text or a line), not a choice, a date or an id."""
    if not shape or shape[-1] in _NOT_TEXT:
        return False
    root = validator(kind).schema
    places = _branches(root, root)
    for part in shape:
        inside = [s.get("items") if isinstance(part, int) else s.get("properties", {}).get(part) for s in places]
        places = [b for s in inside if isinstance(s, dict) for b in _branches(root, s)]
    return any(s.get("type") == "string" and "minLength" in s and "enum" not in s for s in places)


def _branches(root: dict, schema: dict) -> list[dict]:
    """A schema with its $ref followed, and each of its anyOf or oneOf choices."""
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    found = [schema]
    for choice in schema.get("anyOf", []) + schema.get("oneOf", []):
        found += _branches(root, choice)
    return found
