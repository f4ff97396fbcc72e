"""Rendering without MkDocs: pages, anchors, escaping and abbreviations."""
import os
import re
import html

import markdown
import markupsafe
import pytest
import yaml

from generator.model.types import GlossaryTerm, words
from generator.site import load_site
from generator.pages.sanitising import clean_html
from generator.pages.environment import TextFilters, href, make_environment, relative
from generator.pages.site import render_site

from conftest import REPO, TESTS, make_project, minimal


def pages_for(tmp_path, text):
    make_project(tmp_path, {"child-z-2024.yml": text})
    result = load_site(tmp_path)
    assert result.ok, result.problems
    return {p.path: p.content for p in render_site(result.site)}


def test_every_page_of_a_small_site(tmp_path):
    pages = pages_for(tmp_path, minimal())
    themes = ["neglect", "information-sharing"]  # only the themes a published review uses get a page
    assert set(pages) == {
        "index.md", "reviews/child-z-2024/index.md", "reviews/child-z-2024/learning-brief.md",
        "reviews/child-z-2024/trainer.md", "events.md", "b/child-z-2024/index.html",
        "themes/index.md", "glossary.md", "about/accessibility.md", "about/writing-a-briefing.md",
        "partnerships/index.md", "partnerships/example-partnership.md",
        *(f"themes/{t}.md" for t in themes),
        "tracker.md", "statistics/index.md", "whats-new/index.md", "whats-new/2024-01.md", "feed.xml",
        *(f"statistics/{name}.csv" for name in ("reviews-by-year", "reviews-by-type", "children-by-age-band",
                                                "children-by-sex", "children-by-outcome", "reviews-by-theme")),
        "reviews/child-z-2024/review.json",  # the open data (views/open_data.py)
        *(f"data/{name}" for name in ("reviews.json", "reviews.schema.json", "reviews.csv", "recommendations.csv"))}


def test_briefing_has_seven_numbered_sections_in_order(tmp_path):
    page = pages_for(tmp_path, minimal())["reviews/child-z-2024/index.md"]
    headings = re.findall(r"^## (.*)$", page, re.M)
    assert headings == [  # the number also styled as the section's badge (theme/.../seven-minutes.css)
        f'<span class="sb-num">{n}.</span> {heading} {{ #section-{n} }}' for n, heading in enumerate((
            "Background", "What happened", "Why it matters", "What we learned", "What to do differently",
            "Questions to reflect on", "Find out more"), 1)]


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
    assert '<a href="../../reviews/child-z-2024/learning-brief/#finding-1">Child Z, finding 1: First finding</a>' in page


def test_raw_html_and_template_syntax_are_shown_as_text(tmp_path):
    text = minimal().replace("what_happened: Things went wrong.",
                             "what_happened: '<script>alert(1)</script> {{ settings }} {% if x %}'")
    page = pages_for(tmp_path, text)["reviews/child-z-2024/index.md"]
    shown = markdown.markdown(page)
    assert "<script>" not in page and "<script>" not in shown
    assert "<script>alert(1)</script> {{ settings }} {% if x %}" in html.unescape(shown)


def test_a_heading_in_text_cannot_break_the_outline(tmp_path):
    text = minimal().replace("what_happened: Things went wrong.", "what_happened: '# Not a heading'")
    page = pages_for(tmp_path, text)["reviews/child-z-2024/index.md"]
    assert "\n&#35; Not a heading" in page
    assert "<h1>" not in markdown.markdown(page.split("Not a heading")[0][-40:] + "Not a heading")


def test_abbreviations_are_expanded_but_not_inside_links():
    filters = TextFilters((GlossaryTerm("Child and Adolescent Mental Health Services", "d", "CAMHS"),))
    out = filters.markdown("Ask CAMHS. See [CAMHS](https://example.org/CAMHS) or CAMHSX.")
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
    golden = TESTS / "golden" / "patricia-briefing.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(page.content, encoding="utf-8")
    assert page.content == golden.read_text(encoding="utf-8")


def test_hostile_markdown_can_only_format_and_link():
    from generator.pages.environment import safe_markdown

    hostile = ("[click](javascript:alert(1)) [v](VBScript:msgbox) [d](data:text/html;base64,xx) "
               "[t](java\tscript:alert(1)) ![pixel](https://tracker.example/p.png) "
               "<iframe src=x></iframe> <img src=x onerror=alert(1)> [ok](https://example.org/a_(b))\n"
               "{: onclick=\"alert(1)\" }\n\n[ref]: javascript:alert(1)\n*[HTML]: injected")
    shown = clean_html(markdown.markdown(safe_markdown(hostile), extensions=["attr_list", "abbr"]))
    assert "[ref]: javascript:alert(1)" in html.unescape(shown)  # a reference definition is shown as text, not used
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        found: list = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    tags = Tags()
    tags.feed(shown)
    assert {tag for tag, _ in tags.found} <= {"p", "a"}
    assert all(not name.startswith("on") for _, attrs in tags.found for name in attrs)
    # the image becomes a plain link: following it is the reader's choice, nothing loads by itself
    hrefs = [attrs["href"] for tag, attrs in tags.found if tag == "a" and "href" in attrs]
    assert "https://tracker.example/p.png" in hrefs and "https://example.org/a_(b)" in hrefs
    for address in hrefs:  # as a browser reads it: tabs and newlines removed, then the scheme
        scheme = re.match(r"^([a-z][a-z0-9+.-]*):", re.sub(r"[\t\n\r]", "", address).strip().lower())
        assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), address
    assert "click" in shown and "&lt;iframe" in shown
    assert "*[HTML]: injected" in html.unescape(shown)


def test_two_pages_at_one_address_or_outside_the_site_are_refused():
    import pytest

    from generator.pages.environment import Page
    from generator.pages.site import PageClash, guard_paths

    assert guard_paths([Page("a/index.md", ""), Page("b.md", "")])
    with pytest.raises(PageClash, match="two pages claim the same address: a/index.md"):
        guard_paths([Page("a/index.md", "x"), Page("a/index.md", "y")])
    for bad in ("../x.md", "/etc/x.md", "a/../../x.md", "a\\..\\x.md"):
        with pytest.raises(PageClash, match="outside the site"):
            guard_paths([Page(bad, "")])


def test_an_abbreviation_inside_an_email_address_is_left_alone():
    filters = TextFilters((GlossaryTerm("Local Safeguarding Children Partnership", "d", "LSCP"),))
    out = filters.markdown("Write to LSCP@leicester.gov.uk or ask the LSCP.")
    assert out.count("<abbr") == 1 and "LSCP@leicester.gov.uk" in out


@pytest.mark.parametrize("text", [
    "Plain words, with commas; and stops.", "Mother’s partner’s", "don't stop--now", "a_b c-d e'f",
    "— a dash — alone", "Zoë and André met", "5 visits (3 missed) on 12/03/2021", "  ", "",
    "“Quoted” words", "tab\tand\nnew line", "x&y x/y x+y", "naïve ’quoted’ café",
])
def test_counting_words_quickly_counts_what_the_word_pattern_counts(text):
    assert words(text) == len(re.findall(r"[\w'’-]+", text))


def _reference_escape(value):
    """What a template's {{ value }} must give, written the slow and obvious way."""
    if isinstance(value, markupsafe.Markup):
        return value
    text = "".join(f"&#{ord(c)};" if c in "&<>\"'\\`*_{}[]#!|\n\r" else c for c in str(value))
    if re.match(r"[-+:=~]|\d+[.)]", str(value)):
        text = f"&#{ord(text[0])};{text[1:]}"
    return markupsafe.Markup(text)


@pytest.fixture(scope="module")
def environment():
    """The Jinja environment every page is made in, for the example site."""
    return make_environment(load_site(REPO).site)


def _scalars(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from _scalars(item)
    else:
        yield value


def test_the_quick_escape_gives_what_the_obvious_one_gives_for_every_value_of_the_example_site(environment):
    values = [v for path in sorted((REPO / "briefings").glob("*.yml"))
              for v in _scalars(yaml.safe_load(path.read_text(encoding="utf-8")))]
    assert len(values) > 500 and any(_reference_escape(v) != str(v) for v in values)  # some need escaping
    written = environment.from_string("{% for v in values %}{{ v }}\0{% endfor %}").render(values=values)
    for value, shown in zip(values, written.split("\0")):
        assert shown == _reference_escape(value), value


@pytest.mark.parametrize("value", ["Child F", "- a list", "1. a list", "# heading", "a | b", "*x* _y_",
                                   "[x](javascript:alert(1))", "<b>&amp;", "line\nbreak", ": term", "=SUM(1)",
                                   "Child Q & Child S", "12", 12, "{: #id }", "> quote", "--", "a!b"])
def test_a_value_in_a_template_is_text_in_html_and_markdown(value, environment):
    escaped = environment.from_string("{{ value }}").render(value=value)
    assert escaped == _reference_escape(value)
    shown = markdown.markdown(f"Before {escaped} after\n\n{escaped}\n\n| a |\n|---|\n| {escaped} |",
                              extensions=["tables", "attr_list", "def_list", "abbr", "admonition"])
    assert html.unescape(re.sub(r"<[^>]+>", "", shown)).count(str(value)) == 3, shown
