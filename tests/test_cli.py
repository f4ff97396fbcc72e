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
        "briefings/child-z-2024.yml:13: themes[2]: 'nglect' is not in the theme vocabulary "
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


def test_a_second_check_takes_every_unchanged_file_from_the_cache(tmp_path, monkeypatch, capsys):
    from generator import cli
    from generator import site as pipeline

    make_project(tmp_path, {"child-z-2024.yml": minimal(), "child-y-2024.yml": minimal("child-y-2024")})
    monkeypatch.chdir(tmp_path)
    checked = []
    original = pipeline.FileChecks.review
    monkeypatch.setattr(pipeline.FileChecks, "review",
                        lambda self, path, display, data=None: checked.append(display) or original(self, path, display, data))
    assert cli.main(["check"]) == 0
    assert sorted(checked) == ["briefings/child-y-2024.yml", "briefings/child-z-2024.yml"]
    first = capsys.readouterr()
    checked.clear()
    (tmp_path / "briefings" / "child-y-2024.yml").write_text(minimal("child-y-2024").replace("A short summary.", "Edited."))
    assert cli.main(["check"]) == 0
    assert checked == ["briefings/child-y-2024.yml"]  # from .cache/checked/: the file that did not change
    assert capsys.readouterr() == first


def test_build_checks_each_file_once_and_the_hook_takes_what_the_check_read(tmp_path, monkeypatch, capsys):
    import gc
    import weakref

    from generator import cli
    from generator import site as pipeline
    from generator.adapter import checked_files, plugin

    make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    checked = []
    original = pipeline.FileChecks.review
    monkeypatch.setattr(pipeline.FileChecks, "review",
                        lambda self, path, display, data=None: checked.append(display) or original(self, path, display, data))
    handed = []  # the checked files the CLI hands to the build

    class Watched(checked_files.DocumentCache):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            handed.append(weakref.ref(self))
    monkeypatch.setattr(checked_files, "DocumentCache", Watched)
    held_at_the_end = []
    index_site = plugin.index_site

    def index_and_look(*args, **kwargs):  # the build's last step: are the checked files still held?
        gc.collect()
        held_at_the_end.append(handed[0]() is not None)
        return index_site(*args, **kwargs)
    monkeypatch.setattr(plugin, "index_site", index_and_look)
    assert cli.main(["build"]) == 0, capsys.readouterr().err
    assert (tmp_path / "site" / "reviews" / "child-z-2024" / "index.html").exists()
    assert checked == ["briefings/child-z-2024.yml"]  # by the check, and not again by the hook
    assert len(handed) == 1 and held_at_the_end == [False]  # the build took them, and let go of them


def test_the_build_takes_the_checks_result_and_does_not_model_the_site_again(tmp_path, monkeypatch, capsys):
    from generator import cli
    from generator.adapter import plugin

    make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    loads = []
    original = plugin.load_site
    monkeypatch.setattr(plugin, "load_site", lambda *a, **k: loads.append(a) or original(*a, **k))
    assert cli.main(["build"]) == 0, capsys.readouterr().err
    assert loads == []  # the hook built the site the CLI had checked
    assert "child-z-2024" in (tmp_path / "site" / "reviews" / "child-z-2024" / "index.html").read_text()
    # a build the CLI did not start (mkdocs build, serve) checks the files itself: the plugin
    # no longer holds the CLI's check
    from generator.output.building import build
    build(tmp_path)
    assert len(loads) == 1


def test_a_typo_in_briefings_today_is_a_plain_message_for_check_and_build(tmp_path):
    make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    message = ("BRIEFINGS_TODAY: found '2026-13-01', which is not a date; write the date as YYYY-MM-DD "
               "(such as 2026-03-14), or unset it to use today's date")
    for command in ("check", "build"):
        result = run_cli(tmp_path, command, env={"BRIEFINGS_TODAY": "2026-13-01"})
        assert result.returncode == 1
        assert result.stderr.splitlines()[0] == message
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_denylist_file_not_in_utf8_names_its_line_but_never_the_term(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    terms = tmp_path / "terms.txt"
    terms.write_bytes("Smith\nZoë Marrowby\n".encode("cp1252"))  # as Notepad saves it in Windows-1252
    result = run_cli(tmp_path, "check", env={"BRIEFINGS_DENYLIST_FILE": str(terms)})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{terms}:2: this line has characters that are not UTF-8 (the file may be saved as Windows-1252 or "
        "ANSI); save it as UTF-8 in your editor",
        "1 error, 0 warnings."]
    assert "Marrowby" not in result.stderr + result.stdout


def test_a_denylist_that_is_a_pipe_or_a_folder_is_refused_without_waiting(tmp_path):
    import os

    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    os.mkfifo(tmp_path / "pipe")
    for name in ("pipe", "briefings"):
        result = run_cli(tmp_path, "check", env={"BRIEFINGS_DENYLIST_FILE": str(tmp_path / name)})
        assert result.returncode == 1
        assert result.stderr.splitlines()[0] == (f"{tmp_path / name}: the denylist file is not a plain file; "
                                                 "name a text file with one term a line")


def test_a_file_with_thousands_of_problems_shows_the_first_hundred_and_a_count(tmp_path):
    links = "".join(f"  See [part {n}](part-{n}.md).\n\n" for n in range(1, 1501))  # a paragraph each
    make_project(tmp_path, {"child-z-2024.yml": minimal().replace(
        "what_happened: Things went wrong.", "what_happened: |\n" + links)})
    result = run_cli(tmp_path, "check")
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and len(lines) == 102
    assert lines[0].startswith("briefings/child-z-2024.yml:15: what_happened: the link to 'part-1.md' is not")
    assert lines[-2:] == ["briefings/child-z-2024.yml: and 1,400 more problems in this file; correct the ones "
                          "above and check again", "1,500 errors, 0 warnings."]
