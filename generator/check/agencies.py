"""The agency vocabulary (briefings/_agencies.yml): who a recommendation is for and who owns an
action, named once for the whole site, so that the tracker lists each body once.

Optional: a site without the file keeps each review's own words. With it, every `to:` and
`owner:` must be an agency's id, name or alias (matched without regard to case), and the model
shows the agency's name.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from generator.check.review import check_schema, items
from generator.load.documents import Document, dotted, load_optional
from generator.load.problems import Problem
from generator.model.types import Agency, agency_key

FILE = "_agencies.yml"


def load_agencies(briefings: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """The file and its problems; None (and no problem) when the site has no such file."""
    doc, problems = load_optional(briefings / FILE, display)
    if doc is None:
        return None, problems
    found = check_schema(doc, "agencies")
    return doc, problems + found + (_check_spellings(doc) if not found else [])


def _check_spellings(doc: Document) -> list[Problem]:
    """Each id once, and each spelling for one agency only: else a review's word would be ambiguous."""
    problems, first = [], {}  # spelling key -> (agency id, line)
    for i, agency in items(doc.data, "agencies"):
        places = [(("agencies", i, "id"), agency["id"]), (("agencies", i, "name"), agency["name"])]
        places += [(("agencies", i, "aliases", j), a) for j, a in enumerate(agency.get("aliases", []))]
        for place, spelling in places:
            key, line = agency_key(spelling), doc.line(place)
            owner = first.get(key)
            if owner and owner[0] != agency["id"]:
                problems.append(Problem(doc.file, line, dotted(place), (
                    f"'{spelling}' already names the agency '{owner[0]}' on line {owner[1]}; "
                    "a spelling can stand for one agency only, so remove it from one of them")))
            elif owner and place[-1] == "id":
                problems.append(Problem(doc.file, line, dotted(place), (
                    f"'{spelling}' is already the id of the agency on line {owner[1]}; give each agency its own id")))
            first.setdefault(key, (agency["id"], line))
    return problems


def agency_places(data: dict) -> list[tuple[tuple, object]]:
    """(path, value) of every field of a review that names an agency."""
    places = [(("recommendations", i, "to"), r.get("to")) for i, r in items(data, "recommendations")]
    places += [(("actions", i, "owner"), a.get("owner")) for i, a in items(data, "actions")]
    places += [(("findings", i, "actions", j, "owner"), a.get("owner"))
               for i, f in items(data, "findings") for j, a in items(f, "actions")]
    return [(place, value) for place, value in places if isinstance(value, str)]


def check_review_agencies(doc: Document, index: dict[str, Agency]) -> list[Problem]:
    """Every agency a review names is in the vocabulary, with the nearest one suggested."""
    if not index or not isinstance(doc.data, dict):
        return []
    return [Problem(doc.file, doc.line(place), dotted(place),
                    f"'{value}' is not in the agency vocabulary (briefings/{FILE}){_nearest(value, index)}")
            for place, value in agency_places(doc.data) if agency_key(value) not in index]


def _nearest(value: str, index: dict[str, Agency]) -> str:
    guess = difflib.get_close_matches(agency_key(value), sorted(index), n=1, cutoff=0.6)
    if guess:
        agency = index[guess[0]]
        return f": did you mean '{agency.id}' ({agency.name})?"
    ids = sorted({a.id for a in index.values()})
    return (f"; write the id of one of its {len(ids)} agencies ({', '.join(ids[:6])}{' ...' if len(ids) > 6 else ''}), "
            f"or add this one to briefings/{FILE} (as a new agency, or as an alias of one) first")
