"""The pre-commit hook definition: pre-commit installs the project as a package and runs `check` on
the briefing files a commit changes."""
import os
import re
import shutil
import subprocess
import sys
import zipfile

import yaml

from conftest import REPO, make_project, minimal


def hook() -> dict:
    (definition,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return definition


def test_the_hook_runs_check_on_changed_briefing_files_only():
    definition = hook()
    assert definition["id"] == "check-briefings"
    assert definition["entry"] == "python -m generator check"
    assert definition["language"] == "python" and definition["pass_filenames"] is True
    files = re.compile(definition["files"])
    assert files.search("briefings/patricia-2020.yml") and files.search("briefings/_themes.yml")
    assert not files.search("docs/about/index.md") and not files.search("briefings/old/x.yml")


def test_the_installed_package_checks_a_content_only_repository(tmp_path):
    """What pre-commit does: build and install the package, then run the entry with the changed files."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/templates/example-review.yml" in names and "generator/schema/review.schema.json" in names
    subprocess.run([*pip, "install", "--no-deps", "--target", str(tmp_path / "installed"), str(wheel)],
                   check=True, capture_output=True, timeout=300)

    content = make_project(tmp_path / "partnership", {"good-2024.yml": minimal(id="good-2024"),
                                                      "bad-2024.yml": minimal(id="bad-2024").replace("lcspr", "lcpsr")})
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "installed")}

    def run(*files):
        return subprocess.run([*hook()["entry"].replace("python", sys.executable, 1).split(), *files], cwd=content,
                              env=environment, capture_output=True, text=True, timeout=120)

    good = run("briefings/good-2024.yml")
    assert good.returncode == 0, good.stderr
    bad = run("briefings/good-2024.yml", "briefings/bad-2024.yml")
    assert bad.returncode == 1
    assert bad.stderr.startswith("briefings/bad-2024.yml:4: type: found 'lcpsr'")
