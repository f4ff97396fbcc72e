"""End to end: build the example site with MkDocs and Material, and look at what readers get."""
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.site import load_site

from conftest import REPO, make_buildable, make_project, minimal, run_cli

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def built(example_site):
    """The repo's own example site, built once per test session (tests/conftest.py)."""
    return example_site


@pytest.fixture(scope="module")
def example():
    return load_site(REPO).site


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.h2, self.links, self.resources, self._in_h2 = set(), [], [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "h2":
            self._in_h2, self._text = True, ""
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") != "canonical":  # canonical is not fetched
            self.resources.append(attrs["href"])

    def handle_data(self, data):
        if self._in_h2:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "h2" and self._in_h2:
            self._in_h2 = False
            self.h2.append(self._text.strip().rstrip("¶"))


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_review_has_a_briefing_with_seven_sections_and_a_learning_brief(built, example):
    assert len(example.reviews) == 10
    for review in example.reviews:
        briefing = outline(built / "reviews" / review.id / "index.html")
        assert [h.lstrip("1234567. ") for h in briefing.h2] == list(example.settings.section_headings)
        assert {f"section-{n}" for n in range(1, 8)} <= briefing.ids
        assert {f.anchor for f in review.findings} <= briefing.ids
        assert {q.anchor for q in review.questions} <= briefing.ids
        brief = outline(built / "reviews" / review.id / "learning-brief" / "index.html")
        anchors = {x.anchor for x in (*review.findings, *review.learning, *review.good_practice,
                                      *review.recommendations)}
        assert anchors <= brief.ids
        assert "../" in " ".join(briefing.links) and "learning-brief/" in " ".join(briefing.links)


def test_every_theme_has_a_page_and_the_index_lists_them(built, example):
    index = (built / "themes" / "index.html").read_text()
    for theme in example.themes:
        assert (built / "themes" / theme.id / "index.html").exists()
        assert f'href="{theme.id}/"' in index


def test_search_index_finds_the_words_practitioners_search_for(built, browser):
    from generator.dev import search_probe

    page = browser.new_page()
    with search_probe.serve(built) as base:
        page.goto(base + "glossary/")

        def pages_with(phrase):
            return {p["url"].lstrip("/") for p in search_probe.query(page, phrase)["pages"]}

        assert "reviews/patricia-2020/" in pages_with("Patricia")
        assert "themes/disguised-compliance/" in pages_with("disguised compliance")
        assert "reviews/leeds-cross-cutting-themes-2023/" in pages_with("disguised compliance")
        assert "glossary/" in pages_with("CAMHS")
        assert "themes/placement-stability/" in pages_with("placement")
        # a trainer can land on one finding: results point into the page, heading by heading
        found = search_probe.query(page, "Patricia trauma-informed approaches")["pages"]
        patricia = next(p for p in found if p["url"] == "/reviews/patricia-2020/")
        assert "/reviews/patricia-2020/#finding-1" in patricia["parts"]
    page.close()
    assert not (built / "search" / "search_index.json").exists()  # Material's whole-site index is gone


def test_no_request_to_another_host(built):
    for page in built.rglob("*.html"):
        for url in outline(page).resources:
            assert not re.match(r"^(https?:)?//", url), f"{page} loads {url}"
    css = "".join(p.read_text() for p in built.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_every_page_links_to_the_accessibility_statement(built):
    for page in ["index.html", "reviews/patricia-2020/index.html", "glossary/index.html"]:
        assert "about/accessibility/" in (built / page).read_text()


def test_abbreviations_are_expanded_on_generated_pages(built):
    page = (built / "reviews" / "patricia-2020" / "index.html").read_text()
    assert '<abbr tabindex="0" title="Child and Adolescent Mental Health Services">CAMHS</abbr>' in page or \
        '<abbr title="Child and Adolescent Mental Health Services" tabindex="0">CAMHS</abbr>' in page


def test_the_same_input_gives_byte_identical_output(built, tmp_path):
    again = tmp_path / "again"
    assert run_cli(REPO, "build", "--site-dir", str(again)).returncode == 0
    first = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_drafts_and_embargoed_reviews_leave_no_trace(tmp_path):
    project = make_buildable(make_project(tmp_path, {
        "shown.yml": minimal(id="shown"),
        "secret-draft.yml": minimal(id="secret-draft", status="draft").replace("Child Z", "Child Draftname"),
        "secret-later.yml": minimal(id="secret-later", published="2999-01").replace("Child Z", "Child Latername"),
    }))
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    for path in (project / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js"):
            text = path.read_text(errors="replace")
            for secret in ("secret-draft", "secret-later", "Draftname", "Latername"):
                assert secret not in text, f"{secret} found in {path}"


def test_a_failed_build_leaves_the_last_good_site_untouched(tmp_path):
    project = make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    assert run_cli(project, "build").returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "briefings" / "child-z-2024.yml").write_text(minimal().replace("type: lcspr", "type: nonsense"))
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert "briefings/child-z-2024.yml:4: type: found 'nonsense'" in result.stderr
    assert "Nothing was built; the site is unchanged." in result.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in project.glob(".site.*")] == [".site.lock"]  # kept: see generator/building.py


def test_plain_mkdocs_build_runs_the_generator_and_refuses_bad_input(tmp_path):
    import subprocess
    import sys

    project = make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    ok = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert (project / "site" / "reviews" / "child-z-2024" / "index.html").exists()
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "briefings" / "child-z-2024.yml").write_text(minimal().replace("summary: A short", "sumary: A short"))
    bad = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, capture_output=True, text=True)
    assert bad.returncode == 1
    output = bad.stdout + bad.stderr
    assert "briefings/child-z-2024.yml:11: sumary: unknown field 'sumary'" in output
    assert "Traceback" not in output
    assert {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == before


def test_a_broken_theme_template_is_reported_without_a_traceback(tmp_path):
    project = make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    main = project / "theme" / "main.html"
    main.write_text(main.read_text() + "\n{% block broken %}{{ unclosed(\n")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert "a page template has an error" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_an_in_process_build_leaves_the_environment_as_it_was(tmp_path, monkeypatch):
    """The sitemap date is set for one build only: a long-lived process must not keep it."""
    import os

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = make_buildable(make_project(tmp_path, {"child-z-2024.yml": minimal()}))
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "out")))
    assert "2024-01-01" in (tmp_path / "out" / "sitemap.xml").read_text()
    assert "SOURCE_DATE_EPOCH" not in os.environ
