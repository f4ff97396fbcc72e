"""Rendering without MkDocs: pages, anchors, escaping and abbreviations."""
import os
import re

from generator.model import GlossaryTerm
from generator.pipeline import load_site
from generator.rendering import TextFilters, href, relative, render_site

from conftest import REPO, make_project, minimal


def pages_for(tmp_path, text):
    make_project(tmp_path, {"child-z-2024.yml": text})
    result = load_site(tmp_path)
    assert result.ok, result.problems
    return {p.path: p.content for p in render_site(result.site)}


def test_every_page_of_a_small_site(tmp_path):
    pages = pages_for(tmp_path, minimal())
    themes = [line.split("id: ")[1] for line in (REPO / "briefings/_themes.yml").read_text().splitlines()
              if line.startswith("  - id: ")]
    assert set(pages) == {
        "index.md", "reviews/child-z-2024/index.md", "reviews/child-z-2024/learning-brief.md",
        "themes/index.md", "glossary.md", "about/accessibility.md", "about/writing-a-briefing.md",
        "partnerships/index.md", "partnerships/example-partnership.md",
        *(f"themes/{t}.md" for t in themes)}


def test_briefing_has_seven_numbered_sections_in_order(tmp_path):
    page = pages_for(tmp_path, minimal())["reviews/child-z-2024/index.md"]
    headings = re.findall(r"^## (.*)$", page, re.M)
    assert headings == [
        "1. Background { #section-1 }", "2. What happened { #section-2 }", "3. Why it matters { #section-3 }",
        "4. What we learned { #section-4 }", "5. What to do differently { #section-5 }",
        "6. Questions to reflect on { #section-6 }", "7. Find out more { #section-7 }"]


def test_anchors_come_from_numbers_not_wording(tmp_path):
    before = pages_for(tmp_path / "a", minimal())["reviews/child-z-2024/learning-brief.md"]
    after = pages_for(tmp_path / "b", minimal().replace("title: First finding", "title: Reworded finding"))[
        "reviews/child-z-2024/learning-brief.md"]
    assert "{ #finding-1 }" in before and "{ #finding-1 }" in after
    assert "Reworded finding { #finding-1 }" in after


def test_questions_and_points_have_anchors(tmp_path):
    text = minimal() + "learning:\n  - number: 4\n    text: L.\nrecommendations:\n  - number: 2\n    text: R.\n"
    pages = pages_for(tmp_path, text)
    assert '<li id="question-1" value="1">What would you do?</li>' in pages["reviews/child-z-2024/index.md"]
    brief = pages["reviews/child-z-2024/learning-brief.md"]
    assert '<li id="learning-4" value="4">L.</li>' in brief
    assert '<li id="recommendation-2" value="2">R.</li>' in brief


def test_theme_page_links_each_finding_to_its_place(tmp_path):
    page = pages_for(tmp_path, minimal())["themes/information-sharing.md"]
    assert "[Child Z, finding 1: First finding](../reviews/child-z-2024/learning-brief.md#finding-1)" in page


def test_raw_html_and_template_syntax_are_shown_as_text(tmp_path):
    text = minimal().replace("what_happened: Things went wrong.",
                             "what_happened: '<script>alert(1)</script> {{ settings }} {% if x %}'")
    page = pages_for(tmp_path, text)["reviews/child-z-2024/index.md"]
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ settings }} {% if x %}" in page


def test_a_heading_in_text_cannot_break_the_outline(tmp_path):
    text = minimal().replace("what_happened: Things went wrong.", "what_happened: '# Not a heading'")
    page = pages_for(tmp_path, text)["reviews/child-z-2024/index.md"]
    assert "\n\\# Not a heading" in page


def test_abbreviations_are_expanded_but_not_inside_links():
    filters = TextFilters((GlossaryTerm("Child and Adolescent Mental Health Services", "d", "CAMHS"),))
    out = filters.markdown("Ask CAMHS. See [CAMHS](https://example.org/CAMHS) and `CAMHS` or CAMHSX.")
    assert out.count("<abbr") == 1
    assert out.startswith('Ask <abbr title="Child and Adolescent Mental Health Services" tabindex="0">CAMHS</abbr>.')
    assert "[CAMHS](https://example.org/CAMHS)" in out


def test_links_between_pages():
    assert relative("reviews/a/index.md", "themes/x.md") == "../../themes/x.md"
    assert relative("reviews/a/index.md", "reviews/a/learning-brief.md#finding-2") == "learning-brief.md#finding-2"
    assert href("index.md", "reviews/a/index.md") == "reviews/a/"
    assert href("themes/index.md", "themes/x.md") == "x/"


def test_golden_briefing():
    """The whole Patricia briefing, as rendered. UPDATE_GOLDEN=1 rewrites it after a deliberate change."""
    result = load_site(REPO)
    page = next(p for p in render_site(result.site) if p.path == "reviews/patricia-2020/index.md")
    golden = REPO / "tests" / "golden" / "patricia-briefing.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(page.content, encoding="utf-8")
    assert page.content == golden.read_text(encoding="utf-8")
