"""Links trainers paste into slides keep working when an officer rewords a finding, a question, a
learning point or a recommendation: anchors come from numbers, never from words."""
import re

import markdown

from generator.site import load_site
from generator.pages.site import render_site

from conftest import make_project, minimal

EXTRA = """\
learning:
  - number: 3
    title: Curiosity
    text: Ask what life is like for the child.
recommendations:
  - number: 2
    text: The board should check that agencies share records.
"""

REWORDED = {
    "title: First finding": "title: Information was not shared between agencies",
    "summary: Agencies did not share what they knew.": "summary: Each agency held part of the picture.",
    "- What would you do?": "- What would you do differently tomorrow?",
    "title: Curiosity": "title: Professional curiosity",
    "text: Ask what life is like for the child.": "text: Find out what daily life is like for the child.",
    "text: The board should check": "text: The partnership board should seek assurance",
}


def anchors(tmp_path, text) -> dict[str, set[str]]:
    """The ids in the HTML of each page of the review, as Python-Markdown with the site's extensions makes it."""
    make_project(tmp_path, {"child-z-2024.yml": text})
    pages = {p.path: p.content for p in render_site(load_site(tmp_path).site) if p.path.startswith("reviews/") and p.path.endswith(".md")}
    found = {}
    for path, content in pages.items():
        body = content.split("---\n", 2)[2]
        html = markdown.markdown(body, extensions=["attr_list", "md_in_html", "admonition", "toc", "tables"])
        found[path] = {i for i in re.findall(r'\bid="([^"]+)"', html)
                       if re.match(r"(finding|question|learning|good-practice|recommendation)-\d+$", i)}
    return found


def test_rewording_keeps_every_anchor(tmp_path):
    original = minimal() + EXTRA
    reworded = original
    for old, new in REWORDED.items():
        assert reworded.count(old) == 1, old
        reworded = reworded.replace(old, new)
    before, after = anchors(tmp_path / "before", original), anchors(tmp_path / "after", reworded)
    assert before == after == {
        "reviews/child-z-2024/index.md": {"finding-1", "question-1"},
        "reviews/child-z-2024/learning-brief.md": {"finding-1", "learning-3", "recommendation-2"},
        "reviews/child-z-2024/trainer.md": set(),  # the trainer's page links to the briefing's anchors
    }


def test_renumbering_is_what_moves_an_anchor(tmp_path):
    renumbered = (minimal() + EXTRA).replace("  - number: 3\n", "  - number: 4\n")
    assert "learning-4" in anchors(tmp_path, renumbered)["reviews/child-z-2024/learning-brief.md"]
