"""`python -m generator export DIR`: a docs tree with no hook that a plain `mkdocs build` (or
ProperDocs) turns into the same site as the hook build.

What may differ, and is normalised here, and nothing else:
- how an HTML page is written, not what it says: the hook passes each page's content through the
  sanitiser (nh3), which writes `hidden=""` for `hidden`, `&#182;` for `&para;`, `<br>` for
  `<br />` and `<rect></rect>` for `<rect/>`; so pages are compared as the stream of tags,
  attributes and text an HTML parser reads from them;
- the order of the URLs in sitemap.xml (MkDocs lists the files it found on disk before the
  hook's generated ones; the hookless build finds them all on disk): compared as a set;
- with ProperDocs, its name in `<meta name="generator">`.
Every other file (the search index, the PDFs, CSV, JSON, the feed, assets) is byte for byte the same.
"""
from __future__ import annotations

import gzip
import html.parser
import re
from pathlib import Path

import pytest

from conftest import make_buildable, make_project, minimal, run_cli
from engines import built_by

pytestmark = pytest.mark.build
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
GENERATOR_META = re.compile(r'<meta name="generator" content="[^"]*">')


class _Tokens(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple((k, v or "") for k, v in attrs)))

    def handle_startendtag(self, tag, attrs):  # <rect/> is <rect></rect>; <br /> is <br>
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.tokens.append(("end", tag))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "text":  # a character reference may split a text
            self.tokens[-1] = ("text", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("text", data))

    def handle_comment(self, data):
        self.tokens.append(("comment", data))


def page_tokens(path: Path) -> list[tuple]:
    parser = _Tokens()
    parser.feed(GENERATOR_META.sub("", path.read_text(encoding="utf-8")))
    parser.close()
    return parser.tokens


def sitemap_urls(path: Path) -> set[str]:
    text = gzip.decompress(path.read_bytes()).decode() if path.suffix == ".gz" else path.read_text()
    return set(re.findall(r"<url>.*?</url>", text, re.S))


def differences(hook: Path, other: Path) -> list[str]:
    """Every file of either site that is missing from the other or differs beyond the normalising above."""
    found = []
    names = {p.relative_to(hook) for p in hook.rglob("*") if p.is_file()}
    others = {p.relative_to(other) for p in other.rglob("*") if p.is_file()}
    found += [f"only in the hook build: {n}" for n in sorted(names - others)]
    found += [f"only in the export's build: {n}" for n in sorted(others - names)]
    for name in sorted(names & others):
        a, b = hook / name, other / name
        if name.name.startswith("sitemap.xml"):
            same = sitemap_urls(a) == sitemap_urls(b)
        elif name.suffix == ".html":
            same = page_tokens(a) == page_tokens(b)
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            found.append(f"differs: {name}")
    return found


def test_export_is_a_docs_tree_with_no_hook_and_no_code(example_export):
    config = (example_export / "mkdocs.yml").read_text()
    assert "hooks:" not in config and "generator" not in config.split("\n", 3)[-1]
    assert sorted(p.name for p in example_export.iterdir()) == [".briefings-export", "docs", "mkdocs.yml", "theme"]
    assert not list(example_export.rglob("*.py")) and not (example_export / "briefings").exists()
    docs = example_export / "docs"
    assert (docs / "reviews" / "patricia-2020" / "index.md").is_file()
    assert (docs / "reviews" / "patricia-2020" / "patricia-2020-seven-minute-briefing.pdf").is_file()
    assert (docs / "pagefind" / "pagefind.js").is_file() and (docs / "about" / "index.md").is_file()


def test_a_plain_mkdocs_build_of_the_export_gives_the_same_site(example_site, example_export, tmp_path):
    assert differences(example_site, built_by(example_export, "mkdocs", tmp_path / "site")) == []
    assert len(list(example_site.rglob("*.html"))) > 90  # every page type of the example site was compared


def test_properdocs_builds_the_export_into_the_same_site(example_site, properdocs_site):
    """ProperDocs, the maintained fork of MkDocs 1.x, with Material, from the same export."""
    assert 'content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1"' in (properdocs_site / "index.html").read_text()
    assert differences(example_site, properdocs_site) == []


def test_the_comparison_sees_a_changed_page(example_site, tmp_path):
    """The normalising hides how HTML is written, never what it says."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(example_site, copy)
    page = copy / "reviews" / "patricia-2020" / "index.html"
    page.write_text(page.read_text().replace("Patricia", "Patrica", 1))
    (copy / "glossary" / "index.html").write_text(
        (copy / "glossary" / "index.html").read_text().replace('hidden=""', "hidden"))  # only written differently
    assert differences(example_site, copy) == ["differs: reviews/patricia-2020/index.html"]


def _project(tmp_path: Path, reviews: dict[str, str]) -> Path:
    return make_buildable(make_project(tmp_path / "project", reviews))


def test_held_back_reviews_are_not_exported(tmp_path):
    reviews = {"child-z-2024.yml": minimal(),
               "child-d-2024.yml": minimal("child-d-2024", status="draft").replace("Child Z", "Child Dee"),
               "child-e-2099.yml": minimal("child-e-2099", published="2099-01").replace("Child Z", "Child Eve")}
    root = _project(tmp_path, reviews)
    result = run_cli(root, "export", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert any("child-z-2024" in p.as_posix() for p in files)
    for held in ("child-d-2024", "Child Dee", "child-e-2099", "Child Eve"):
        assert not [p for p in files if held in p.as_posix()], held
        assert not [p for p in files if p.suffix in (".md", ".xml", ".json", ".csv", ".html")
                    and held in p.read_text(encoding="utf-8")], held


def test_a_failed_check_writes_nothing(tmp_path):
    bad = minimal().replace("Things went wrong.", "Things went wrong at LS1 4AP.")  # a postcode
    root = _project(tmp_path, {"child-z-2024.yml": bad})
    result = run_cli(root, "export", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "child-z-2024.yml:" in result.stderr and "Nothing was exported." in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.new-*"))


def test_a_failed_export_leaves_the_last_export_as_it_was(tmp_path):
    root = _project(tmp_path, {"child-z-2024.yml": minimal()})
    assert run_cli(root, "export", str(tmp_path / "out")).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    (root / "docs" / "about" / "index.md").write_text("# About\n\n<script>alert(1)</script>\n")
    result = run_cli(root, "export", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "docs/about/index.md: holds HTML that the site's sanitiser removes" in result.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before


def test_export_never_replaces_a_folder_it_did_not_write(tmp_path):
    root = _project(tmp_path, {"child-z-2024.yml": minimal()})
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = run_cli(root, "export", str(mine))
    assert result.returncode == 1 and "already holds files that an export did not write" in result.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    inside = run_cli(root, "export", str(root / "docs" / "out"))
    assert inside.returncode == 1 and "inside the project's docs/ folder" in inside.stderr
