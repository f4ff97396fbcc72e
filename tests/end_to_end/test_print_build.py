"""End to end: the example site's PDFs, trainer's pages and print layout, as readers get them."""
import html
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from generator.output.briefing_pdf import pdf_path
from generator.output.pdf_making import MAX_PDF_PAGES, PdfFile
from generator.site import load_site
from generator.pages.environment import public_address

from conftest import indexed_urls, REPO, make_buildable, make_project, minimal, run_cli

pytestmark = pytest.mark.build

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--no-pdf-header-footer"]


@pytest.fixture(scope="module")
def built(example_site):
    return example_site


@pytest.fixture(scope="module")
def example():
    return load_site(REPO).site


def words_of(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_every_example_briefing_has_a_pdf_of_at_most_two_pages(built, example):
    for review in example.reviews:
        reader = PdfReader(built / pdf_path(review))
        assert len(reader.pages) <= MAX_PDF_PAGES, review.id
        text = words_of(reader)
        for child in review.children:
            assert child.pseudonym in text, review.id
        assert review.partnership in text  # the review's partnership, never the site's example setting
        assert f"Published {review.published}" in text
        assert public_address(example.settings.base_url, review.briefing_source) in text
        assert reader.metadata.title == f"{review.name}: seven-minute briefing"
        assert reader.trailer["/Root"]["/Lang"] == "en-GB"
        assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_each_briefing_page_links_its_pdf_with_the_real_size(built, example):
    for review in example.reviews:
        pdf_file = built / pdf_path(review)
        pdf = PdfFile(review.id, pdf_path(review), pdf_file, pdf_file.stat().st_size, len(PdfReader(pdf_file).pages))
        page = (built / "reviews" / review.id / "index.html").read_text()
        link = f'<a href="{pdf_file.name}">Download PDF ({pdf.size_label}, {pdf.pages} page'
        assert link in page, review.id
        assert '<a href="trainer/">Trainer\'s page</a>' in page


def test_each_trainer_page_has_the_plan_questions_qr_code_and_action_plan(built, example):
    for review in example.reviews:
        page = (built / "reviews" / review.id / "trainer" / "index.html").read_text()
        for heading in example.settings.section_headings:
            assert f">{heading}</a>" in re.sub(r"\d\. ", "", page)
        shown = html.unescape(re.sub(r"<[^>]+>", "", page))
        for question in (*(q.text for q in review.questions), *example.settings.standard_questions):
            assert question.replace("\n", " ")[:50] in shown, (review.id, question)
        assert "<title id=\"qr-code-title\">QR code that opens the seven-minute briefing" in page
        assert "How we will know it has made a difference</th>" in page
    patricia = (built / "reviews" / "patricia-2020" / "trainer" / "index.html").read_text()
    assert "Facilitator notes" in patricia and "let anyone step out" in patricia
    assert "Facilitator notes" not in (built / "reviews" / "marie-2023" / "trainer" / "index.html").read_text()


def test_trainer_pages_stay_out_of_the_sidebar_and_search(built):
    home = (built / "index.html").read_text()
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[:nav.index("</nav>")]
    assert "trainer/" not in nav and "reviews/" not in nav
    locations = indexed_urls(built)
    assert "/reviews/patricia-2020/" in locations
    assert not [location for location in locations if "/trainer/" in location]


def test_a_draft_gets_no_pdf_and_leaves_no_trace_in_one(tmp_path):
    project = make_buildable(make_project(tmp_path, {
        "child-z-2024.yml": minimal(),
        "secret-draft.yml": minimal(id="secret-draft", status="draft").replace("Child Z", "Child Draftname"),
    }))
    result = run_cli(project, "build", "--verbose")
    assert result.returncode == 0, result.stderr
    pdfs = sorted(p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*.pdf"))
    assert pdfs == ["reviews/child-z-2024/child-z-2024-seven-minute-briefing.pdf"]
    cached = list((project / ".cache" / "pdf").glob("*.pdf"))
    assert len(cached) == 1 and "Draftname" not in words_of(PdfReader(cached[0]))
    assert "PDFs: 1 made, 0 unchanged" in result.stderr


def test_a_second_build_makes_no_pdf_again(tmp_path):
    project = make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    assert run_cli(project, "build").returncode == 0
    cached = {p: p.stat().st_mtime_ns for p in (project / ".cache" / "pdf").iterdir()}
    again = run_cli(project, "build", "--verbose")
    assert again.returncode == 0, again.stderr
    assert "PDFs: 0 made, 1 unchanged since the last build" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in (project / ".cache" / "pdf").iterdir()} == cached
    assert (project / "site" / "reviews" / "child-z-2024" / "child-z-2024-seven-minute-briefing.pdf").read_bytes() \
        == next(p for p in cached if p.suffix == ".pdf").read_bytes()


def test_plain_mkdocs_build_makes_the_pdfs_too(tmp_path):
    project = make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (project / "site" / "reviews" / "child-z-2024" / "child-z-2024-seven-minute-briefing.pdf").stat().st_size > 0


def chromium() -> str:
    """BRIEFINGS_CHROMIUM, else the system's Chromium (`make test` installs it where apt-get can)."""
    for candidate in (os.environ.get("BRIEFINGS_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("No Chromium to print with: run `make test`, or name one in BRIEFINGS_CHROMIUM.")


def print_from_browser(page, target):
    subprocess.run([chromium(), *CHROMIUM_ARGS, f"--print-to-pdf={target}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return words_of(PdfReader(target))


def test_printing_a_briefing_from_a_browser_shows_the_content_and_link_addresses(built, tmp_path):
    text = print_from_browser(built / "reviews" / "child-q-and-child-s-2016" / "index.html", tmp_path / "printed.pdf")
    assert "Child Q and Child S: seven-minute briefing" in text and "7. Find out more" in text
    for left_out in ("Search", "Table of contents", "Accessibility statement", "Download PDF", "Trainer's page",
                     "The finding in full", "Back to top"):
        assert left_out not in text
    # each link is followed by its full address (the browser resolves it: here, a file address)
    learning_brief = (built / "reviews" / "child-q-and-child-s-2016" / "learning-brief").as_uri() + "/"
    assert f"Thelearningbrief({learning_brief})" in text.replace(" ", "")
    assert "(https://www.gov.uk/government/publications/" in text


def test_printing_a_trainer_page_keeps_the_action_plan_and_qr_code(built, tmp_path):
    target = tmp_path / "trainer.pdf"
    text = print_from_browser(built / "reviews" / "patricia-2020" / "trainer" / "index.html", target)
    assert "Search" not in text and "Table of contents" not in text
    reader = PdfReader(target)
    last = re.sub(r"\s+", " ", reader.pages[-1].extract_text())
    assert "Action plan" in last and "How we will know it has made a difference" in last  # on a page of its own
    assert "https://learning.example.org.uk/reviews/patricia-2020/" in text
