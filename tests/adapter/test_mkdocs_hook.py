"""The MkDocs hook (generator/adapter/mkdocs_hook.py): a plain `mkdocs build` runs the generator,
adds its pages without writing into docs/, dates the sitemap from the data, and stops on a
problem before anything is built."""
import os
import subprocess
import sys

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import REPO, make_buildable, make_project, minimal

pytestmark = pytest.mark.build


def test_mkdocs_build_runs_the_generator_and_leaves_the_process_as_it_found_it(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("BRIEFINGS_TODAY", "2024-06-30")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = make_buildable(make_project(tmp_path, {
        "child-y-2023.yml": minimal("child-y-2023", published="2023-05"),
        "child-z-2024.yml": minimal("child-z-2024", published="2024-03-14")}))
    docs_before = sorted(p.relative_to(root) for p in (root / "docs").rglob("*"))
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` starts a build
    build(config)

    site = root / "site"
    page = (site / "reviews" / "child-z-2024" / "index.html").read_text(encoding="utf-8")
    assert "Child Z" in page and "Example Partnership" in page
    assert (site / "themes" / "neglect" / "index.html").is_file()
    assert list((site / "reviews" / "child-z-2024").glob("*.pdf")), "the briefing's PDF is copied in"
    assert list((site / "pagefind").glob("pagefind-entry.json")), "the search index is written after the build"
    assert sorted(p.relative_to(root) for p in (root / "docs").rglob("*")) == docs_before  # the pages are virtual
    # the sitemap is dated from the newest publication, and the date is not left for the next build
    assert "<lastmod>2024-03-14</lastmod>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_a_problem_stops_mkdocs_before_anything_is_built(tmp_path):
    root = make_buildable(make_project(tmp_path, {
        "child-z-2024.yml": minimal().replace("type: lcspr", "type: lcsp")}))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=root, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO),
                                                         "NO_MKDOCS_2_WARNING": "1"})
    said = result.stdout + result.stderr  # MkDocs prints its Abort on stdout
    assert result.returncode == 1
    assert "The briefings have problems, so nothing was built:" in said
    assert "briefings/child-z-2024.yml:4: type:" in said and "Traceback" not in said
    assert not (root / "site").exists()
