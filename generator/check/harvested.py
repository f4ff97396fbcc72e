"""Check harvested records (briefings/_harvested/) and make them typed reviews for the listings.

Each record is checked on its own against the open data schema (schema/reviews-data.schema.json:
names refuse < and >, addresses only http and https) and against this site's vocabularies:
themes and kinds of harm by id, an unknown id reported and left out, never guessed from its
name. Its text passes this site's privacy checks too. A record with a problem is left out and
the rest of its source still listed: one partnership's mistake never stops the regional site,
so every problem here is a warning naming the source and the record.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jsonschema

from generator.check import privacy
from generator.load.documents import Document
from generator.load import harvest
from generator.load.harvest import Stored, allowed_address
from generator.load.problems import Problem, Severity
from generator.model.types import (HARM_NAMES, Child, Elsewhere, Finding, PartialDate, Recommendation,
                                   Review, Theme)

SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "reviews-data.schema.json"


@functools.cache
def _validators() -> tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator]:
    """(the file without its records, one record)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    envelope = {**schema, "properties": {**schema["properties"], "reviews": {"type": "array"}}}
    record = {"$defs": schema["$defs"], **schema["$defs"]["review"]}
    return jsonschema.Draft202012Validator(envelope), jsonschema.Draft202012Validator(record)


def _warning(stored: Stored, field: str, message: str) -> Problem:
    return Problem(stored.display, 0, field, message, Severity.WARNING)


def _schema_problem(error: jsonschema.ValidationError) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    return f"{where or 'the record'}: {error.message[:200]}"


def reviews_from(stored: Stored, themes: dict[str, Theme], today: dt.date, taken: set[str],
                 denylist: privacy.Denylist, contact_addresses: set[str]) -> tuple[list[Review], list[Problem]]:
    """The published records of one source as reviews, and a warning for each one left out."""
    problems = []
    if stored.failed:
        problems.append(_warning(stored, "", f"{stored.url} could not be harvested {stored.failed}; its last good "
                                             f"harvest, of {stored.fetched}, is shown"))
    envelope, one = _validators()
    found = sorted(envelope.iter_errors(stored.data), key=lambda e: list(e.absolute_path))
    if found:
        return [], problems + [_warning(stored, "", f"{stored.url} is not a site's data/reviews.json "
                                                    f"({_schema_problem(found[0])}); nothing of it is listed")]
    root = urljoin(stored.url, "../")  # data/reviews.json is in data/ under the site's root
    reviews = []
    for i, record in enumerate(stored.data["reviews"]):
        name = f"{stored.url} record {i + 1}" + (f" ({record['id']})" if isinstance(record, dict)
                                                  and isinstance(record.get("id"), str) else "")
        errors = sorted(one.iter_errors(record), key=lambda e: list(e.absolute_path))
        if errors:
            problems += [_warning(stored, f"reviews[{i}]", f"{name}: {_schema_problem(e)}; the record is left out")
                         for e in errors[:5]]
            continue
        review, found = _review(stored, record, root, themes, today, taken, denylist, contact_addresses)
        problems += [_warning(stored, f"reviews[{i}]", f"{name}: {message}") for message in found]
        if review is not None:
            taken.add(review.id)
            reviews.append(review)
    return reviews, problems


def _review(stored: Stored, record: dict, root: str, themes: dict[str, Theme], today: dt.date, taken: set[str],
            denylist: privacy.Denylist, contact_addresses: set[str]) -> tuple[Review | None, list[str]]:
    """One checked record as a review, or None with the reasons it is left out."""
    if record["id"] in taken:
        return None, [f"the id '{record['id']}' is already used by another review listed here; the record is left out"]
    try:
        dates = {key: PartialDate.parse(value) for key, value in record["dates"].items()}
        due = [PartialDate.parse(r["due"]) if "due" in r else None for r in record["recommendations"]]
    except ValueError as exc:
        return None, [f"dates: {exc}; the record is left out"]
    if dates["published"].first_day > today:
        return None, ["is not published yet (its publication date has not come); the record is left out"]
    addresses = {}
    for key in ("briefing", "learning_brief"):
        address = urljoin(root, record["addresses"][key])
        if allowed_address(address) or urlsplit(address).scheme not in ("http", "https"):
            return None, [f"addresses.{key}: '{address[:200]}' is not an https address; the record is left out"]
        addresses[key] = address
    private = privacy.check_privacy(_as_document(stored, record), denylist, contact_addresses)
    if private:
        return None, [f"{p.field}: {p.message.split(' (if it is safe')[0]}; the record is left out" for p in private]
    notes = []
    known = []
    for theme in record["themes"]:
        if theme["id"] in themes:
            known.append(themes[theme["id"]])
        else:
            notes.append(f"themes: '{theme['id']}' is not a theme of this site (briefings/_themes.yml); it is left "
                         "out. Add it to _themes.yml if it should be listed")
    harm = []
    for kind in record["harm"]:
        if kind["id"] in HARM_NAMES:
            harm.append(kind["id"])
        else:
            notes.append(f"harm: '{kind['id']}' is not a kind of harm this site knows; it is left out")
    findings = tuple(Finding(f["number"], f["title"], "", themes=tuple(themes[t] for t in f.get("themes", ())
                                                                        if t in themes)) for f in record["findings"])
    recommendations = tuple(Recommendation(r["number"], r["text"], r.get("to"), r.get("status"), when)
                            for r, when in zip(record["recommendations"], due))
    children = tuple(Child(c["pseudonym"], age_band=c.get("age_band"), sex=c.get("sex"), outcome=c.get("outcome"))
                     for c in record["children"])
    children = children or tuple(Child(p) for p in record["pseudonyms"])
    review = Review(
        id=record["id"], source=stored.display, status="published", title=record["title"], type=record["type"],
        partnership=record["partnership"], summary=record["summary"], published=dates["published"],
        background="", what_happened="", why_it_matters="", themes=tuple(known), findings=findings,
        practice_points=(), questions=(), children=children, incident=dates.get("incident"),
        completed=dates.get("completed"), harm=tuple(harm), recommendations=recommendations,
        content_notes=tuple(record.get("content_notes", ())), last_reviewed=dates.get("last_reviewed"),
        review_by=dates.get("review_by"),
        elsewhere=Elsewhere(stored.url, addresses["briefing"], addresses["learning_brief"], stored.fetched))
    return review, notes


def _as_document(stored: Stored, record: dict) -> Document:
    """The record as the privacy checks read a review file: every text by its path."""
    texts, stack = {}, [((), record)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            texts[path] = value
        elif isinstance(value, dict):
            stack += [((*path, key), item) for key, item in value.items() if key != "addresses"]
        elif isinstance(value, list):
            stack += [((*path, i), item) for i, item in enumerate(value)]
    return Document(stored.display, record, raw=texts)


# ----------------------------------------------------------------------- python -m generator harvest

def envelope_problem(data: object) -> str | None:
    """Why fetched data is not a site's data/reviews.json at all (then the last good harvest stays)."""
    found = sorted(_validators()[0].iter_errors(data), key=lambda e: list(e.absolute_path))
    return _schema_problem(found[0]) if found else None


def run_harvest(root: Path, fetch=harvest.fetch) -> tuple[list[str], list[Problem], bool]:
    """Fetch every source of briefings/_sources.yml into briefings/_harvested/: (what happened to
    each, problems in _sources.yml, whether every source was fetched). A source that fails keeps
    its last good harvest, marked with the failure; a source no longer listed loses its harvest."""
    briefings = root / "briefings"
    sources, problems = harvest.read_sources(briefings, f"briefings/{harvest.SOURCES_FILE}")
    folder = briefings / harvest.HARVEST_DIR
    kept = {stored.url: stored for stored in harvest.read_stored(briefings)[0]}
    said, all_fetched = [], not problems
    for source in sources:
        attempt = harvest.now()
        try:
            data = fetch(source.url)
            reason = envelope_problem(data)
            if reason:
                raise harvest.FetchFailed(f"it is not a site's data/reviews.json ({reason})")
        except harvest.FetchFailed as exc:
            all_fetched = False
            last = kept.get(source.url)
            if last is None:
                said.append(f"{source.url}: could not be harvested: {exc}; there is no earlier harvest to show")
                continue
            harvest.write_stored(folder, source.url, last.fetched, last.data, f"at {attempt}: {exc}")
            said.append(f"{source.url}: could not be harvested: {exc}; its last good harvest, of {last.fetched}, is kept")
            continue
        harvest.write_stored(folder, source.url, attempt, data)
        count = len(data["reviews"])
        said.append(f"{source.url}: {count} record{'s' if count != 1 else ''} fetched")
    listed = {harvest.stored_name(s.url) for s in sources}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        if path.name not in listed and not problems:  # with a mistake in _sources.yml, remove nothing
            path.unlink()
            said.append(f"briefings/{harvest.HARVEST_DIR}/{path.name}: removed, as its source is no longer listed")
    return said, problems, all_fetched
