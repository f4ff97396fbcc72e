"""Printing a seven-minute briefing from Chromium: at most two A4 pages, the briefing alone."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from generator.pipeline import load_site

from .harness import REPO, open_visit

pytestmark = pytest.mark.browser

A4_POINTS = (595, 842)
# Words only the site's navigation, header, search and footer show: none may be printed.
NAVIGATION = ["Skip to content", "Back to top", "Table of contents", "About these briefings",
              "Accessibility statement"]


def briefing_ids() -> list[str]:
    return [review.id for review in load_site(REPO).site.reviews]


@pytest.mark.parametrize("review_id", briefing_ids())
def test_a_briefing_prints_on_at_most_two_a4_pages_without_navigation(browser, base_url, review_id):
    with open_visit(browser, base_url, f"reviews/{review_id}/") as visit:
        pdf = PdfReader(io.BytesIO(visit.page.pdf(format="A4", prefer_css_page_size=True)))
        title = visit.page.locator("h1").first.inner_text().strip()
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) <= 2, f"{review_id} prints on {len(pdf.pages)} pages"
    assert [round(float(x)) for x in pdf.pages[0].mediabox[2:]] == list(A4_POINTS)
    assert title.split(":")[0] in text
    assert "1. Background" in text and "7. Find out more" in text
    assert [words for words in NAVIGATION if words in text] == []
