"""Printing a seven-minute briefing from Chromium: at most two A4 pages, the briefing alone."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from generator.site import load_site

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


def test_the_trainers_page_prints_its_qr_code_beside_what_it_is_for(browser, base_url):
    with open_visit(browser, base_url, "reviews/patricia-2020/trainer/") as visit:
        pdf = PdfReader(io.BytesIO(visit.page.pdf(format="A4", prefer_css_page_size=True)))
    first = pdf.pages[0].extract_text()
    assert "Show or print this QR code" in first and "https://learning.example.org.uk/reviews/patricia-2020/" in first
    assert "Patricia: trainer's page" in first  # the code is on the first page, with the title and the plan
    assert [page for page in pdf.pages[1:] if "QR code" in page.extract_text()] == []


def test_print_the_action_plan_prints_it_on_its_own(browser, base_url):
    with open_visit(browser, base_url, "reviews/patricia-2020/trainer/") as visit:
        page = visit.page
        button = page.get_by_role("button", name="Print the action plan")
        assert button.is_visible()
        page.evaluate("window.print = () => { window.sbPrinted = document.documentElement.className; }")
        button.click()
        assert "sb-print-part" in page.evaluate("window.sbPrinted")
        page.evaluate("document.documentElement.classList.add('sb-print-part');"
                      "document.querySelector('.sb-action-plan-part').classList.add('sb-print-this')")
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) == 1
    assert "Our action plan after the briefing about Patricia" in text
    assert "A plan for" not in text and "Questions for reflection" not in text and "Print the action plan" not in text
