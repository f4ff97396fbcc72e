"""Content notes come before the text on both pages of a review and in the list of reviews."""
from generator.site import load_site
from generator.pages.site import render_site

from conftest import make_project, minimal

NOTED = minimal().replace("summary: A short summary.\n",
                          "summary: A short summary.\ncontent_notes: [sexual abuse, death of a baby]\n")


def pages(tmp_path, text):
    make_project(tmp_path, {"child-z-2024.yml": text})
    result = load_site(tmp_path)
    assert result.problems == []
    return {p.path: p.content for p in render_site(result.site)}


def test_content_notes_come_before_the_text_on_both_pages(tmp_path):
    site = pages(tmp_path, NOTED)
    note = ('<p class="sb-content-note" role="note"><strong class="sb-content-note__label">Content note:</strong> '
            'this page includes sexual abuse, death of a baby.</p>')
    for path, first_text in (("reviews/child-z-2024/index.md", "## <span class=\"sb-num\">1.</span> Background"),
                             ("reviews/child-z-2024/learning-brief.md", "## Overview")):
        page = site[path]
        assert note in page, path
        assert page.index(note) < page.index(first_text), path


def test_content_notes_come_before_the_summary_in_the_catalogue(tmp_path):
    catalogue = pages(tmp_path, NOTED)["index.md"]
    note = '<p class="sb-card__notes"><strong>Content note:</strong> sexual abuse, death of a baby</p>'
    assert note in catalogue
    assert catalogue.index(note) < catalogue.index('<p class="sb-card__summary">A short summary.</p>')


def test_no_content_note_without_notes(tmp_path):
    site = pages(tmp_path, minimal())
    shown = ("index.md", "reviews/child-z-2024/index.md", "reviews/child-z-2024/learning-brief.md")
    assert [path for path in shown if "Content note" in site[path]] == []


def test_an_empty_or_repeated_note_is_an_error_with_its_line(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": NOTED.replace("[sexual abuse, death of a baby]",
                                                              "[suicide, suicide]")})
    assert [str(p) for p in load_site(tmp_path).problems] == [
        "briefings/child-z-2024.yml:12: content_notes: lists the same item twice; remove the repeat"]
