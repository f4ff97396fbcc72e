"""The command line, run as an officer runs it: exit codes and the messages printed."""
from conftest import make_buildable, make_project, minimal, run_cli


def test_check_clean_exits_0(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    result = run_cli(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "All good: 1 review ready to publish." in result.stdout


def test_check_reports_unknown_field_duplicate_key_and_unknown_theme_with_lines(tmp_path):
    text = minimal().replace("summary: A short summary.", "summary: A short summary.\nsumary: typo")
    text = text.replace("themes: [neglect]", "themes: [neglect, nglect]\ntitle: Again")
    make_project(tmp_path, {"child-z-2024.yml": text})
    result = run_cli(tmp_path, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "briefings/child-z-2024.yml:12: sumary: unknown field 'sumary': did you mean 'summary'? "
        "A misspelt field would be lost, so correct or remove it",
        "briefings/child-z-2024.yml:13: themes[1]: 'nglect' is not in the theme vocabulary "
        "(briefings/_themes.yml): did you mean 'neglect'?",
        "briefings/child-z-2024.yml:14: title: this field appears twice (first on line 3); YAML would keep only "
        "the last one, so merge them or delete one",
        "3 errors, 0 warnings.",
    ]
    assert "Traceback" not in result.stderr


def test_check_named_files_only(tmp_path):
    make_project(tmp_path, {"good.yml": minimal(id="good"), "bad.yml": "id: [\n"})
    (tmp_path / "outside.yml").write_text(minimal(id="outside"))
    assert run_cli(tmp_path, "check", "briefings/good.yml").returncode == 0
    assert run_cli(tmp_path, "check", "outside.yml").returncode == 0
    result = run_cli(tmp_path, "check", "briefings/bad.yml")
    assert result.returncode == 1 and result.stderr.startswith("briefings/bad.yml:")


def test_check_lists_held_back_reviews(tmp_path):
    make_project(tmp_path, {"a.yml": minimal(id="review-a", status="draft"), "b.yml": minimal(id="review-b", published="2999-01")})
    result = run_cli(tmp_path, "check")
    assert result.returncode == 0
    assert "briefings/a.yml: held back, not published: draft" in result.stdout
    assert "briefings/b.yml: held back, not published: embargoed until 2999-01-01" in result.stdout


def test_check_takes_the_same_date_as_the_build_so_a_preview_of_an_embargo_agrees(tmp_path):
    make_project(tmp_path, {"b.yml": minimal(id="review-b", published="2999-01")})
    result = run_cli(tmp_path, "check", env={"BRIEFINGS_TODAY": "2999-01-02"})
    assert result.returncode == 0 and "held back" not in result.stdout


def test_usage_errors_exit_2(tmp_path):
    make_project(tmp_path)
    assert run_cli(tmp_path, "frobnicate").returncode == 2
    assert run_cli(tmp_path, "check", "no-such-file.yml").returncode == 2


def test_strict_makes_warnings_fail(tmp_path):
    long_text = " ".join(["word"] * 1500)
    make_project(tmp_path, {"child-z-2024.yml": minimal().replace("Things went wrong.", long_text)})
    assert run_cli(tmp_path, "check").returncode == 0
    assert run_cli(tmp_path, "check", "--strict").returncode == 1


def test_build_checks_each_file_once_and_the_hook_takes_what_the_check_read(tmp_path, monkeypatch, capsys):
    from generator import cli, pipeline
    from generator.incremental import SESSION

    make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    checked = []
    original = pipeline.FileChecks.review
    monkeypatch.setattr(pipeline.FileChecks, "review",
                        lambda self, path, display: checked.append(display) or original(self, path, display))
    assert cli.main(["build"]) == 0, capsys.readouterr().err
    assert (tmp_path / "site" / "reviews" / "child-z-2024" / "index.html").exists()
    assert checked == ["briefings/child-z-2024.yml"]  # by the check, and not again by the hook
    assert SESSION.reuse_documents is False and SESSION.documents.entries == {}  # nothing kept after
