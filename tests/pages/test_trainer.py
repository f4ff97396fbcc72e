"""The trainer's page, rendered without MkDocs: the plan, the questions, the notes, the QR code
and the action plan."""
import html
import re
from pathlib import Path

from generator.model.types import DEFAULT_STANDARD_QUESTIONS, Settings
from generator.output.pdf_making import PdfFile
from generator.site import load_site
from generator.pages.site import render_site
from generator.pages.views.trainer import meeting_plan

from conftest import make_project, minimal

NOTES = "facilitator_notes: |\n  Say at the start that this is about neglect.\n\n  Ask what helps.\n"


def trainer_page(tmp_path, text=minimal() + NOTES, pdfs=None, site_yml=None) -> str:
    root = make_project(tmp_path, {"child-z-2024.yml": text})
    if site_yml:
        (root / "briefings" / "_site.yml").write_text(site_yml((root / "briefings" / "_site.yml").read_text()))
    result = load_site(root)
    assert result.ok, result.problems
    pages = {p.path: p.content for p in render_site(result.site, pdfs)}
    return pages["reviews/child-z-2024/trainer.md"]


def test_seven_minutes_give_a_minute_to_each_section():
    plan = meeting_plan(Settings("s", "p", "e@example.org"))
    assert [(s.number, s.heading, s.start, s.end) for s in plan] == [
        (1, "Background", "0:00", "1:00"), (2, "What happened", "1:00", "2:00"),
        (3, "Why it matters", "2:00", "3:00"), (4, "What we learned", "3:00", "4:00"),
        (5, "What to do differently", "4:00", "5:00"), (6, "Questions to reflect on", "5:00", "6:00"),
        (7, "Find out more", "6:00", "7:00")]


def test_other_budgets_and_headings_share_the_time_equally():
    headings = tuple(f"Part {n}" for n in range(1, 8))
    plan = meeting_plan(Settings("s", "p", "e@example.org", briefing_minutes=10, section_headings=headings))
    assert [s.heading for s in plan] == list(headings)
    assert [s.start for s in plan] == ["0:00", "1:26", "2:51", "4:17", "5:43", "7:09", "8:34"]
    assert plan[-1].end == "10:00"


def test_the_plan_links_each_section_of_the_briefing(tmp_path):
    page = trainer_page(tmp_path)
    assert page.startswith('---\ntitle: "Child Z: trainer\'s page"\n')
    assert "# Child Z: trainer's page" in page
    rows = re.findall(r"^\| (\d:\d\d to \d:\d\d) \| \[(\d)\. ([^\]]+)\]\(index\.md#section-(\d)\)", page, re.M)
    assert [(r[0], r[2]) for r in rows][:2] == [("0:00 to 1:00", "Background"), ("1:00 to 2:00", "What happened")]
    assert [r[1] for r in rows] == [r[3] for r in rows] == list("1234567")
    assert "Go through the 1 finding;" in page
    assert "[seven-minute briefing](index.md)" in page


def test_the_briefing_questions_come_first_then_the_standard_ones(tmp_path):
    page = trainer_page(tmp_path)
    own = page.index("What would you do?")
    assert '<a href="../#question-1" class="sb-print-hide">' in page
    assert own < page.index("### Questions we ask with every briefing")
    for question in DEFAULT_STANDARD_QUESTIONS:
        assert f"<li>{question}</li>" in page


def test_the_standard_questions_come_from_site_settings(tmp_path):
    page = trainer_page(tmp_path, site_yml=lambda text: re.sub(
        r"standard_questions:\n(  - .*\n)+", "standard_questions:\n  - What will you tell your team?\n", text))
    assert "<li>What will you tell your team?</li>" in page
    assert DEFAULT_STANDARD_QUESTIONS[0] not in page


def test_facilitator_notes_are_shown_only_when_written(tmp_path):
    page = trainer_page(tmp_path / "a")
    assert "## Facilitator notes { #facilitator-notes }\n\nSay at the start that this is about neglect.\n\nAsk what helps." in page
    assert "Facilitator notes" not in trainer_page(tmp_path / "b", text=minimal())


def test_the_qr_code_has_a_text_alternative(tmp_path):
    page = trainer_page(tmp_path)
    svg = re.search(r"<svg [^>]*>.*?</svg>", page, re.S).group(0)
    assert 'role="img" aria-labelledby="qr-code-title"' in svg
    assert ('<title id="qr-code-title">QR code that opens the seven-minute briefing about Child Z at '
            'https://learning.example.org.uk/reviews/child-z-2024/</title>') in svg
    assert "\n\n" not in svg  # a blank line would end Markdown's raw HTML block


def test_the_action_plan_has_the_four_columns_and_rows_to_fill_in(tmp_path):
    page = trainer_page(tmp_path)
    plan = page[page.index("## Action plan { #action-plan }"):]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', plan)
    assert headers == ["What we will do differently", "Who", "By when", "How we will know it has made a difference"]
    assert plan.count("<tr><td></td><td></td><td></td><td></td></tr>") == 5
    assert "<caption>Our action plan after the briefing about Child Z</caption>" in plan


def test_the_pdf_is_offered_with_its_size(tmp_path):
    pdf = PdfFile("child-z-2024", "reviews/child-z-2024/child-z-2024-seven-minute-briefing.pdf",
                  Path("unused.pdf"), 40_000, 2)
    page = trainer_page(tmp_path, pdfs={"child-z-2024": pdf})
    assert "[Download the briefing as a PDF (40 KB, 2 pages of A4)](child-z-2024-seven-minute-briefing.pdf)" in page
    assert "Download" not in trainer_page(tmp_path / "none")


def test_facilitator_notes_must_be_text(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal() + "facilitator_notes: [a, b]\n"})
    problems = [str(p) for p in load_site(tmp_path).problems]
    assert problems == ["briefings/child-z-2024.yml:25: facilitator_notes: expected text, but found a list"]


def test_the_briefing_links_its_pdf_with_its_size_and_its_trainer_page(tmp_path):
    pdf = PdfFile("child-z-2024", "reviews/child-z-2024/child-z-2024-seven-minute-briefing.pdf",
                  Path("unused.pdf"), 2_000_000, 2)
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    pages = {p.path: html.unescape(p.content) for p in render_site(load_site(tmp_path).site, {"child-z-2024": pdf})}
    assert ("[Download PDF (1.9 MB, 2 pages of A4)](child-z-2024-seven-minute-briefing.pdf) · "
            "[Trainer's page](trainer.md)") in pages["reviews/child-z-2024/index.md"]
