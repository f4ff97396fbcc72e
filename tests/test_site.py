"""load_site (generator/site.py): briefings/ to a Site and every problem at once, held-back reviews
kept only as an id and a reason, and `check FILE` speaking of that file alone."""
import datetime as dt

from generator.site import load_site

from conftest import make_project, minimal

JANUARY = dt.date(2024, 1, 31)


def test_a_project_without_a_briefings_folder_is_told_so(tmp_path):
    result = load_site(tmp_path, today=JANUARY)
    assert result.site is None and not result.ok
    assert [str(p) for p in result.problems] == [f"briefings: there is no briefings folder in {tmp_path}"]


def test_every_missing_data_file_is_named_at_once(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    for name in ("_site.yml", "_glossary.yml"):
        (tmp_path / "briefings" / name).unlink()
    result = load_site(tmp_path, today=JANUARY)
    assert result.site is None
    assert [str(p) for p in result.problems] == ["briefings/_glossary.yml: is missing; the site needs its glossary file",
                                                 "briefings/_site.yml: is missing; the site needs its site file"]


def test_published_reviews_come_newest_first_and_held_back_ones_leave_only_their_reason(tmp_path):
    make_project(tmp_path, {
        "child-a-2022.yml": minimal("child-a-2022", published="2022-06"),
        "child-b-2023.yml": minimal("child-b-2023", published="2023-11"),
        "child-c-2024.yml": minimal("child-c-2024", status="draft"),
        "child-d-2024.yml": minimal("child-d-2024", published="2024-03"),
    })
    result = load_site(tmp_path, today=JANUARY)
    assert result.ok, result.problems
    assert [r.id for r in result.site.reviews] == ["child-b-2023", "child-a-2022"]
    assert {(h.id, h.source, h.reason) for h in result.site.held_back} == {
        ("child-c-2024", "briefings/child-c-2024.yml", "draft"),
        ("child-d-2024", "briefings/child-d-2024.yml", "embargoed until 2024-03-01")}
    assert load_site(tmp_path, today=dt.date(2024, 3, 1)).site.reviews[0].id == "child-d-2024"  # the embargo lifts


def test_a_theme_only_held_back_reviews_use_stays_off_the_site(tmp_path):
    draft = minimal("child-c-2024", status="draft").replace("themes: [neglect]", "themes: [domestic-abuse]")
    make_project(tmp_path, {"child-z-2024.yml": minimal(), "child-c-2024.yml": draft})
    themes = {t.id for t in load_site(tmp_path, today=JANUARY).site.themes}
    assert "neglect" in themes and "domestic-abuse" not in themes


def test_a_wrong_build_date_is_reported_with_the_other_problems(tmp_path, monkeypatch):
    make_project(tmp_path, {"child-z-2024.yml": minimal().replace("type: lcspr", "type: lcsp")})
    monkeypatch.setenv("BRIEFINGS_TODAY", "31/01/2024")
    problems = [str(p) for p in load_site(tmp_path).problems]
    assert problems[0] == ("BRIEFINGS_TODAY: found '31/01/2024', which is not a date; write the date as YYYY-MM-DD "
                           "(such as 2026-03-14), or unset it to use today's date")
    assert any(p.startswith("briefings/child-z-2024.yml:4: type:") for p in problems), problems


def test_checking_one_file_reports_that_files_problems_alone(tmp_path):
    make_project(tmp_path, {"child-y-2024.yml": minimal("child-y-2024").replace("type: lcspr", "type: lcsp"),
                            "child-z-2024.yml": minimal().replace("type: lcspr", "type: lcsp")})
    everything = {p.file for p in load_site(tmp_path, today=JANUARY).problems}
    assert everything == {"briefings/child-y-2024.yml", "briefings/child-z-2024.yml"}
    one = load_site(tmp_path, today=JANUARY, only=[tmp_path / "briefings" / "child-z-2024.yml"])
    assert {p.file for p in one.problems} == {"briefings/child-z-2024.yml"} and one.site is None
