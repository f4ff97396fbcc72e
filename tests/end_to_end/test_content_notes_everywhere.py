"""Issue 16: a review's content notes are shown wherever the review is listed or quoted. Every
page of the built example site that links a review with content notes has the note within that
review's entry: the list item that links it, or the section under the heading that names it."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

REVIEW_LINK = re.compile(r"^/reviews/([^/]+)/(?:learning-brief/)?$")


def notes_of_reviews(site: Path) -> dict[str, str]:
    """Each review's content notes, as its briefing gives them to the search (_search.md.j2)."""
    notes = {}
    for briefing in sorted((site / "reviews").glob("*/index.html")):
        tree = lxml.html.parse(str(briefing)).getroot()
        found = tree.xpath('//span[@data-pagefind-meta="notes"]')
        if found:
            notes[briefing.parent.name] = found[0].text_content().split("; ")[0]
    return notes


def shows_note(link, review: str, note: str) -> bool:
    """Whether the entry the link belongs to shows the note: a list item or table row that holds
    the link, a review's group of rows (the tracker: a tbody each), or the section under the heading
    whose anchor is the review's id (a what's-new month)."""
    if any(note in item.text_content() for item in link.iterancestors("li", "tr", "tbody")):
        return True
    named = next(link.iterancestors("h2", "h3"), None)  # a heading that names and links the review
    if named is not None:
        return named.get("id") == review and note in section_text(named)
    for node in [link, *link.iterancestors()]:
        heading = next((h for h in node.itersiblings(preceding=True) if h.tag in ("h2", "h3")), None)
        if heading is not None:
            return heading.get("id") == review and note in section_text(heading)
    return False


def section_text(heading) -> str:
    parts = [heading.text_content()]
    for sibling in heading.itersiblings():
        if sibling.tag in ("h1", "h2", heading.tag):
            break
        parts.append(sibling.text_content())
    return " ".join(parts)


def missing_notes(site: Path) -> list[str]:
    notes = notes_of_reviews(site)
    assert notes, "the example site should have reviews with content notes"
    missing = []
    for path in sorted(site.rglob("*.html")):
        page = "/" + path.relative_to(site).as_posix().removesuffix("index.html")
        if page.startswith("/reviews/") or page.startswith("/b/") or page.startswith("/pagefind"):
            continue  # the review's own pages open with the note; short links only redirect
        tree = lxml.html.parse(str(path)).getroot()
        for body in tree.xpath("//*[@data-pagefind-body]"):
            for link in body.xpath(".//a[@href]"):
                target = urlsplit(urljoin(page, link.get("href"))).path
                match = REVIEW_LINK.match(target)
                if match and match.group(1) in notes and not shows_note(link, match.group(1), notes[match.group(1)]):
                    missing.append(f"{page}: {link.text_content().strip()!r} -> {target}")
    return missing


def test_every_listing_shows_the_content_notes_of_the_reviews_it_links(example_site):
    assert missing_notes(example_site) == []
