"""`python -m generator new`: a review file from the annotated example, ready to fill in."""
import re

import yaml

from generator.check.placeholders import EXAMPLE, _placeholders

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


def test_check_lists_every_placeholder_until_it_is_filled_and_then_passes(tmp_path):
    make_project(tmp_path)
    assert run_cli(tmp_path, "new", "Child Y", "--year", "2025").returncode == 0
    path = tmp_path / "briefings" / "child-y-2025.yml"

    draft = run_cli(tmp_path, "check", "--strict", "briefings/child-y-2025.yml")
    assert draft.returncode == 1
    flagged = re.findall(r"^briefings/child-y-2025.yml:\d+: warning: (\S+): still has the example text", draft.stderr, re.M)
    assert len(flagged) == len(_placeholders()) and "summary" in flagged and "questions[0]" in flagged

    text = path.read_text(encoding="utf-8").replace("status: draft", "status: published")
    path.write_text(text, encoding="utf-8")
    published = run_cli(tmp_path, "check")
    assert published.returncode == 1
    line = [n for n, text in enumerate(text.splitlines(), 1) if text.startswith("summary:")][0]
    assert re.search(rf"^briefings/child-y-2025.yml:{line}: summary: still has the example text", published.stderr, re.M)

    for n, (_, placeholder) in enumerate(_placeholders()):
        text = text.replace(placeholder, f"Written by the officer, part {n}.", 1)
    path.write_text(text, encoding="utf-8")
    filled = run_cli(tmp_path, "check", "--strict", "briefings/child-y-2025.yml")
    assert filled.returncode == 0, filled.stderr
    assert filled.stderr == "" and "All good: 1 review ready to publish." in filled.stdout
