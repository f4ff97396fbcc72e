"""End to end: the tracker, statistics, digest and feed in a site built by MkDocs."""
import csv
import io
import xml.etree.ElementTree as ET

import pytest

from conftest import make_buildable, make_project, run_cli
from review_fixtures import child, review

pytestmark = pytest.mark.build

# Theme names that a spreadsheet would run as formulas, and a theme only the draft uses.
HOSTILE_THEMES = {"formula-equals": '=HYPERLINK("https://evil.example/","Click")', "formula-plus": "+1+1",
                  "formula-minus": "-2+3", "formula-at": "@SUM(A1:A9)", "formula-fullwidth": "\uff1dSUM(A1)"}
THEMES = "".join(f"  - id: {id}\n    name: '{name.replace(chr(39), chr(39) * 2)}'\n    description: A test theme.\n"
                 for id, name in {**HOSTILE_THEMES, "draft-only": "Draftonlytheme"}.items())

TRACKED = "recommendations:\n  - number: 1\n    text: Train staff.\n    to: Police\n    status: complete\n    due: 2024-05\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    reviews = [
        review("amy-2024", child("Amy", age=16, sex="female", outcome="died"), published="2024-03",
               incident="2023-01", extra=TRACKED),
        review("ben-2023", child("Ben", age=4, sex="male", outcome="seriously harmed"), published="2023-11"),
        review("secret-draft", child("Draftname", age=4, sex="male", outcome="died"), status="draft",
               extra=TRACKED.replace("Police", "Draftagency")),
        review("secret-later", child("Latername", age=4, sex="male", outcome="died"), published="2999-01"),
    ]
    reviews[0] = reviews[0].replace("themes: [neglect]", f"themes: [neglect, {', '.join(HOSTILE_THEMES)}]", 1)
    reviews[2] = reviews[2].replace("themes: [neglect]", "themes: [neglect, draft-only]", 1)
    project = make_buildable(make_project(root, {text.split("\n", 1)[0][4:] + ".yml": text for text in reviews}))
    with (project / "briefings" / "_themes.yml").open("a", encoding="utf-8") as themes:
        themes.write(THEMES)
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # strict: no warnings
    return project / "site"


def test_the_new_pages_are_built_and_in_the_nav(built):
    for page in ("tracker", "statistics", "whats-new", "whats-new/2024-03", "whats-new/2023-11"):
        assert (built / page / "index.html").exists(), page
    home = (built / "index.html").read_text()
    for label, url in (("Recommendations tracker", "tracker/"), ("Statistics", "statistics/"),
                       ("What's new", "whats-new/")):
        assert f'href="{url}"' in home and label in home


def test_every_page_links_the_feed_and_the_feed_is_atom(built):
    for page in built.rglob("*.html"):
        if 'http-equiv="refresh"' in page.read_text():
            continue  # a redirect page (/b/<id>/, a moved review) only sends the reader on
        depth = len(page.relative_to(built).parts) - 1
        feed = "/feed.xml" if page.name == "404.html" else "../" * depth + "feed.xml"  # 404 is served anywhere
        expected = f'type="application/atom+xml" title="Learning from case reviews: new briefings" href="{feed}"'
        assert expected in page.read_text(), page
    root = ET.parse(built / "feed.xml").getroot()
    ids = [e.findtext("{http://www.w3.org/2005/Atom}id") for e in root.iter("{http://www.w3.org/2005/Atom}entry")]
    assert ids == ["https://learning.example.org.uk/reviews/amy-2024/", "https://learning.example.org.uk/reviews/ben-2023/"]


def test_csv_files_are_in_the_site_with_small_numbers_suppressed(built):
    rows = list(csv.reader(io.StringIO((built / "statistics" / "children-by-outcome.csv").read_text())))
    assert rows == [["Outcome", "Children"], ["Died", "fewer than 3"], ["Seriously harmed", "fewer than 3"],
                    ["Other", "0"], ["Not stated", "0"]]
    page = (built / "statistics" / "index.html").read_text()
    assert 'href="children-by-outcome.csv"' in page
    assert "<svg" in page and "fewer than 3" in page


def test_tracker_page_filters_in_the_browser(built):
    page = (built / "tracker" / "index.html").read_text()
    assert '<tr data-agency="police" data-status="complete" data-due="2024-05-31" data-open="no">' in page
    assert 'src="../assets/javascripts/tracker.js"' in page
    assert (built / "assets" / "javascripts" / "tracker.js").exists()
    brief = (built / "reviews" / "amy-2024" / "learning-brief" / "index.html").read_text()
    assert "This review has 1 recommendation or action: 1 complete." in brief


def test_no_draft_or_embargoed_review_reaches_any_generated_file(built):
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".js"):
            text = path.read_text(errors="replace")
            for secret in ("secret-draft", "secret-later", "Draftname", "Latername", "Draftagency",
                           "Draftonlytheme", "draft-only"):
                assert secret not in text, f"{secret} found in {path}"


def test_a_theme_that_no_published_review_uses_has_no_page_and_no_sitemap_entry(built):
    assert (built / "themes" / "neglect" / "index.html").exists()  # used by a published review
    for theme in ("draft-only", "bereavement"):  # used only by the draft; used by no review at all
        assert not (built / "themes" / theme).exists(), theme
        assert f"/themes/{theme}/" not in (built / "sitemap.xml").read_text()


def test_no_cell_of_any_csv_file_can_run_as_a_formula(built):
    files = sorted(built.rglob("*.csv"))
    assert len(files) >= 6  # every chart's file
    cells = [cell for path in files for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
             for cell in row]
    starts = [cell for cell in cells if cell and cell[0] in "=+-@\t\r\uff1d"]  # an empty cell is not a formula
    assert starts == []
    themes = [row for row in csv.reader(io.StringIO((built / "statistics" / "reviews-by-theme.csv").read_text()))]
    for name in HOSTILE_THEMES.values():
        assert ["'" + name, "1"] in themes, name  # the name kept whole, after a ' that the spreadsheet hides
