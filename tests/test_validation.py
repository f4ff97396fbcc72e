"""Validation: the exact message and line for each kind of mistake."""
from generator.pipeline import load_site
from generator.problems import Severity

from conftest import make_project, minimal


def problems_for(tmp_path, text, name="child-z-2024.yml"):
    make_project(tmp_path, {name: text})
    return [str(p) for p in load_site(tmp_path).problems]


def test_a_valid_review_has_no_problems(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    result = load_site(tmp_path)
    assert result.problems == []
    assert [r.id for r in result.site.reviews] == ["child-z-2024"]


def test_unknown_field_suggests_the_right_one(tmp_path):
    text = minimal().replace("summary: A short summary.", "summry: A short summary.")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:1: summary: is missing; add 'summary:' with a line of text",
        "briefings/child-z-2024.yml:11: summry: unknown field 'summry': did you mean 'summary'? "
        "A misspelt field would be lost, so correct or remove it",
    ]


def test_unknown_field_inside_a_finding_names_its_path(tmp_path):
    text = minimal().replace("    themes: [information-sharing]", "    themse: [information-sharing]")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:20: findings[0].themse: unknown field 'themse': did you mean 'themes'? "
        "A misspelt field would be lost, so correct or remove it"]


def test_unknown_theme_suggests_the_nearest(tmp_path):
    text = minimal().replace("themes: [neglect]", "themes: [neglectt, professional curiosity]")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:12: themes[0]: 'neglectt' is not in the theme vocabulary "
        "(briefings/_themes.yml): did you mean 'neglect'?",
        "briefings/child-z-2024.yml:12: themes[1]: 'professional curiosity' is not in the theme vocabulary "
        "(briefings/_themes.yml): did you mean 'professional-curiosity'?",
    ]


def test_wrong_choice_lists_the_choices(tmp_path):
    text = minimal().replace("type: lcspr", "type: lcpsr")
    [problem] = problems_for(tmp_path, text)
    assert problem.startswith("briefings/child-z-2024.yml:4: type: found 'lcpsr': did you mean 'lcspr'? "
                              "Use one of: lcspr, cspr, scr, rapid-review, ")


def test_yes_no_in_a_text_field_is_flagged_not_turned_into_true(tmp_path):
    text = minimal().replace("what_happened: Things went wrong.", "what_happened: no")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:14: what_happened: expected text, but found 'no', which YAML reads as false; "
        "put the value in quotes to keep it as text"]


def test_number_where_text_is_expected(tmp_path):
    text = minimal().replace("summary: A short summary.", "summary: 2020")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:11: summary: expected text, but found the number 2020; "
        "put it in quotes if it is meant as text"]


def test_badly_written_date(tmp_path):
    text = minimal().replace("dates:\n", "dates:\n  incident: March 2023\n")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:10: dates.incident: found 'March 2023'; write a year (2020), "
        "a month (2020-04) or a full date (2020-04-15)"]


def test_impossible_date(tmp_path):
    assert problems_for(tmp_path, minimal(published="2024-02-30")) == [
        "briefings/child-z-2024.yml:10: dates.published: found '2024-02-30'; February 2024 has no day 30"]


def test_dates_out_of_order(tmp_path):
    text = minimal(published="2021-05").replace("dates:\n", "dates:\n  incident: 2022-01\n")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:11: dates.published: May 2021 is before the incident date (January 2022); "
        "check both dates"]


def test_timeline_out_of_order(tmp_path):
    text = minimal() + "timeline:\n  - date: 2021\n    event: A\n  - date: 2020-03\n    event: B\n"
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:28: timeline[1].date: March 2020 comes after an event dated 2021; "
        "list events oldest first"]


def test_same_id_in_two_files_names_both(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal(), "copy.yml": minimal()})
    problems = [str(p) for p in load_site(tmp_path).problems if p.severity is Severity.ERROR]
    assert problems == ["briefings/copy.yml:1: id: 'child-z-2024' is already the id of briefings/child-z-2024.yml; "
                        "every review needs its own id"]


def test_id_with_path_characters_is_refused(tmp_path):
    text = minimal(id="../Child Z")
    assert problems_for(tmp_path, text)[0] == (
        "briefings/child-z-2024.yml:1: id: found '../Child Z'; use lower-case letters, digits and single "
        "hyphens only, e.g. child-x-2025")


def test_same_finding_number_twice(tmp_path):
    text = minimal().replace("practice_points:", "  - number: 1\n    title: Again\n    summary: S.\npractice_points:")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:21: findings[1].number: number 1 is used twice in findings (also item 1); "
        "each needs its own number because links to it use the number"]


def test_a_review_of_a_child_needs_a_pseudonym(tmp_path):
    text = minimal().replace("children:\n  - pseudonym: Child Z\n    age: 9\n", "")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:4: children: is missing; a review of a child's case needs the child's "
        "published pseudonym under 'children:' (only thematic reviews and audits may leave it out)"]


def test_file_that_is_not_a_review(tmp_path):
    assert problems_for(tmp_path, "- a\n- b\n") == [
        "briefings/child-z-2024.yml:1: expected the file to hold fields such as 'id: ...', but found a list"]


def test_all_problems_in_all_files_at_once(tmp_path):
    bad = minimal().replace("summary: A short summary.", "summry: x")
    make_project(tmp_path, {"a.yml": bad.replace("child-z-2024", "a"), "b.yml": "id: [\n"})
    files = {p.file for p in load_site(tmp_path).problems}
    assert files == {"briefings/a.yml", "briefings/b.yml"}


def test_seven_minute_budget_is_a_warning_naming_the_longest_section(tmp_path):
    long_text = " ".join(["word"] * 1500)
    text = minimal().replace("what_happened: Things went wrong.", f"what_happened: {long_text}")
    [problem] = load_site(make_project(tmp_path, {"child-z-2024.yml": text})).problems
    assert problem.severity is Severity.WARNING
    assert str(problem) == (
        "briefings/child-z-2024.yml:13: warning: the seven-minute briefing has 1,530 words, over the 1,400 that "
        "can be read in 7 minutes at 200 words a minute; the longest section is 2 'What happened' (1,500 words)")


def test_drafts_withdrawn_and_embargoed_reviews_are_held_back(tmp_path):
    import datetime as dt

    make_project(tmp_path, {
        "a.yml": minimal(id="review-a", status="draft"),
        "b.yml": minimal(id="review-b", status="withdrawn"),
        "c.yml": minimal(id="review-c", published="2030-06-01"),
        "d.yml": minimal(id="review-d"),
    })
    site = load_site(tmp_path, today=dt.date(2026, 11, 23)).site
    assert [r.id for r in site.reviews] == ["review-d"]
    assert [(h.id, h.reason) for h in site.held_back] == [
        ("review-a", "draft"), ("review-b", "withdrawn"), ("review-c", "embargoed until 2030-06-01")]
    later = load_site(tmp_path, today=dt.date(2030, 6, 1)).site
    assert [r.id for r in later.reviews] == ["review-c", "review-d"]


def test_the_annotated_example_is_valid(tmp_path):
    from conftest import REPO

    example = (REPO / "generator" / "templates" / "example-review.yml").read_text()
    make_project(tmp_path, {"child-x-2025.yml": example})
    result = load_site(tmp_path)
    # its example wording is flagged as placeholders to replace (a warning in a draft), nothing else
    assert {p.message for p in result.problems} == {"still has the example text from the template: replace it with this review's own words"}
    assert {p.severity.value for p in result.problems} == {"warning"}
    assert [h.id for h in result.site.held_back] == ["child-x-2025"]


def test_every_example_briefing_is_valid_and_within_budget():
    from conftest import REPO

    result = load_site(REPO)
    assert [str(p) for p in result.problems] == []
    assert len(result.site.reviews) >= 10


def test_every_file_in_briefings_points_editors_to_its_schema():
    from conftest import REPO

    for path in sorted((REPO / "briefings").glob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = {"_site": "site", "_themes": "themes", "_glossary": "glossary", "_events": "events"}.get(
            path.stem, "review")
        assert first == f"# yaml-language-server: $schema=../generator/schema/{kind}.schema.json", path.name
