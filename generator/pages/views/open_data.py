"""Open data: every published review as a record, for researchers and for other sites' harvest.

data/reviews.json (every record), data/reviews.schema.json (the versioned schema they follow),
data/reviews.csv and data/recommendations.csv (the same as tables), reviews/<id>/review.json (one
record), and each review page's schema.org JSON-LD. All are made from the typed model of the
published reviews only: a held-back review is not in the Site, so it cannot reach any of them.
"""
from __future__ import annotations

import json
from pathlib import Path

from markupsafe import Markup

from generator.model.types import HARM_NAMES, PartialDate, Review, Settings, Site
from generator.pages.views.statistics import write_csv

SCHEMA_SOURCE = Path(__file__).resolve().parents[2] / "schema" / "reviews-data.schema.json"
SCHEMA_NAME = "reviews.schema.json"
VERSION = json.loads(SCHEMA_SOURCE.read_text(encoding="utf-8"))["x-version"]
DATA_PATH = "data/reviews.json"
SCHEMA_PATH = f"data/{SCHEMA_NAME}"
REVIEWS_CSV = "data/reviews.csv"
RECOMMENDATIONS_CSV = "data/recommendations.csv"
NOT_PUBLISHED = "not published"


def record_path(review: Review) -> str:
    return f"reviews/{review.id}/review.json"


def harvested_path(review: Review) -> str:
    """The page of a harvested review's record, for the search; its address is harvested/<id>/."""
    return f"harvested/{review.id}.md"


def slides_path(review: Review) -> str:
    return f"reviews/{review.id}/{review.id}-slides.pptx"


def pdf_path(review: Review) -> str:
    return f"reviews/{review.id}/{review.id}-seven-minute-briefing.pdf"


def _address(settings: Settings, path: str) -> str:
    """Absolute with base_url (a harvest links back to it), else relative to the site's root."""
    return settings.base_url.rstrip("/") + "/" + path if settings.base_url else path


def _page_address(source: str) -> str:
    return source[: -len("index.md")] if source.endswith("index.md") else source[: -len(".md")] + "/"


def _dates(review: Review) -> dict:
    named = {"published": review.published, "incident": review.incident, "completed": review.completed,
             "last_reviewed": review.last_reviewed, "review_by": review.review_by}
    return {key: value.iso() for key, value in named.items() if isinstance(value, PartialDate)}


def _child(child) -> dict:
    """The profile a briefing publishes: a field the review does not publish is left out."""
    shown = {"pseudonym": child.pseudonym, "age_band": child.age_band, "sex": child.sex, "outcome": child.outcome}
    return {key: value for key, value in shown.items() if value and value != NOT_PUBLISHED}


def _recommendation(rec) -> dict:
    shown = {"number": rec.number, "text": rec.text, "to": rec.to, "status": rec.status,
             "due": rec.due.iso() if rec.due else None}
    return {key: value for key, value in shown.items() if value is not None}


def record(review: Review, settings: Settings) -> dict:
    """One review as open data, in the schema's field order."""
    addresses = {"briefing": _page_address(review.briefing_source),
                 "learning_brief": _page_address(review.learning_brief_source),
                 "pdf": pdf_path(review), "slides": slides_path(review), "record": record_path(review)}
    data = {
        "id": review.id, "title": review.title, "pseudonyms": [c.pseudonym for c in review.children],
        "type": review.type, "type_name": review.type_name, "partnership": review.partnership,
        "summary": review.summary, "dates": _dates(review),
        "themes": [{"id": t.id, "name": t.name} for t in review.themes],
        "harm": [{"id": h, "name": HARM_NAMES[h]} for h in review.harm],
        "children": [_child(c) for c in review.children],
        "content_notes": list(review.content_notes),
        "findings": [{"number": f.number, "title": f.title, "themes": [t.id for t in f.themes]}
                     for f in review.findings],
        "recommendations": [_recommendation(r) for r in review.recommendations],
        "addresses": {key: _address(settings, path) for key, path in addresses.items()},
    }
    if not data["content_notes"]:
        del data["content_notes"]
    return data


def _dumps(envelope: dict) -> str:
    """UTF-8 (not \\u escapes), so that the last gate reads the names as they are; one record a
    line, which diffs well and lets json use its C encoder (indenting is ten times slower)."""
    head = json.dumps({**envelope, "reviews": []}, ensure_ascii=False)
    assert head.endswith('"reviews": []}')
    records = ",\n".join(json.dumps(r, ensure_ascii=False) for r in envelope["reviews"])
    return f"{head[:-3]}[\n{records}\n]}}\n"


def _envelope(site: Site, reviews: list[dict]) -> dict:
    settings = site.settings
    return {"schema": SCHEMA_NAME, "version": VERSION,
            "site": {"name": settings.site_name, "partnership": settings.partnership, "base_url": settings.base_url},
            "reviews": reviews}


def review_record_file(site: Site, review: Review):
    """reviews/<id>/review.json: the review's record, in the same envelope as data/reviews.json."""
    return _dumps(_envelope(site, [record(review, site.settings)]))


def data_files(site: Site) -> dict[str, str]:
    """The files of data/, by path: the records, the schema and the two tables."""
    records = [record(r, site.settings) for r in local_reviews(site)]
    schema = SCHEMA_SOURCE.read_text(encoding="utf-8")
    return {DATA_PATH: _dumps(_envelope(site, records)), SCHEMA_PATH: schema,
            REVIEWS_CSV: reviews_csv(records), RECOMMENDATIONS_CSV: recommendations_csv(records)}


def local_reviews(site: Site) -> tuple[Review, ...]:
    """This site's own reviews: harvested ones belong to their own sites' data."""
    return tuple(r for r in site.reviews if r.elsewhere is None)


def _joined(values) -> str:
    return "; ".join(values)


def reviews_csv(records: list[dict]) -> str:
    head = ["id", "title", "pseudonyms", "type", "partnership", "published", "incident", "completed",
            "themes", "theme_names", "harm", "age_bands", "sexes", "outcomes", "findings", "recommendations",
            "briefing", "learning_brief", "pdf", "slides"]
    rows = [head]
    for r in records:
        children = r["children"]
        rows.append([r["id"], r["title"], _joined(r["pseudonyms"]), r["type"], r["partnership"],
                     r["dates"]["published"], r["dates"].get("incident", ""), r["dates"].get("completed", ""),
                     _joined(t["id"] for t in r["themes"]), _joined(t["name"] for t in r["themes"]),
                     _joined(h["id"] for h in r["harm"]),
                     *(_joined(c.get(key, NOT_PUBLISHED) for c in children) for key in ("age_band", "sex", "outcome")),
                     len(r["findings"]), len(r["recommendations"]),
                     *(r["addresses"][key] for key in ("briefing", "learning_brief", "pdf", "slides"))])
    return write_csv(rows)


def recommendations_csv(records: list[dict]) -> str:
    rows = [["review", "partnership", "number", "to", "status", "due", "text", "learning_brief"]]
    for r in records:
        for rec in r["recommendations"]:
            rows.append([r["id"], r["partnership"], rec["number"], rec.get("to", ""), rec.get("status", ""),
                         rec.get("due", ""), rec["text"], r["addresses"]["learning_brief"] + f"#recommendation-{rec['number']}"])
    return write_csv(rows)


# ------------------------------------------------------------------------- schema.org JSON-LD

# In a <script> element only </script> (or <!--) ends the text early: with < > & as \u escapes,
# no text of a review can, and the JSON reads the same.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld(site: Site, review: Review) -> Markup:
    """The review as a schema.org Report, for the page's head: safe inside <script>."""
    settings = site.settings
    data = {
        "@context": "https://schema.org", "@type": "Report", "name": review.title,
        "alternateName": review.name, "abstract": review.summary, "identifier": review.id,
        "datePublished": review.published.iso(), "genre": review.type_name, "inLanguage": "en-GB",
        "publisher": {"@type": "Organization", "name": review.partnership},
        "keywords": [t.name for t in review.themes],
        "isAccessibleForFree": True,
    }
    if settings.base_url:
        data["url"] = _address(settings, _page_address(review.briefing_source))
    return Markup(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))


def json_ld_by_page(site: Site) -> dict[str, Markup]:
    """The JSON-LD of each review page, by its Markdown source: theme/main.html puts it in the head."""
    found = {}
    for review in local_reviews(site):
        found[review.briefing_source] = found[review.learning_brief_source] = json_ld(site, review)
    return found
