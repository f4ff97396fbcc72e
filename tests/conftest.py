"""Shared helpers: small projects on disk, built from the repo's own data files."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent  # the shared helpers and data folders (golden/, hostile/ ...)
REPO = TESTS.parent

GLOSSARY = """\
terms:
  - abbreviation: CAMHS
    term: Child and Adolescent Mental Health Services
    definition: NHS services for children's mental health.
  - abbreviation: LAC
    term: Looked after child
    definition: A child in the care of the local authority.
  - term: Disguised compliance
    definition: Appearing to co-operate so that professionals look away.
"""

# A valid review, short enough that each test can see every line it depends on.
MINIMAL = """\
id: {id}
status: {status}
title: "Review: Child Z"
type: lcspr
partnership: Example Partnership
children:
  - pseudonym: Child Z
    age: 9
dates:
  published: {published}
summary: A short summary.
themes: [neglect]
background: Child Z lived with her mother.
what_happened: Things went wrong.
why_it_matters: It matters because CAMHS were not asked.
findings:
  - number: 1
    title: First finding
    summary: Agencies did not share what they knew.
    themes: [information-sharing]
practice_points:
  - Share what you know.
questions:
  - What would you do?
"""


def minimal(id: str = "child-z-2024", status: str = "published", published: str = "2024-01") -> str:
    return MINIMAL.format(id=id, status=status, published=published)


def make_project(root: Path, reviews: dict[str, str] | None = None, glossary: str = GLOSSARY) -> Path:
    """A project folder with the repo's settings and theme vocabulary and the given review files."""
    briefings = root / "briefings"
    briefings.mkdir(parents=True, exist_ok=True)
    for name in ("_site.yml", "_themes.yml"):
        shutil.copy(REPO / "briefings" / name, briefings / name)
    (briefings / "_glossary.yml").write_text(glossary, encoding="utf-8")
    for name, text in (reviews or {}).items():
        (briefings / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def make_buildable(root: Path) -> Path:
    """Add what MkDocs needs (config, theme, hand-written pages, the generator) to a project."""
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, root / name)
    for folder in ("theme", "docs", "generator"):
        if not (root / folder).exists():
            shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def run_cli(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m generator` in root, as an officer would from the project folder."""
    import os

    # SOURCE_DATE_EPOCH is left behind by tests that run the hook's on_config in this process;
    # a build run as an officer runs it takes its dates from the data, so it must not inherit one.
    inherited = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment = {**inherited, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=root, env=environment,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def indexed_urls(site: Path) -> list[str]:
    """The address of every page in the built site's Pagefind search index."""
    import gzip
    import json

    from generator.output.search_index import SIGNATURE

    urls = []
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(SIGNATURE), fragment
        urls.append(json.loads(data[len(SIGNATURE):])["url"])
    return sorted(urls)


@pytest.fixture(scope="session")
def example_export(tmp_path_factory) -> Path:
    """The example site as `python -m generator export` writes it: a docs tree with no hook."""
    from engines import export_example  # tests/engines.py, which imports this file's helpers

    return export_example(tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="session")
def properdocs_site(example_export, tmp_path_factory) -> Path:
    """The example export built by ProperDocs (the maintained fork of MkDocs 1.x), not the hook."""
    from engines import built_by

    return built_by(example_export, "properdocs", tmp_path_factory.mktemp("properdocs") / "site")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The repo's own example site, built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("example-site") / "site"
    result = run_cli(REPO, "build", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # strict MkDocs build: no warnings at all
    return out


# One Chromium for the whole session: Playwright's sync API allows one running instance at a time.
@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: run `make test`, which installs requirements.txt.")
    from browser.harness import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        executable = require_browser(chromium_path(_bundled_chromium(playwright)))
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def require_browser(executable: str | None) -> str:
    """A missing browser fails the browser tests, with the command that gets one: never a skip."""
    if executable is None:
        from browser.harness import GET_A_BROWSER

        pytest.fail(GET_A_BROWSER)
    return executable


def _bundled_chromium(playwright) -> str | None:
    """The browser `playwright install chromium` fetches, if it was ever run."""
    try:
        return playwright.chromium.executable_path
    except Exception:  # Playwright raises when it knows no such browser
        return None
