"""The statistics page: counts of published reviews, the charts' tables, the CSV files, and
small numbers suppressed in every breakdown of children."""
import csv
import io

from generator.pipeline import load_site
from generator.reports import render_statistics
from generator.rendering import make_environment
from generator.statistics import Count, breakdowns, by_age_band, by_outcome, by_sex, by_type, by_year, suppress

from conftest import make_project
from review_fixtures import child, load, review

# One girl who died, two boys seriously harmed, three children whose sex is not published: so the
# counts 1 and 2 must be suppressed and 3 shown.
FIXTURE = (
    review("amy-2022", child("Amy", age=16, sex="female", outcome="died"), published="2022-03"),
    review("ben-2024", child("Ben", age=4, sex="male", outcome="seriously harmed"),
           child("Carl", age=3, sex="male", outcome="seriously harmed")),
    review("dee-2024", *(child(f"Child {x}", age=12, sex="not published", outcome="other") for x in "DEF")),
    review("hidden-2024", child("Gus", age=16, sex="male", outcome="died"), status="draft"),
    review("later-2999", child("Hal", age=16, sex="male", outcome="died"), published="2999-01"),
)


def rows(chart):
    return [(c.label, c.shown) for c in chart.counts]


def test_counts_of_one_or_two_children_are_shown_as_fewer_than_3(tmp_path):
    site = load(tmp_path, *FIXTURE)
    assert rows(by_sex(site)) == [("Female", "fewer than 3"), ("Male", "fewer than 3"), ("Not published", "3")]
    assert rows(by_outcome(site)) == [("Died", "fewer than 3"), ("Seriously harmed", "fewer than 3"),
                                      ("Other", "3"), ("Not stated", "0")]
    bands = dict(rows(by_age_band(site)))
    assert bands["1-4"] == "fewer than 3" and bands["10-15"] == "3" and bands["16-17"] == "fewer than 3"
    assert bands["Under 1"] == "0"


def test_only_published_reviews_count(tmp_path):
    site = load(tmp_path, *FIXTURE)
    assert rows(by_year(site)) == [("2022", "1"), ("2023", "0"), ("2024", "2")]
    assert rows(by_type(site)) == [("Local child safeguarding practice review", "3")]


def test_reviews_are_never_suppressed_only_children(tmp_path):
    site = load(tmp_path, *FIXTURE)
    year, kind, *_, theme = breakdowns(site)
    assert not any(c.suppressed_below for chart in (year, kind, theme) for c in chart.counts)
    assert ("Neglect", "3") in rows(theme)


def test_the_threshold_comes_from_site_settings(tmp_path):
    site = load(tmp_path, *FIXTURE, settings={"small_number_threshold": "3"})
    assert rows(by_sex(site))[2] == ("Not published", "fewer than 4")


def test_suppression_leaves_zero_and_larger_counts():
    counts = suppress((Count("a", 0), Count("b", 1), Count("c", 2), Count("d", 3)), 2)
    assert [c.shown for c in counts] == ["0", "fewer than 3", "fewer than 3", "3"]


def test_csv_files_hold_the_suppressed_figures(tmp_path):
    site = load(tmp_path, *FIXTURE)
    pages = {p.path: p.content for p in render_statistics(make_environment(site), site)}
    table = list(csv.reader(io.StringIO(pages["statistics/children-by-sex.csv"])))
    assert table == [["Sex", "Children"], ["Female", "fewer than 3"], ["Male", "fewer than 3"],
                     ["Not published", "3"]]
    assert set(pages) == {"statistics/index.md", *(f"statistics/{c.id}.csv" for c in breakdowns(site))}


def test_each_chart_has_a_table_and_a_csv_link_and_draws_no_bar_for_a_suppressed_count(tmp_path):
    site = load(tmp_path, *FIXTURE)
    page = render_statistics(make_environment(site), site)[0].content
    sex = page[page.index("## Children by sex"):page.index("## Children by outcome")]
    assert '<svg class="sb-chart__svg"' in sex and 'aria-hidden="true"' in sex
    assert sex.count("<rect") == 1  # only "Not published" (3) has a bar
    assert '<tr><th scope="row">Female</th><td>fewer than 3</td></tr>' in sex
    assert '<tr><th scope="row">Not published</th><td>3</td></tr>' in sex
    assert "[Download these figures (CSV)](children-by-sex.csv)" in sex
    assert ">fewer than 3</text>" in sex
    assert page.count("<table") == len(breakdowns(site))
    for secret in ("Gus", "Hal", "hidden-2024", "later-2999"):
        assert secret not in page


def test_a_threshold_of_zero_is_refused_with_file_line_and_field(tmp_path):
    make_project(tmp_path)
    site_yml = tmp_path / "briefings" / "_site.yml"
    site_yml.write_text(site_yml.read_text().replace("small_number_threshold: 2", "small_number_threshold: 0"))
    line = site_yml.read_text().splitlines().index("small_number_threshold: 0") + 1
    messages = [str(p) for p in load_site(tmp_path).problems]
    assert [m for m in messages if "small_number_threshold" in m] == [
        f"briefings/_site.yml:{line}: small_number_threshold: found the number 0; it must be at least 1"]


def test_no_csv_cell_can_start_a_formula_in_a_spreadsheet():
    from generator.statistics import write_csv

    cells = ['=HYPERLINK("https://evil.example/","x")', "+1", "-2+3", "@SUM(A1)", "\tTab", "\r=1", "  =1",
             "\uff1d1", "|cmd", "%x"]
    read = [row[0] for row in csv.reader(io.StringIO(write_csv([[c] for c in cells]), newline=""))]
    assert all(cell.startswith("'") for cell in read), read
    assert [cell.lstrip("'").replace("\\|", "|") for cell in read] == [c.replace("\r", "\n") for c in cells]
    rows = list(csv.reader(io.StringIO(write_csv([["a\r=HYPERLINK(1)", "1"]]), newline="")))
    assert rows == [["a\n=HYPERLINK(1)", "1"]]  # one row: a carriage return inside a cell starts no new one
    plain = ["Neglect", "-5", "3", "fewer than 3", "Under 1", "10-15"]  # a negative number is a number, not a formula
    assert [row[0] for row in csv.reader(io.StringIO(write_csv([[c] for c in plain]), newline=""))] == plain
