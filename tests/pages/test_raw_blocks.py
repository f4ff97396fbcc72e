"""Large blocks of HTML set aside while Markdown reads a generated page (pages/raw_blocks.py)."""
import markdown
import pytest
from mkdocs.config import load_config

from generator.pages.raw_blocks import RAW_END, RAW_START, NotPutBack, anchor_ids, put_back, set_aside, unmarked
from tests.conftest import REPO

BLOCK = ('<div class="sb-filterable" data-pagefind-ignore>\n<ul>\n'
         '<li id="child-a-2024"><a href="../../reviews/child-a/">Child A</a>: a summary with *stars* and &amp;.</li>\n'
         '<li><a name="old-anchor">Child B</a>\n\n(a blank line inside)</li>\n</ul>\n</div>')
PAGE = f"# Neglect\n\nThe theme's *own* words.\n\n## Reviews {{ #reviews }}\n\n{RAW_START}\n{BLOCK}\n{RAW_END}\n\n## After\n\nMore.\n"


def _markdown() -> markdown.Markdown:
    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def test_a_page_with_its_blocks_set_aside_comes_out_as_markdown_makes_it_whole():
    assert unmarked(PAGE) == PAGE.replace(f"{RAW_START}\n", "").replace(f"\n{RAW_END}", "")  # as an export writes it
    whole = _markdown().convert(unmarked(PAGE))
    text, blocks = set_aside(PAGE)
    assert blocks == [BLOCK] and BLOCK not in text and RAW_START not in text
    assert put_back(_markdown().convert(text), blocks) == whole
    assert "*stars*" in whole and "<em>own</em>" in whole  # the block is HTML already; the rest is Markdown


def test_a_block_that_does_not_come_back_stops_the_page():
    text, blocks = set_aside(PAGE)
    with pytest.raises(NotPutBack):
        put_back(_markdown().convert(text.replace("<!--sb-raw:0-->", "")), blocks)


def test_the_ids_of_a_block_are_given_to_mkdocs_as_its_own_search_finds_them():
    assert anchor_ids([BLOCK]) == {"child-a-2024", "old-anchor"}


def test_marks_in_an_officer_s_text_set_nothing_aside_once_the_filters_have_made_it_safe():
    from generator.pages.environment import TextFilters
    text = f"{RAW_START}\n<script>alert(1)</script>\n{RAW_END}"
    filters = TextFilters(())
    for made in (filters.inline(text), filters.markdown(text)):
        assert set_aside(f"# Page\n\n{made}\n")[1] == [], made
