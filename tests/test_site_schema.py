"""The editor an officer writes in: the real yaml-language-server (npm, pinned in package-lock.json),
driven over stdio, with the site schema that `python -m generator schema` writes."""
import json

import pytest
import yaml

from conftest import REPO, make_project, minimal, run_cli
from lsp import LanguageServer

from generator import site_schema

REVIEW = (REPO / "briefings" / "alan-2023.yml").read_text(encoding="utf-8")
THEMES = yaml.safe_load((REPO / "briefings" / "_themes.yml").read_text(encoding="utf-8"))["themes"]


@pytest.fixture(scope="module")
def server():
    ls = LanguageServer(REPO)
    yield ls
    ls.close()


def diagnose(server, name: str, text: str) -> list[tuple[int, str]]:
    """(0-based line, message) for each diagnostic of text opened as briefings/<name>.yml (never written)."""
    found = server.diagnostics(REPO / "briefings" / f"editor-test-{name}.yml", text)
    return sorted((d["range"]["start"]["line"], d["message"]) for d in found)


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines()) if line.startswith(start))


def test_the_committed_site_schema_is_up_to_date():
    assert site_schema.staleness(REPO) == []


def test_every_example_review_and_the_template_have_no_diagnostics(server):
    """The added patterns and conditions must never flag a good file."""
    files = [*sorted((REPO / "briefings").glob("[!_]*.yml")), REPO / "generator" / "templates" / "example-review.yml"]
    assert len(files) >= 11
    for file in files:
        assert diagnose(server, f"good-{file.stem}", file.read_text(encoding="utf-8")) == [], file.name


def test_an_unknown_theme_is_flagged_at_its_line(server):
    text = REVIEW.replace("themes:\n", "themes:\n  - no-such-theme\n", 1)
    assert diagnose(server, "theme", text) == [(line_of(text, "themes:") + 1,
        "This theme is not in briefings/_themes.yml. Choose one of the site's themes "
        "(press Ctrl+Space for the list), or add it to _themes.yml first.")]


def test_themes_are_completed_with_their_names(server):
    text = REVIEW.replace("themes:\n", "themes:\n  - \n", 1)
    path = REPO / "briefings" / "editor-test-complete.yml"
    server.diagnostics(path, text)
    items = server.completions(path, line_of(text, "themes:") + 1, 4)
    offered = {i["label"]: i.get("documentation", {}).get("value") for i in items}
    assert offered == {t["id"]: t["name"] for t in THEMES}


def test_fields_not_yet_written_are_completed_with_their_descriptions(server):
    text = REVIEW.replace("    sex: male\n", "    sex: male\n    \n", 1)
    path = REPO / "briefings" / "editor-test-fields.yml"
    server.diagnostics(path, text)
    items = server.completions(path, line_of(text, "    sex: male") + 1, 4)
    offered = {i["label"]: i.get("documentation", {}).get("value", "") for i in items}
    assert sorted(offered) == ["age_band", "pseudonym_note"]  # the child's other fields are written
    assert offered["age_band"].startswith("Age band at the incident") and "`under 1`" in offered["age_band"]


def test_a_date_in_the_wrong_form_says_what_to_write(server):
    text = REVIEW.replace("published: 2023-06", "published: 14/03/2025", 1)
    assert diagnose(server, "date", text) == [(line_of(text, "  published:"),
        "Write a year (2020), a month (2020-04) or a full date (2020-04-15).")]


def test_an_age_in_the_wrong_form_says_what_to_write(server):
    text = REVIEW.replace("age: 16", "age: 8 days old", 1)
    assert diagnose(server, "age", text) == [(line_of(text, "    age:"),
        "Write whole years (13), or a number of days, weeks or months ('8 months').")]


def test_an_empty_text_field_says_what_to_write(server):
    text = REVIEW.replace('title: "Local child safeguarding practice review: Alan"', "title:", 1)
    assert diagnose(server, "empty", text) == [(line_of(text, "title:"),
        "Write the text here, or remove the field if there is none. To keep a number or yes/no as text, "
        "put it in quotes.")]


def test_hover_shows_what_a_field_is_for_and_its_values(server):
    path = REPO / "briefings" / "editor-test-hover.yml"
    server.diagnostics(path, REVIEW)
    shown = server.hover(path, line_of(REVIEW, "    sex:"), 5)
    assert "The child's sex as the review publishes it" in shown
    assert "`female`" in shown and "`not published`" in shown


def test_a_misspelt_field_gets_did_you_mean(server):
    text = REVIEW.replace("\n    age:", "\n    agee:", 1)
    assert diagnose(server, "agee", text) == [(line_of(text, "    agee:"),
        "Unknown field: did you mean 'age'? A misspelt field would be lost, so correct it.")]


def test_a_misspelt_required_field_is_named_missing_and_suggested(server):
    text = REVIEW.replace("\nsummary:", "\nsumary:", 1)
    messages = [m for _, m in diagnose(server, "sumary", text)]
    assert messages == ['Missing property "summary".',
                        "Unknown field: did you mean 'summary'? A misspelt field would be lost, so correct it."]


def test_one_tab_does_not_report_every_field_below_it_missing(server):
    text = REVIEW.replace("\n    age: 16", "\n\tage: 16", 1)
    messages = [m for _, m in diagnose(server, "tab", text)]
    assert "Tabs are not allowed as indentation" in messages
    assert not [m for m in messages if m.startswith("Missing property")]
    assert [m for m in messages if m.startswith("Several required fields are missing.")] != []
    assert len(messages) == 7  # was 15 with the plain schema: 5 from the YAML parser, 1 here, 1 summary


def test_a_misspelling_pattern_never_matches_a_real_field():
    import re

    schema = site_schema.build(REPO)
    objects = [schema, *schema["$defs"].values()]
    for node in objects:
        for pattern in node.get("patternProperties", {}):
            assert not [f for f in node["properties"] if re.search(pattern, f)], pattern


def test_check_warns_when_the_site_schema_is_out_of_date_and_schema_mends_it(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": "# yaml-language-server: $schema=_review.schema.json\n" + minimal(published="2026-01")})
    missing = run_cli(tmp_path, "check")
    assert missing.returncode == 0
    assert ("briefings/_review.schema.json: warning: is missing, so the editor cannot check review files or "
            "offer themes; run: python -m generator schema") in missing.stderr

    assert run_cli(tmp_path, "schema").returncode == 0
    assert run_cli(tmp_path, "check", "--strict").stderr == ""

    themes = tmp_path / "briefings" / "_themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8") + "  - id: new-theme\n    name: A new theme\n"
                      "    description: Added after the schema was written.\n", encoding="utf-8")
    stale = run_cli(tmp_path, "check", "--strict")
    assert stale.returncode == 1
    assert "briefings/_review.schema.json: warning: is out of date with briefings/_themes.yml" in stale.stderr
    assert run_cli(tmp_path, "schema").returncode == 0
    written = json.loads((tmp_path / "briefings" / "_review.schema.json").read_text(encoding="utf-8"))
    assert "new-theme" in written["$defs"]["themes"]["items"]["enum"]


def test_schema_with_a_broken_theme_file_says_so_without_a_traceback(tmp_path):
    make_project(tmp_path)
    (tmp_path / "briefings" / "_themes.yml").write_text("themes: [\n", encoding="utf-8")
    result = run_cli(tmp_path, "schema")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("briefings/_review.schema.json was not written: briefings/_themes.yml "
                                    "could not be read (it is not valid YAML).")


def test_new_writes_the_site_schema_its_file_points_to(tmp_path):
    make_project(tmp_path)
    assert run_cli(tmp_path, "new", "Child Y", "--year", "2025").returncode == 0
    assert site_schema.staleness(tmp_path) == []
    assert (tmp_path / "briefings" / "_review.schema.json").exists()


AGENCIES = yaml.safe_load((REPO / "briefings" / "_agencies.yml").read_text(encoding="utf-8"))["agencies"]
PATRICIA = (REPO / "briefings" / "patricia-2020.yml").read_text(encoding="utf-8")


def test_an_unknown_agency_is_flagged_at_its_line_and_an_alias_is_not(server):
    owner = "        owner: childrens-social-care\n"
    assert owner in PATRICIA
    unknown = PATRICIA.replace(owner, "        owner: Ministry of Magic\n", 1)
    assert diagnose(server, "agency", unknown) == [(line_of(unknown, "        owner: Ministry"),
        "This agency is not in briefings/_agencies.yml. Choose one of the site's agencies (press Ctrl+Space "
        "for the list), or add it, or this spelling as an alias, to _agencies.yml first.")]
    alias = PATRICIA.replace(owner, "        owner: police  (CONSTABULARY)\n", 1)
    assert diagnose(server, "agency-alias", alias) == []  # check accepts it, whatever its case


def test_agencies_are_completed_with_their_names(server):
    text = PATRICIA.replace("        owner: childrens-social-care\n", "        owner: \n", 1)
    path = REPO / "briefings" / "editor-test-agency-complete.yml"
    server.diagnostics(path, text)
    items = server.completions(path, line_of(text, "        owner: "), 15)
    offered = {i["label"]: i.get("documentation", {}).get("value") for i in items}
    assert offered == {a["id"]: a["name"] for a in AGENCIES}  # each once: no alias is offered


def test_a_new_agency_makes_the_site_schema_out_of_date_and_schema_adds_it(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": "# yaml-language-server: $schema=_review.schema.json\n" + minimal(published="2026-01")})
    agencies = tmp_path / "briefings" / "_agencies.yml"
    agencies.write_text("agencies:\n  - id: police\n    name: Police\n", encoding="utf-8")
    assert run_cli(tmp_path, "schema").returncode == 0
    assert run_cli(tmp_path, "check", "--strict").stderr == ""
    agencies.write_text(agencies.read_text(encoding="utf-8") + "  - id: housing\n    name: Housing\n"
                        "    aliases: [Housing services]\n", encoding="utf-8")
    stale = run_cli(tmp_path, "check", "--strict")
    assert "briefings/_review.schema.json: warning: is out of date with briefings/_themes.yml, _agencies.yml" in stale.stderr
    assert run_cli(tmp_path, "schema").returncode == 0
    choice = json.loads((tmp_path / "briefings" / "_review.schema.json").read_text(encoding="utf-8"))["$defs"]["agency"]
    assert choice["anyOf"][0]["enum"] == ["police", "housing"]
    assert choice["anyOf"][0]["enumDescriptions"] == ["Police", "Housing"]
    assert "[hH][oO][uU][sS][iI][nN][gG] +[sS][eE][rR][vV][iI][cC][eE][sS]" in choice["anyOf"][1]["pattern"]
