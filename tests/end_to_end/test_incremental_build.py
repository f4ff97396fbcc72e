"""A build with the caches of an earlier build gives exactly the site a clean build gives, every
byte of every file, and so does a build after one that was killed part way.

The corpus has 200 synthetic reviews, enough for the parallel paths (two processes from 200
files) to run. Each comparison builds the same sources twice: with the caches in place, and in a
fresh copy of the sources with none."""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from generator.dev import corpus

from conftest import REPO, make_buildable

pytestmark = pytest.mark.build

SIZE = 200
SOURCES = ("briefings", "docs", "generator", "theme", "mkdocs.yml")


def environment() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}, "PYTHONPATH": str(REPO)}


def build(root):
    """`python -m generator build`, as run_cli runs it, with room for a cold build of 200 reviews
    on a busy machine."""
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=root, env=environment(),
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def tree(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def clean_build(root, into) -> dict[str, bytes]:
    """The site the same sources give with no caches at all."""
    into.mkdir()
    for name in SOURCES:
        (shutil.copytree if (root / name).is_dir() else shutil.copy)(root / name, into / name)
    assert not (into / ".cache").exists()
    return tree(build(into))


def assert_same(incremental: dict[str, bytes], clean: dict[str, bytes]) -> None:
    assert sorted(incremental) == sorted(clean)
    differ = [name for name in clean if incremental[name] != clean[name]]
    assert differ == [], f"{len(differ)} file(s) differ from a clean build: {differ[:10]}"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A corpus built once (so its caches are full), copied for each test."""
    root = tmp_path_factory.mktemp("incremental") / "project"
    made = corpus.make(SIZE, root)
    make_buildable(root)
    build(root)
    assert len(list((root / ".cache" / "pdf").glob("*.pdf"))) == SIZE
    assert list((root / ".cache" / "gate").glob("verdicts-*.json"))
    return root, made.ids


@pytest.fixture
def project(built, tmp_path):
    root, ids = built
    copy = tmp_path / "project"
    shutil.copytree(root, copy, symlinks=True)
    return copy, ids


def test_an_edit_an_addition_and_a_withdrawal_build_as_a_clean_build_does(project, tmp_path):
    root, ids = project
    briefings = root / "briefings"
    edit(briefings / f"{ids[0]}.yml", "summary: ", "summary: Edited for the test. ")
    edit(briefings / f"{ids[1]}.yml", "status: published", "status: withdrawn")
    added = corpus.make(SIZE + 1, tmp_path / "more")  # the same generator: review SIZE is new here
    shutil.copy(tmp_path / "more" / "briefings" / f"{added.ids[-1]}.yml", briefings)
    before = {p.name: p.stat().st_mtime_ns for p in (root / ".cache" / "pdf").glob("*.pdf")}
    incremental = tree(build(root))
    after = {p.name: p.stat().st_mtime_ns for p in (root / ".cache" / "pdf").glob("*.pdf")}
    assert len(set(after) - set(before)) == 2  # the edited and the added briefing's PDFs, no more
    assert not any(name.startswith(f"reviews/{ids[1]}/") for name in incremental)
    assert any(name.startswith(f"reviews/{added.ids[-1]}/") for name in incremental)
    unchanged = root / "site" / "reviews" / ids[5] / "index.html"
    assert unchanged.stat().st_nlink > 1  # its HTML came from .cache/pages (a hard link), not from MkDocs again
    pdf = next((root / "site" / "reviews" / ids[5]).glob("*.pdf"))
    assert pdf.stat().st_nlink > 1  # linked from .cache/pdf, not copied by MkDocs
    assert_same(incremental, clean_build(root, tmp_path / "clean"))


def test_a_theme_and_template_change_and_a_killed_build_then_build_as_a_clean_build_does(project, tmp_path):
    root, ids = project
    edit(root / "briefings" / "_themes.yml", "  name: ", "  name: Changed ")
    edit(root / "generator" / "templates" / "briefing-pdf.html.j2", "</body>", "<p>Printed for the test.</p></body>")
    edit(root / "generator" / "templates" / "briefing.md.j2", "\n</section>\n", "\nChanged for the test.\n\n</section>\n")
    kill_when_made(root, root / ".cache" / "pdf", "*.json")  # while making PDFs
    kill_when_made(root, root / ".cache" / "pages", "*.html")  # while MkDocs writes pages and keeps their HTML
    assert_same(tree(build(root)), clean_build(root, tmp_path / "clean"))


def kill_when_made(root, cache, pattern):
    """Start a build and kill it (SIGKILL: nothing can clean up) once it has kept a few new
    entries in a cache."""
    before = set(cache.glob(pattern))
    process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=root, env=environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 1500  # the PDFs of 200 reviews come first, on a busy machine
        while len(set(cache.glob(pattern)) - before) < 4:
            assert process.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline, f"the build kept nothing in {cache.name}"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    made = len(set(cache.glob(pattern)) - before)
    assert 4 <= made < SIZE, made  # killed part way through
