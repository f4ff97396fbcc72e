"""The renderer's shortcuts give exactly what the slow way gives."""
import html
import itertools
import posixpath
import re

import markdown
import pytest
import yaml

from generator.site import load_site
from generator.pages.environment import TextFilters, href, page_url, relative, safe_markdown

from conftest import REPO


def texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


EDGE_CASES = ["1. a list", "2) also", "a *b*", "a_b_c", "x  y", "Child A. Then 2. b", "a -- b", "The \"quote\" (x)",
              "(aside)", "- dash", "# hash", "a & b", "a <b>", "CAMHS and GP", "x\n\ny", "tab\tthere", "", "e.g. 5%"]


@pytest.fixture(scope="module")
def filters():
    return TextFilters(load_site(REPO).site.glossary)


def slow_inline(filters, text):
    """The converter every time, as inline would be without its shortcut."""
    rendered = markdown.Markdown().convert(safe_markdown(text.strip())).strip()
    if re.fullmatch(r"<p>((?:(?!</?p>).)*)</p>", rendered, re.S):
        rendered = rendered[3:-4]
    return filters.expand(rendered)


def test_plain_text_skips_the_converter_with_the_same_result(filters):
    samples = [t for p in (REPO / "briefings").glob("*.yml") for t in texts(yaml.safe_load(p.read_text()))]
    samples += EDGE_CASES
    shortcut = [t for t in samples if not filters.MARKUP.search(t.strip())]
    assert len(shortcut) > len(samples) / 3  # the shortcut is taken often, or it is not worth having
    for text in samples:
        assert filters.inline(text) == slow_inline(filters, text), text


def test_links_between_pages_match_posixpath():
    """relative() and href() find the way between pages without asking the OS for the working
    folder, as posixpath.relpath does."""
    sources = ["index.md", "glossary.md", "themes/index.md", "themes/a.md", "reviews/x/index.md",
               "reviews/x/learning-brief.md", "partnerships/p.md", "about/index.md", "reviews/y/index.md"]
    for a, b in itertools.product(sources, sources):
        assert relative(a, b) == posixpath.relpath(b, posixpath.dirname(a) or ".")
        assert href(a, b) == posixpath.relpath(page_url(b) or ".", page_url(a) or ".") + "/"


def test_text_of_several_paragraphs_keeps_them_whole_inside_an_element(filters):
    assert filters.inline("One paragraph.") == "One paragraph."
    assert filters.inline("*One* paragraph.") == "<em>One</em> paragraph."
    assert filters.inline("First.\n\nSecond.") == "<p>First.</p>\n<p>Second.</p>"  # no stray </p> or <p>
