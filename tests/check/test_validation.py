"""Validation: the exact message and line for each kind of mistake."""
import pytest

from generator.site import load_site
from generator.load.problems import Severity

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
        "briefings/child-z-2024.yml:20: findings[1].themse: unknown field 'themse': did you mean 'themes'? "
        "A misspelt field would be lost, so correct or remove it"]


def test_unknown_theme_suggests_the_nearest(tmp_path):
    text = minimal().replace("themes: [neglect]", "themes: [neglectt, professional curiosity]")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:12: themes[1]: 'neglectt' is not in the theme vocabulary "
        "(briefings/_themes.yml): did you mean 'neglect'?",
        "briefings/child-z-2024.yml:12: themes[2]: 'professional curiosity' is not in the theme vocabulary "
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
        "briefings/child-z-2024.yml:28: timeline[2].date: March 2020 comes after an event dated 2021; "
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
        "briefings/child-z-2024.yml:21: findings[2].number: number 1 is used twice in findings (findings[1], line 17, has it too); "
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
    # its example wording and values are flagged as placeholders to replace (a warning in a draft), nothing else
    assert {p.message.split(" (")[0] for p in result.problems} == {
        "still has the example text from the template: replace it with this review's own words",
        "is still the example's date", "is still the example's list"}
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
        kind = {"_site": "site", "_themes": "themes", "_glossary": "glossary", "_events": "events",
                "_agencies": "agencies"}.get(
            path.stem, "review")
        expected = "_review.schema.json" if kind == "review" else f"../generator/schema/{kind}.schema.json"
        assert first == f"# yaml-language-server: $schema={expected}", path.name  # the site's own schema


# ---------------------------------------------------------------- what check must catch before build

def test_a_note_after_a_choice_or_a_number_is_a_note_but_after_text_it_is_lost_text(tmp_path):
    text = minimal().replace("    age: 9", "    age: 9                 # whole years\n    sex: female   # or male")
    text = text.replace("type: lcspr", "type: lcspr   # a local review")
    text = text.replace("summary: A short summary.", "summary: A short summary of finding #1.")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:12: summary: the text after '#' would be lost: put the value in quotes, "
        "or use '>-'"]


# Each link form the build (MkDocs in strict mode) refuses, and forms it accepts
REFUSED_LINKS = ["[a](a b)", "[b](relative.md)", "[c](../index.md)", "[d](nope/)", "[e](<nope.md>)",
                 "[f](./)", "[g](#nowhere)", "[h](index.md#missing)", "[i](%2e%2e/x)", "[j](.)"]
ACCEPTED_LINKS = ["[a](https://example.org/a%20b)", "[b](https://example.org/a b)", "[c](/reviews/)",
                  "[d](mailto:learning@example.org.uk)", "[e](https://example.org/(p))", "[f]()", "[g](#)",
                  "[h](?x=1)", "[i](HTTPS://EXAMPLE.ORG)", "[j](//example.org/p)", '[k](http://example.org "title")',
                  "[l][g] (a reference definition is shown as text)\n\n  - [g]: nope-ref.md"]


def _with_links(links: list[str]) -> str:
    block = "".join(f"  Link {i}: {link}\n\n" for i, link in enumerate(links))
    return minimal().replace("background: Child Z lived with her mother.", "background: |\n" + block)


def test_every_link_the_build_would_refuse_is_reported_on_its_line(tmp_path):
    found = problems_for(tmp_path, _with_links(REFUSED_LINKS + ACCEPTED_LINKS))
    assert len(found) == len(REFUSED_LINKS)
    for i, problem in enumerate(found):
        assert problem.startswith(f"briefings/child-z-2024.yml:{14 + 2 * i}: background: the link to '")
        assert problem.endswith("write the address in full, starting https://" + (
            " (and write each space in it as %20)" if i == 0 else ""))


def test_the_build_refuses_those_links_and_accepts_the_others(tmp_path, monkeypatch):
    """What check lets through builds in strict mode; what it reports, MkDocs would refuse."""
    import logging

    from conftest import make_buildable
    from generator.check import review as validation
    from generator.output.building import BuildFailed, build

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    accepted = make_buildable(make_project(tmp_path / "accepted", {"child-z-2024.yml": _with_links(ACCEPTED_LINKS)}))
    assert (build(accepted) / "reviews" / "child-z-2024" / "index.html").exists()

    refused = make_buildable(make_project(tmp_path / "refused", {"child-z-2024.yml": _with_links(REFUSED_LINKS)}))
    monkeypatch.setattr(validation, "check_text", lambda doc, kind: [])  # as check was before
    warned: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: warned.append(record.getMessage())
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        with pytest.raises(BuildFailed, match="strict mode"):
            build(refused)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    for link in REFUSED_LINKS:
        target = link.split("](", 1)[1][:-1].replace("<", "&lt;").replace(">", "&gt;")
        if " " in target and not target.startswith("&lt;"):
            continue  # an address with a space is shown as text, not made a link (rendering._TARGET)
        assert any(f"'{target}'" in message for message in warned), link


def test_a_theme_whose_page_would_clash_is_refused(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    themes = tmp_path / "briefings" / "_themes.yml"
    themes.write_text(themes.read_text().replace("themes:\n", "themes:\n  - id: index\n    name: Index\n"
                                                              "    description: All of them.\n"
                                                              "  - id: neglect\n    name: Neglect again\n"
                                                              "    description: Twice.\n", 1))
    first = next(n for n, line in enumerate(themes.read_text().splitlines(), 1) if line == "  - id: neglect")
    again = next(n for n, line in enumerate(themes.read_text().splitlines(), 1)
                 if line == "  - id: neglect" and n > first)
    assert [str(p) for p in load_site(tmp_path).problems] == [
        "briefings/_themes.yml:7: themes[1].id: 'index' is the address of the list of themes; choose another id",
        f"briefings/_themes.yml:{again}: themes[{(again - 7) // 3 + 1}].id: 'neglect' is already the id of the theme "
        f"on line {first}; give each theme its own id"]


def test_lists_nested_too_deep_for_markdown_are_reported_on_their_line(tmp_path):
    deep = "".join("    " * i + "- level\n" for i in range(12))
    text = minimal().replace("what_happened: Things went wrong.", "what_happened: |\n  Before.\n" +
                             "".join("  " + line for line in deep.splitlines(True)))
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:26: what_happened: this line nests lists or quotes 11 deep; a briefing "
        "can show 10 levels at most, so make the list flatter"]
    shallow = text.replace("".join("  " + line for line in deep.splitlines(True)), "  - one\n    - two\n")
    assert problems_for(tmp_path, shallow) == []


def test_a_file_holds_at_most_sixty_thousand_words(tmp_path):
    text = minimal().replace("Things went wrong.", "'" + "word " * 60_001 + "'")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:1: the file holds 60,041 words, more than the 60,000 one file can hold "
        "(the longest overview report we know, pasted whole, has 37,000); keep the briefing's words here and "
        "link the full report"]


def test_a_review_holds_at_most_200_timeline_events(tmp_path):
    events = "".join(f"  - date: 2020\n    event: Event {n}.\n" for n in range(201))
    text = minimal().replace("findings:", "timeline:\n" + events + "findings:")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:16: timeline: takes at most 200 item(s), but found 201"]


def test_max_file_kb_is_at_most_1000(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    settings = tmp_path / "briefings" / "_site.yml"
    settings.write_text(settings.read_text().replace("max_file_kb: 1000", "max_file_kb: 100000"))
    [problem] = load_site(tmp_path).problems
    assert str(problem).endswith(": max_file_kb: found the number 100000; it must be at most 1000")


def test_a_year_from_1950_to_2999_whether_written_as_a_number_or_a_date(tmp_path):
    text = minimal().replace("  published: 2024-01", "  incident: 3000\n  completed: 0000-01\n  published: 2024-01")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:10: dates.incident: found the number 3000; write a year (2020), a month "
        "(2020-04) or a full date (2020-04-15)",
        "briefings/child-z-2024.yml:11: dates.completed: found '0000-01'; the year must be from 1950 to 2999"]


def test_a_paragraph_dense_with_signs_is_refused_before_it_slows_the_build(tmp_path):
    """Python-Markdown's time grows with the square of the signs it shows one by one in a paragraph."""
    dense = "[[[[a" * 500  # 2,000 brackets: the most one paragraph may hold
    text = minimal().replace("what_happened: Things went wrong.",
                             f"what_happened: |\n  Before.\n\n  {dense}\n\n  {dense}[")
    assert problems_for(tmp_path, text) == [
        "briefings/child-z-2024.yml:19: what_happened: this paragraph holds 2,001 of the signs & < > [ ] | ` { }; "
        "a paragraph can hold 2,000 at most, or its page takes minutes to build: split it into shorter paragraphs, "
        "or remove the signs"]
    assert problems_for(tmp_path, text.replace(f"{dense}[", dense)) == []


def test_rendering_a_paragraph_of_the_most_signs_allowed_is_quick():
    """Not a timing: the number of signs rendering shows as references, for the bound above."""
    from generator.pages.environment import safe_markdown

    shown = safe_markdown("[[[[a" * 500)
    assert shown.count("&#91;") == 2_000 and "[" not in shown
    assert safe_markdown("[see [1] here](https://example.org/a_(b))") == \
        "[see &#91;1&#93; here](https://example.org/a_(b))"
