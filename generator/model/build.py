"""Turn validated documents into the typed model. Nothing after this stage reads raw data."""
from __future__ import annotations

from dataclasses import fields

from generator.load.documents import Document
from generator.model.types import Action, Agency, agency_key, Child, Finding, GlossaryTerm, Link, PartialDate, Participant, Point, Question, Recommendation, Review, Settings, Theme, TimelineEvent, Voice

_SETTINGS = {f.name for f in fields(Settings)}
_LISTS = {"section_headings", "standard_questions", "contact_addresses"}


def settings_from(data: dict) -> Settings:
    """What _site.yml gives; Settings fills in the rest from the schema's defaults. The schema
    names each field as Settings does (accessibility's with the prefix accessibility_)."""
    given = {**data, **{f"accessibility_{k}": v for k, v in data.get("accessibility", {}).items()}}
    return Settings(**{k: tuple(v) if k in _LISTS else v for k, v in given.items() if k in _SETTINGS})


def themes_from(data: dict) -> tuple[Theme, ...]:
    return tuple(Theme(t["id"], t["name"], t["description"]) for t in data["themes"])


def agencies_from(data: dict) -> tuple[Agency, ...]:
    return tuple(Agency(a["id"], a["name"], tuple(a.get("aliases", []))) for a in data["agencies"])


def agency_index(agencies: tuple[Agency, ...]) -> dict[str, Agency]:
    """Each spelling (agency_key) to its agency; the check refuses a spelling two agencies share."""
    return {agency_key(s): a for a in agencies for s in a.spellings}


def _agency(value: str | None, agencies: dict[str, Agency] | None) -> tuple[str | None, str | None]:
    """(name, id): the vocabulary's, or the review's own words and no id on a site without one."""
    found = agencies.get(agency_key(value)) if value is not None and agencies else None
    return (found.name, found.id) if found else (value, None)


def glossary_from(data: dict) -> tuple[GlossaryTerm, ...]:
    terms = (GlossaryTerm(t["term"], t["definition"], t.get("abbreviation")) for t in data["terms"])
    return tuple(sorted(terms, key=lambda t: t.label.lower()))


def _date(value) -> PartialDate | None:
    return PartialDate.parse(value) if value is not None else None


def _to(r: dict, agencies: dict[str, Agency] | None) -> tuple:
    """A recommendation's fields after its number and text, in Recommendation's order."""
    to, to_id = _agency(r.get("to"), agencies)
    return to, r.get("status"), _date(r.get("due")), r.get("progress"), to_id


def _actions(items: list[dict], agencies: dict[str, Agency] | None) -> tuple[Action, ...]:
    made = []
    for a in items:
        owner, owner_id = _agency(a.get("owner"), agencies)
        made.append(Action(a["action"], owner, a.get("status"), _date(a.get("due")), owner_id))
    return tuple(made)


def review_from(doc: Document, themes: dict[str, Theme], agencies: dict[str, Agency] | None = None) -> Review:
    d = doc.data
    tags = lambda item: tuple(themes[t] for t in item.get("themes", []))  # noqa: E731
    dates = d["dates"]
    publication = d.get("publication", {})
    questions = []
    for i, q in enumerate(d["questions"], start=1):
        questions.append(Question(q["number"], q["text"]) if isinstance(q, dict) else Question(i, q))
    return Review(
        id=d["id"],
        source=doc.file,
        status=d["status"],
        title=d["title"],
        type=d["type"],
        partnership=d["partnership"],
        summary=d["summary"],
        published=PartialDate.parse(dates["published"]),
        incident=_date(dates.get("incident")),
        completed=_date(dates.get("completed")),
        signed_off=_date(dates.get("signed_off")),
        background=d["background"],
        what_happened=d["what_happened"],
        why_it_matters=d["why_it_matters"],
        themes=tags(d),
        findings=tuple(sorted((Finding(
            number=f["number"], title=f["title"], summary=f["summary"], detail=f.get("detail"),
            quote=f.get("quote"), themes=tags(f), response=f.get("response"),
            actions=_actions(f.get("actions", []), agencies)) for f in d["findings"]), key=lambda f: f.number)),
        practice_points=tuple(d["practice_points"]),
        questions=tuple(questions),
        reviewers=tuple(d.get("reviewers", [])),
        children=tuple(Child(c["pseudonym"], _age(c.get("age")), c.get("age_band") or _band(c.get("age")),
                             c.get("sex"), c.get("outcome"), c.get("pseudonym_note"))
                       for c in d.get("children", [])),
        harm=tuple(d.get("harm", [])),
        briefing_only=publication.get("briefing_only", False),
        publication_note=publication.get("note"),
        full_report_url=publication.get("full_report_url"),
        voice=tuple(Voice(v["text"], v.get("from")) for v in d.get("voice", [])),
        review_process=d.get("review_process"),
        participants=tuple(Participant(p["role"], p["agency"]) for p in d.get("participants", [])),
        timeline=tuple(TimelineEvent(PartialDate.parse(e["date"]), e["event"], e.get("approximate", False))
                       for e in d.get("timeline", [])),
        learning=tuple(Point("learning", p["number"], p["text"], p.get("title"), tags(p))
                       for p in d.get("learning", [])),
        good_practice=tuple(Point("good-practice", p["number"], p["text"], p.get("title"), tags(p))
                            for p in d.get("good_practice", [])),
        recommendations=tuple(Recommendation(r["number"], r["text"], *_to(r, agencies))
                              for r in d.get("recommendations", [])),
        actions=_actions(d.get("actions", []), agencies),
        agencies=tuple(d.get("agencies", [])),
        further_reading=tuple(Link(x["title"], x.get("url"), x.get("note")) for x in d.get("further_reading", [])),
        contact=d.get("contact"),
        content_notes=tuple(d.get("content_notes", [])),
        previous_ids=tuple(d.get("previous_ids", [])),
        last_reviewed=_date(dates.get("last_reviewed")),
        review_by=_date(dates.get("review_by")),
        full_report_until=_date(publication.get("full_report_until")),
        facilitator_notes=d.get("facilitator_notes"),
    )


def _age(age) -> str | None:
    if age is None:
        return None
    return f"{age} years" if isinstance(age, int) else str(age)


def _band(age) -> str | None:
    """The national statistics' age bands, so a published age and a published band compare."""
    if age is None:
        return None
    if not isinstance(age, int):
        return "under 1" if not age.split()[1].startswith("month") or int(age.split()[0]) < 12 else "1-4"
    for limit, band in ((1, "under 1"), (5, "1-4"), (10, "5-9"), (16, "10-15"), (18, "16-17")):
        if age < limit:
            return band
    return "18+"
