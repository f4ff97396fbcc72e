"""No broken internal link or #fragment anywhere in the built example site: every page crawled,
every href and src checked against the files and the ids they point to."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.build

EXTERNAL = ("http", "https", "mailto", "tel", "data", "javascript")


@dataclass
class PageLinks:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.page = PageLinks()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.page.ids.add(attrs[name])
        for name in ("href", "src"):
            if attrs.get(name) is not None and not (tag == "link" and attrs.get("rel") == "canonical"):
                self.page.links.append(attrs[name])


def read_page(path: Path) -> PageLinks:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


def target_file(site: Path, page: Path, link: str) -> Path | None:
    """The file an internal link from page points to, or None for a link off the site."""
    parts = urlsplit(link)
    if parts.scheme in EXTERNAL or parts.netloc:
        return None
    if not parts.path:
        return page
    folder = "" if parts.path.startswith("/") else page.parent.relative_to(site).as_posix()  # "/": the site's root
    joined = posixpath.normpath(posixpath.join(folder, unquote(parts.path).lstrip("/")))
    target = site / joined
    return target / "index.html" if parts.path.endswith("/") or target.is_dir() else target


def broken_links(site: Path) -> list[str]:
    pages = {path: read_page(path) for path in sorted(site.rglob("*.html"))}
    broken = []
    for page, found in pages.items():
        for link in found.links:
            target = target_file(site, page, link)
            if target is None:
                continue
            where = f"{page.relative_to(site)}: {link}"
            if not target.resolve().is_relative_to(site.resolve()) or not target.is_file():
                broken.append(f"{where}: no such page")
                continue
            fragment = unquote(urlsplit(link).fragment)
            if fragment and target.suffix == ".html" and fragment not in pages[target].ids:
                broken.append(f"{where}: no #{fragment} on that page")
    return broken


def test_no_internal_link_or_fragment_is_broken(example_site):
    assert len(list(example_site.rglob("*.html"))) > 50  # the crawl saw the whole site
    assert broken_links(example_site) == []


def test_the_crawl_finds_a_broken_link_and_a_broken_fragment(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<h1 id="top">x</h1><a href="a/">ok</a><a href="#top">ok</a>'
                                         '<a href="a/#nowhere">bad</a><a href="gone/">bad</a>'
                                         '<a href="https://example.org/x">off site</a>')
    (tmp_path / "a" / "index.html").write_text('<a href="../#top">ok</a><img src="../missing.png">')
    assert broken_links(tmp_path) == ["a/index.html: ../missing.png: no such page",
                                      "index.html: a/#nowhere: no #nowhere on that page",
                                      "index.html: gone/: no such page"]
