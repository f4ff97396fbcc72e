"""The hostile corpus: one small file per attack or mistake, each with its exact message and line.

Each case is checked and built alone in a project whose site/ holds a previous good build: the
command must exit 1, print exactly the expected problems, and leave site/ byte for byte as it was.
"""
from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest

from generator.cli import main
from generator.site import load_site

from conftest import TESTS, make_project, minimal

HOSTILE = TESTS / "hostile"


def expected() -> dict[str, list[str]]:
    cases: dict[str, list[str]] = defaultdict(list)
    for line in (HOSTILE / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cases[line.split(":", 1)[0].removeprefix("briefings/")].append(line)
    return cases


CASES = expected()


def test_every_file_in_the_corpus_has_its_expected_messages():
    assert sorted(CASES) == sorted(p.name for p in HOSTILE.glob("*.yml"))
    assert len(CASES) >= 35


def _project_with_previous_site(tmp_path: Path, name: str) -> Path:
    root = make_project(tmp_path)
    (root / "briefings" / name).write_bytes((HOSTILE / name).read_bytes())
    site = root / "site"
    (site / "reviews").mkdir(parents=True)
    (site / "index.html").write_text("<p>the last good build</p>")
    (site / "reviews" / "page.html").write_text("<p>still here</p>")
    return root


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_reported_and_the_site_is_untouched(name, tmp_path, monkeypatch, capsys):
    root = _project_with_previous_site(tmp_path, name)
    before = _snapshot(root / "site")
    monkeypatch.chdir(root)

    assert main(["check"]) == 1
    printed = capsys.readouterr().err.splitlines()
    assert printed[:-1] == CASES[name]
    assert "Traceback" not in "\n".join(printed)

    assert main(["build"]) == 1
    assert "Nothing was built; the site is unchanged." in capsys.readouterr().err
    assert _snapshot(root / "site") == before
    assert sorted(os.listdir(root)) == ["briefings", "site"]


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    padding = "# " + "x" * 98 + "\n"
    make_project(tmp_path, {"child-z-2024.yml": minimal() + padding * 11_000})
    problems = [str(p) for p in load_site(tmp_path).problems]
    assert len(problems) == 1
    assert problems[0].startswith("briefings/child-z-2024.yml:1: the file is 1,111,")
    assert problems[0].endswith("bytes, over the limit of 1,000,000; split it or remove pasted material")


def test_the_size_limit_is_configurable(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    settings = tmp_path / "briefings" / "_site.yml"
    settings.write_text(settings.read_text().replace("max_file_kb: 1000", "max_file_kb: 10"))
    (tmp_path / "briefings" / "child-z-2024.yml").write_text(minimal() + ("# padding\n" * 1200))
    [problem] = load_site(tmp_path).problems
    assert "over the limit of 10,000" in problem.message


def test_bom_windows_line_endings_and_dates_as_text_are_accepted(tmp_path):
    text = minimal().replace("background: Child Z lived with her mother.", "background: 2021-03-04")
    make_project(tmp_path)
    (tmp_path / "briefings" / "child-z-2024.yml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    result = load_site(tmp_path)
    assert result.problems == []
    assert result.site.reviews[0].background == "2021-03-04"


def test_links_in_briefings_are_refused_and_never_followed(tmp_path, monkeypatch, capsys):
    """A link to a file such as /etc/shadow printed its lines as unknown fields; a link to a review
    outside the repository was published. Neither is read now, and the site stays as it was."""
    root = _project_with_previous_site(tmp_path, "empty.yml")
    (root / "briefings" / "empty.yml").unlink()
    shadow = tmp_path / "shadow"
    shadow.write_text("root: $6$secret-hash-of-root\ndaemon: '*'\n")
    outside = tmp_path / "outside-2024.yml"
    outside.write_text(minimal(id="outside-2024"))
    (root / "briefings" / "shadow.yml").symlink_to(shadow)
    (root / "briefings" / "outside-2024.yml").symlink_to(outside)
    (root / "briefings" / "gone.yml").symlink_to(tmp_path / "no-such-file")
    (root / "briefings" / "_events.yml").symlink_to(shadow)
    before = _snapshot(root / "site")
    monkeypatch.chdir(root)

    link = "is a symbolic link (a shortcut to another file); put the file itself here, not a link to it"
    for command in (["check"], ["check", "briefings/shadow.yml"], ["build"]):
        assert main(command) == 1
        printed = capsys.readouterr().err
        assert "secret" not in printed and "daemon" not in printed and "Traceback" not in printed
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"briefings/_events.yml: {link}", f"briefings/gone.yml: {link}",
        f"briefings/outside-2024.yml: {link}", f"briefings/shadow.yml: {link}", "4 errors, 0 warnings."]
    assert _snapshot(root / "site") == before
