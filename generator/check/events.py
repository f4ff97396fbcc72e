"""Learning events (briefings/_events.yml): training sessions that use the reviews.

Loaded and checked like the other data files (JSON Schema, then references to reviews and their
findings), then modelled. An event that uses a review not yet published is left out of the model,
so no page can reveal that review, until every review it uses is published.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from generator.load.documents import Document, dotted, load_optional
from generator.model.types import Event, EventUse, PartialDate, Site, newest_first
from generator.load.problems import Problem
from generator.check.review import check_schema, check_text, items, parse_date

FILE = "_events.yml"


def load_events(briefings: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """The events file is optional: a site may list no events."""
    doc, problems = load_optional(briefings / FILE, display)
    if doc is None:
        return None, problems
    problems += check_schema(doc, "events") + check_text(doc, "events")
    return doc, problems


def check_events(doc: Document | None, reviews: list[Document]) -> list[Problem]:
    """References to reviews and findings that exist, dates that exist and are in order, and no
    event listed twice. Held-back reviews count as existing: the file may name them."""
    if doc is None or not isinstance(doc.data, dict):
        return []
    findings = {r.data["id"]: {f.get("number") for _, f in items(r.data, "findings")}
                for r in reviews if isinstance(r.data, dict) and isinstance(r.data.get("id"), str)}
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    for i, event in items(doc.data, "events"):
        problems += _check_dates(doc, i, event)
        key = (str(event.get("date")), event.get("title"))
        line = doc.line(("events", i))
        if key in seen:
            problems.append(Problem(doc.file, line, dotted(("events", i)), (
                f"an event with this date and title is already listed (line {seen[key]}); "
                "remove the repeat or tell the two apart in their titles")))
        seen.setdefault(key, line)
        used: set[str] = set()
        for j, use in items(event, "reviews"):
            place = ("events", i, "reviews", j)
            if use.get("id") in used:
                problems.append(Problem(doc.file, doc.line(place + ("id",)), dotted(place + ("id",)),
                                        f"lists {use['id']} twice; list it once, with all the findings it uses"))
            used.add(use.get("id"))
            problems += _check_use(doc, place, use, findings)
    return problems


def _check_dates(doc: Document, i: int, event: dict) -> list[Problem]:
    problems: list[Problem] = []
    start = parse_date(doc, ("events", i, "date"), event["date"], problems) if "date" in event else None
    end = parse_date(doc, ("events", i, "until"), event["until"], problems) if "until" in event else None
    if start and end and end.last_day < start.first_day:
        problems.append(Problem(doc.file, doc.line(("events", i, "until")), dotted(("events", i, "until")),
                                f"{end} is before the event starts ({start}); check both dates"))
    return problems


def _check_use(doc: Document, place: tuple, use: dict, findings: dict[str, set]) -> list[Problem]:
    review_id = use.get("id")
    if not isinstance(review_id, str):
        return []
    if review_id not in findings:
        close = difflib.get_close_matches(review_id, sorted(findings), n=1, cutoff=0.6)
        hint = f": did you mean '{close[0]}'?" if close else "; use the id written at the top of the review's file"
        return [Problem(doc.file, doc.line(place + ("id",)), dotted(place + ("id",)),
                        f"'{review_id}' is not the id of any review in briefings/{hint}")]
    numbers = sorted(n for n in findings[review_id] if isinstance(n, int))
    problems = []
    listed = use.get("findings")
    for k, number in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(number, int) and number not in numbers:
            nearest = min(numbers, key=lambda n: (abs(n - number), n)) if numbers else None
            hint = f": did you mean {nearest}? Its findings are numbered {_listing(numbers)}" if numbers else ""
            problems.append(Problem(doc.file, doc.line(place + ("findings", k)), dotted(place + ("findings", k)),
                                    f"{review_id} has no finding {number}{hint}"))
    return problems


def _listing(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:-1])) + " and " + str(numbers[-1]) if len(numbers) > 1 else str(numbers[0])


def events_from(doc: Document | None, site: Site) -> tuple[Event, ...]:
    """The events that can be shown: those whose every review is published. Newest first."""
    if doc is None:
        return ()
    published = {r.id: r for r in site.reviews}
    events = []
    for item in doc.data["events"]:
        wanted = item.get("reviews", [])
        if any(use["id"] not in published for use in wanted):
            continue  # it would reveal a draft, embargoed or withdrawn review
        uses = tuple(EventUse(published[u["id"]], tuple(f for f in published[u["id"]].findings
                                                         if f.number in u.get("findings", [])))
                     for u in wanted)
        events.append(Event(PartialDate.parse(item["date"]), item["title"], item["format"], item["audience"],
                            uses, PartialDate.parse(item["until"]) if "until" in item else None,
                            item.get("description"), item.get("where"), item.get("booking")))
    return tuple(sorted(events, key=newest_first))
