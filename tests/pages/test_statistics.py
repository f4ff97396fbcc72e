"""The statistics page: counts of published reviews, the charts' tables, the CSV files, and
small numbers suppressed in every breakdown of children."""
import csv
import io
import random
from dataclasses import replace

import pytest

from generator.dev import corpus
from generator.pages.views import statistics
from generator.model.types import Child
from generator.site import load_site
from generator.pages.reports import render_statistics
from generator.pages.environment import make_environment
from generator.pages.views.statistics import Count, breakdowns, by_age_band, by_outcome, by_sex, by_type, by_year, suppress

from conftest import REPO, make_project
from disclosure import csv_files, recoverable
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
    assert rows(by_year(site)) == [("2022", "1"), ("2024", "2")]  # no row of zeros for 2023
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
    from generator.pages.views.statistics import write_csv

    cells = ['=HYPERLINK("https://evil.example/","x")', "+1", "-2+3", "@SUM(A1)", "\tTab", "\r=1", "  =1",
             "\uff1d1", "|cmd", "%x"]
    read = [row[0] for row in csv.reader(io.StringIO(write_csv([[c] for c in cells]), newline=""))]
    assert all(cell.startswith("'") for cell in read), read
    assert [cell.lstrip("'").replace("\\|", "|") for cell in read] == [c.replace("\r", "\n") for c in cells]
    rows = list(csv.reader(io.StringIO(write_csv([["a\r=HYPERLINK(1)", "1"]]), newline="")))
    assert rows == [["a\n=HYPERLINK(1)", "1"]]  # one row: a carriage return inside a cell starts no new one
    plain = ["Neglect", "-5", "3", "fewer than 3", "Under 1", "10-15"]  # a negative number is a number, not a formula
    assert [row[0] for row in csv.reader(io.StringIO(write_csv([[c] for c in plain]), newline=""))] == plain


# No hidden count can be worked out from all the CSV files a site publishes together (disclosure.py)

def published(site) -> dict[str, str]:
    return csv_files(render_statistics(make_environment(site), site))


def test_the_attack_finds_what_subtraction_and_bounds_give_away():
    site = {"statistics/children-by-sex.csv": "Sex,Children\nFemale,withheld\nMale,4\nNot published,0\n",
            "statistics/children-by-outcome.csv": "Outcome,Children\nDied,9\nOther,0\n"}
    assert recoverable(site) == ["statistics/children-by-sex.csv: Female is 5"]  # 9 - 4
    bounds = {"statistics/a/children-by-sex.csv": "Sex,Children\nFemale,3\nMale,2\n",
              "statistics/b/children-by-sex.csv": "Sex,Children\nFemale,fewer than 3\nMale,0\n",
              "statistics/c/children-by-sex.csv": "Sex,Children\nFemale,fewer than 3\nMale,0\n",
              "statistics/children-by-sex.csv": "Sex,Children\nFemale,5\nMale,withheld\n"}
    assert recoverable(bounds) == [  # the case: 5 = 3 plus two "fewer than 3", so each is 1
        "statistics/b/children-by-sex.csv: Female is 1", "statistics/c/children-by-sex.csv: Female is 1",
        "statistics/children-by-sex.csv: Male is 2"]
    safe = {"statistics/children-by-sex.csv": "Sex,Children\nFemale,fewer than 3\nMale,fewer than 3\nNot published,9\n"}
    assert recoverable(safe) == []


def test_no_hidden_count_of_the_example_site_can_be_worked_out():
    site = load_site(REPO).site
    assert len(site.partnerships) > 1  # so the partnerships' files and their sums are in the attack
    files = published(site)
    assert sum("fewer than 3" in text for text in files.values()) >= 5
    assert recoverable(files) == []


def true_values(site) -> dict[str, dict[str, int]]:
    """Every children's chart's true counts, by CSV path, for checking what is shown."""
    whole, parts = statistics.site_statistics(site)
    charts = [*whole, *(chart for part in parts for chart in part.charts)]
    return {c.csv_path: {x.label: x.value for x in c.counts} for c in charts if c.unit == "Children"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """The synthetic reviews of `python -m generator.dev.bench make` (12 partnerships)."""
    root = tmp_path_factory.mktemp("synthetic")
    corpus.make(150, root)
    return load_site(root).site


BANDS = (*statistics.AGE_BANDS, None)
SEXES = ("female", "male", "not published", None)
OUTCOMES = ("died", "seriously harmed", "other", None)


def randomised(site, seed: int):
    """Some of the synthetic reviews, each with one to three random children, and a random threshold."""
    rng = random.Random(seed)
    reviews = rng.sample(site.reviews, rng.randint(3, len(site.reviews)))
    reviews = [replace(r, children=() if r.is_thematic and rng.random() < 0.8 else tuple(
        Child(f"C{i}", age_band=rng.choice(BANDS), sex=rng.choice(SEXES), outcome=rng.choice(OUTCOMES))
        for i in range(rng.choice((1, 1, 1, 2, 3))))) for r in reviews]
    threshold = rng.choice((1, 2, 2, 2, 3, 4))
    return replace(site, reviews=tuple(reviews), settings=replace(site.settings, small_number_threshold=threshold))


@pytest.mark.parametrize("seed", range(12))
def test_no_hidden_count_of_a_randomised_synthetic_site_can_be_worked_out(synthetic, seed):
    site = randomised(synthetic, seed)
    files = published(site)
    assert recoverable(files) == []
    truth, threshold = true_values(site), site.settings.small_number_threshold
    for path, text in files.items():  # and what is shown is true, and every small count is hidden
        for label, shown in list(csv.reader(io.StringIO(text)))[1:] if path in truth else ():
            value = truth[path][label]
            assert shown in (str(value), "withheld", f"fewer than {threshold + 1}"), (path, label)
            assert shown != str(value) or not 1 <= value <= threshold, (path, label)
            assert shown != f"fewer than {threshold + 1}" or 1 <= value <= threshold, (path, label)


def test_without_protection_the_attack_recovers_counts_of_the_randomised_sites(synthetic, monkeypatch):
    """So the attack above means something: with small counts hidden but nothing more withheld,
    it works counts out on most of the same sites."""
    monkeypatch.setattr(statistics, "protect", lambda grid, least: grid)
    given_away = [bool(recoverable(published(randomised(synthetic, seed)))) for seed in range(12)]
    assert sum(given_away) >= 9, given_away
