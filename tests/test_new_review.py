"""`python -m generator new`: a review file from the annotated example, ready to fill in."""
import re

import yaml

from generator.check.placeholders import EXAMPLE

from conftest import make_project, minimal, run_cli


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "#" in line and line.strip().startswith("#")]


def test_new_makes_a_draft_with_a_fresh_id_and_every_guidance_comment(tmp_path):
    make_project(tmp_path)
    result = run_cli(tmp_path, "new", "Child Zoë", "--year", "2025")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "briefings" / "child-zoe-2025.yml"
    assert "Created briefings/child-zoe-2025.yml" in result.stdout
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["id"] == "child-zoe-2025" and data["status"] == "draft"
    assert data["children"][0]["pseudonym"] == "Child Zoë"
    assert data["title"] == "Local child safeguarding practice review: Child Zoë"
    assert data["partnership"] == "Example Safeguarding Children Partnership"  # from briefings/_site.yml
    assert data["contact"] == "learning@example.org.uk"
    assert text.splitlines()[0] == "# yaml-language-server: $schema=_review.schema.json"
    assert comments(text) == comments(EXAMPLE.read_text(encoding="utf-8"))
    assert set(data) == set(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))  # every section present


def test_new_never_reuses_an_id_or_overwrites_a_file(tmp_path):
    make_project(tmp_path, {"someone-else.yml": minimal(id="child-y-2024"), "child-y-2024-2.yml": minimal(id="other")})
    result = run_cli(tmp_path, "new", "Child Y", "--year", "2024")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "briefings" / "child-y-2024-3.yml").exists()
    assert yaml.safe_load((tmp_path / "briefings" / "child-y-2024-2.yml").read_text())["id"] == "other"


def test_new_quotes_a_pseudonym_that_yaml_would_misread(tmp_path):
    make_project(tmp_path)
    assert run_cli(tmp_path, "new", "Child A: 'B' # 2", "--year", "2023", "--type", "scr").returncode == 0
    data = yaml.safe_load((tmp_path / "briefings" / "child-a-b-2-2023.yml").read_text(encoding="utf-8"))
    assert data["children"][0]["pseudonym"] == "Child A: 'B' # 2"
    assert data["title"] == "Serious case review: Child A: 'B' # 2" and data["type"] == "scr"


def test_new_refuses_a_pseudonym_with_no_letters(tmp_path):
    make_project(tmp_path)
    result = run_cli(tmp_path, "new", "!!", "--year", "2025")
    assert result.returncode == 2
    assert result.stderr == "Nothing was created: the pseudonym '!!' needs at least one letter or digit to make an id.\n"
    assert not list((tmp_path / "briefings").glob("*-2025.yml"))


# Every value the example gives that an officer must replace, as `check` names it (written out
# here, not read from the code, so a value the check stops catching fails this test).
LEFTOVERS = {
    "partnership", "reviewers[1]", "dates.incident", "dates.completed", "dates.signed_off",
    "dates.published", "summary", "themes", "background", "what_happened", "why_it_matters",
    "timeline[1].event", "timeline[2].event", "findings[1].title", "findings[1].summary",
    "findings[1].detail", "findings[1].response", "findings[1].actions[1].action", "learning[1].text", "good_practice[1].text",
    "recommendations[1].text", "practice_points[1]", "questions[1]", "facilitator_notes",
}
# What may stay as the example has it: written by `new` for this review, or a real answer.
WRITTEN_BY_NEW = {"id", "status", "type", "title", "children[1].pseudonym", "contact"}
REAL_ANSWERS = {"publication.briefing_only", "further_reading[1].title", "further_reading[1].url"}
TODAY = {"BRIEFINGS_TODAY": "2026-01-15"}


def published_unedited(tmp_path) -> tuple[str, str]:
    """A review made by `new` with only its status changed: its text, and `check`'s output."""
    make_project(tmp_path)
    assert run_cli(tmp_path, "new", "Child Y", "--year", "2025").returncode == 0
    path = tmp_path / "briefings" / "child-y-2025.yml"
    text = path.read_text(encoding="utf-8").replace("status: draft", "status: published", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli(tmp_path, "check", env=TODAY)
    assert result.returncode == 1
    return text, result.stderr


def flagged(stderr: str) -> dict[str, int]:
    """Each field `check` names as example text or an example value, with its line."""
    found = re.findall(r"^briefings/child-y-2025.yml:(\d+): (?:warning: )?(\S+): "
                       r"(?:still has the example text|is still the example's)", stderr, re.M)
    return {field: int(line) for line, field in found}


def leaves(data, path=""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list) and path not in ("themes", "agencies", "harm", "content_notes"):
        for i, value in enumerate(data, 1):
            yield from leaves(value, f"{path}[{i}]")
    else:
        yield path, data


def test_a_review_made_by_new_and_published_unedited_fails_naming_each_leftover_with_its_line(tmp_path):
    text, stderr = published_unedited(tmp_path)
    found = flagged(stderr)
    assert set(found) == LEFTOVERS
    lines = text.splitlines()
    for field, line in found.items():  # the line named is the line that holds the value
        key = re.sub(r"\[\d+\]$", "", field).rsplit(".", 1)[-1]
        written = lines[line - 1].strip()
        assert written.startswith((f"{key}:", f"- {key}:")) or (field.endswith("]") and written.startswith("- ")), (field, written)
    assert "still has the example text" in stderr.splitlines()[0] and "error" in stderr.splitlines()[-1]


def test_no_value_of_the_example_reaches_a_page_unflagged(tmp_path):
    """Every value the new file shares with the example is flagged, is in a flagged item (a
    finding's status goes with its text), is written by `new`, or is a real answer."""
    text, stderr = published_unedited(tmp_path)
    found = flagged(stderr)
    example = dict(leaves(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))))
    for field, value in leaves(yaml.safe_load(text)):
        if example.get(field) != value or field in WRITTEN_BY_NEW | REAL_ANSWERS or field.endswith(".number"):
            continue
        items = [field[:m.end()] + "." for m in re.finditer(r"\]", field)]  # findings[1]. and so on
        assert field in found or any(f.startswith(item) for item in items for f in found), field
    # the facts that are often truly the example's are notes to fill in, never written for the officer
    data = yaml.safe_load(text)
    assert set(data["children"][0]) == {"pseudonym"} and not {"harm", "content_notes", "agencies"} & set(data)
    assert "# sex: female" in text and "# content_notes: [neglect]" in text


def test_a_draft_from_new_lists_its_leftovers_as_warnings(tmp_path):
    make_project(tmp_path)
    assert run_cli(tmp_path, "new", "Child Y", "--year", "2025").returncode == 0
    draft = run_cli(tmp_path, "check", "--strict", "briefings/child-y-2025.yml", env=TODAY)
    assert draft.returncode == 1
    assert set(flagged(draft.stderr)) == LEFTOVERS
    assert all(": warning: " in line for line in draft.stderr.splitlines() if "example" in line)


def _set(data, field: str, value) -> None:
    parts = [int(p) - 1 if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", field)]
    for part in parts[:-1]:
        data = data[part]
    data[parts[-1]] = value


def test_once_every_leftover_is_replaced_check_passes(tmp_path):
    """Rewritten texts, this review's themes, and the example's months given in full
    (the way to keep a date that really is the example's) all pass."""
    text, stderr = published_unedited(tmp_path)
    data = yaml.safe_load(text)
    for n, field in enumerate(sorted(flagged(stderr))):
        if field.startswith("dates."):
            _set(data, field, f"{data['dates'][field.split('.')[1]]}-14")
        elif field == "themes":
            _set(data, field, ["neglect", "professional-curiosity"])
        else:
            _set(data, field, f"Written by the officer, part {n}.")
    path = tmp_path / "briefings" / "child-y-2025.yml"
    path.write_text(text.splitlines()[0] + "\n" + yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    filled = run_cli(tmp_path, "check", "--strict", "briefings/child-y-2025.yml", env=TODAY)
    assert filled.returncode == 0, filled.stderr
    assert filled.stderr == "" and "All good: 1 review ready to publish." in filled.stdout


def test_one_date_that_happens_to_be_the_examples_month_is_not_flagged(tmp_path):
    """A review really published in March 2025 keeps its date; two of the example's dates are flagged."""
    text, _ = published_unedited(tmp_path)
    path = tmp_path / "briefings" / "child-y-2025.yml"
    for incident, completed, signed_off, flagged_dates in (
            ("2023-06", "2024-11", "2024-12", set()),               # only published is the example's
            ("2023-06", "2024-11", "2025-02", {"dates.signed_off", "dates.published"})):
        edited = (text.replace("incident: 2024-03", f"incident: {incident}")
                      .replace("completed: 2025-01", f"completed: {completed}")
                      .replace("signed_off: 2025-02", f"signed_off: {signed_off}"))
        path.write_text(edited, encoding="utf-8")
        found = flagged(run_cli(tmp_path, "check", env=TODAY).stderr)
        assert {f for f in found if f.startswith("dates.")} == flagged_dates
