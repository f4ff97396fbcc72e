"""A build reuses the HTML MkDocs made for a page before, when nothing it is made from changed.

At national scale most of a one-review publication went on MkDocs turning thousands of
unchanged pages into the same HTML again. MkDocs' own dirty mode does the skipping: a page whose
output file is in place and newer than its source is neither read nor rendered, and it still
takes its place in the sitemap. This module decides which pages qualify, by what they are made
from, never by dates:

- a page's key is the hash of its own Markdown, its address, its schema.org record, which of the
  files it links to exist, and the build's fingerprint (every installed package's version, the
  generator's code and templates, the theme, mkdocs.yml and the settings the hook puts in it);
- the HTML made for a key is kept in .cache/pages/<key>.html, written beside and renamed in, so a
  killed build leaves nothing half written, and a stale entry is one no key asks for;
- a page in the navigation is kept too when every entry of the navigation has its title in
  mkdocs.yml (then its HTML follows from its path and the navigation, both in its key); otherwise
  it is always rendered, since the menus show other pages' headings (always_rendered).

So a wrong cache can only make a build slower: a key names exactly one HTML.
"""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.structure.files import File

from generator.output.search_index import BODY
from generator.pages.environment import Page
from generator.speed.fingerprint import code_fingerprint, digest, link_or_copy, packages, tree, write_whole

FOLDER = Path(".cache") / "pages"
KEEP_SECONDS = 3600  # as the PDFs' cache: another build in the same folder may be about to read them
# Link targets in a page's Markdown or HTML, as MkDocs checks them (a missing file is a warning).
# A Markdown link's target, and an href or src attribute's (not data-src's or xhref's: a word
# character before it is checked by hand). Two searches that each start from a literal are three
# times quicker than one that starts with either: 1.2 s instead of 3.7 s over the 71 MB of
# Markdown that 1,000 reviews make.
_MARKDOWN_LINK = re.compile(r"""\]\(([^()"'\s#?<>]+)""")
_ATTRIBUTE_LINK = re.compile(r"""(?:href|src)=["']([^()"'\s#?<>]+)""")


def fingerprint(config) -> str:
    """What every page's HTML is made from besides its own text: a change to any of it renders all."""
    root = Path(config.config_file_path).parent
    extra = {k: v for k, v in config.extra.items() if k != "json_ld"}  # each page's record is in its own key
    settings = json.dumps({"site_name": config.site_name, "site_url": config.site_url, "extra": extra,
                           "nav": config.nav}, sort_keys=True, default=str)
    return digest(packages(), settings, (root / "mkdocs.yml").read_bytes(), code_fingerprint(), *tree(root / "theme"))


def link_targets(page: Page) -> list[str]:
    """The files a page links to, relative to the docs folder, as MkDocs resolves them."""
    here = posixpath.dirname(page.path)
    targets = []
    content = page.content
    attributes = [m[1] for m in _ATTRIBUTE_LINK.finditer(content)
                  if not m.start() or not (content[m.start() - 1].isalnum() or content[m.start() - 1] == "_")]
    for target in [*_MARKDOWN_LINK.findall(content), *attributes]:
        if "://" in target or target.startswith(("mailto:", "tel:", "/", "data:")):
            continue
        targets.append(posixpath.normpath(posixpath.join(here, target)))
    return targets


def always_rendered(nav) -> set[str]:
    """The source paths the navigation names whose pages must always be rendered: all of them,
    unless every entry has its own title. A navigation page's HTML shows the navigation with its
    own entry active, and the previous and next pages by their titles: from the page's path and
    the navigation alone (both in its key) when the titles are written in mkdocs.yml, but from the
    other pages' headings when they are not."""
    return _named_paths(nav) if not _titled(nav) else set()


def _titled(nav) -> bool:
    """Every entry is `title: page` or `title: [entries]`."""
    return all(isinstance(item, dict) and len(item) == 1 and
               all(isinstance(v, str) or (isinstance(v, list) and _titled(v)) for v in item.values())
               for item in nav or [])


def _named_paths(nav) -> set[str]:
    found: set[str] = set()
    for item in nav or []:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, list):
                found |= _named_paths(value)
            elif isinstance(value, str):
                found.add(value)
    return found


@dataclass
class PageCache:
    """One build's use of the cache: which pages it reused, and the keys of those it renders."""

    folder: Path
    fingerprint: str = ""
    placeholder: Path | None = None
    pending: dict[str, str] = field(default_factory=dict)  # source path -> key, rendered this build
    used: set[str] = field(default_factory=set)
    reused: int = 0
    # a page's link targets by the digest of its path and text: finding them in every page's
    # Markdown took 2 s at 1,000 reviews; the build's pages are mostly the last build's
    links: dict[str, list[str]] = field(default_factory=dict)
    links_used: dict[str, list[str]] = field(default_factory=dict)
    # what the search stage needs of each kept HTML ([bytes, 1 if it has data-pagefind-body, its
    # SHA-256]), by key: it read all 20,000 pages again to plan its parts at 5,000 reviews
    described: dict[str, list] = field(default_factory=dict)
    described_used: dict[str, list] = field(default_factory=dict)
    placed: dict[str, str] = field(default_factory=dict)  # the site's path of each page reused -> its key

    def start(self, config) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint(config)
        # A reused page's stand-in source: dated 1970, so MkDocs finds its output newer and skips it.
        self.placeholder = self.folder / ".unchanged-page"
        self.placeholder.write_bytes(b"")
        os.utime(self.placeholder, (0, 0))
        self.pending.clear()
        self.used.clear()
        self.reused = 0
        self.links, self.links_used = self._read_links(), {}
        self.described, self.described_used, self.placed = self._read_described(), {}, {}

    def _links_file(self) -> Path:
        return self.folder / f"links-{self.fingerprint[:16]}.json"  # the code that finds them is in the fingerprint

    def _read_links(self) -> dict[str, list[str]]:
        return _read_lists(self._links_file())

    def _described_file(self) -> Path:
        return self.folder / f"described-{self.fingerprint[:16]}.json"

    def _read_described(self) -> dict[str, list]:
        return {key: value for key, value in _read_lists(self._described_file()).items()
                if len(value) == 3 and type(value[0]) is int and value[1] in (0, 1) and isinstance(value[2], str)}

    def known_pages(self) -> dict[str, tuple[int, bool, bytes]]:
        """The pages this build reused, by their path in the site: (bytes, whether they have
        data-pagefind-body, SHA-256), as they were when kept. Each is a link to (or a copy of) its
        entry, which is never written in place."""
        known = {}
        for path, key in self.placed.items():
            if key in self.described_used:
                size, body, sha = self.described_used[key]
                known[path] = (size, bool(body), bytes.fromhex(sha))
        return known


    def key(self, page: Page, present: Collection[str], json_ld: dict) -> str:
        """present: the path of every file of the build, the pages and PDFs to come included."""
        text = digest(page.path, page.content)
        if text not in self.links:
            self.links[text] = link_targets(page)
        self.links_used[text] = self.links[text]
        exists = "".join("1" if target in present else "0" for target in self.links[text])
        return digest(self.fingerprint, text, json_ld.get(page.path, ""), exists)

    def file_for(self, page: Page, config, present: Collection[str], in_nav: set[str]) -> File:
        """The page's File for MkDocs: its kept HTML already in place, or its Markdown to render."""
        if not page.path.endswith(".md"):
            return self._copied(page, config)
        if page.path in in_nav:
            return File.generated(config, page.path, content=page.content)
        key = self.key(page, present, config.extra.get("json_ld") or {})
        self.used.add(key)
        kept = self.folder / f"{key}.html"
        reused = File.generated(config, page.path, abs_src_path=str(self.placeholder))
        if kept.is_file() and _place(kept, Path(reused.abs_dest_path)):
            self.reused += 1
            self.placed[reused.dest_uri] = key
            if key in self.described:
                self.described_used[key] = self.described[key]
            return reused
        self.pending[page.path] = key
        return File.generated(config, page.path, content=page.content)

    def _copied(self, page: Page, config) -> File:
        """A file MkDocs copies as it is (a review's open data, a CSV): put in place from the cache
        under the digest of its path and text, written there first if new. Writing 5,000 of them
        afresh every build took a second at 5,000 reviews."""
        key = digest("copied", page.path, page.content)
        kept = self.folder / f"{key}{posixpath.splitext(page.path)[1]}"
        self.used.add(key)
        placed = File.generated(config, page.path, abs_src_path=str(self.placeholder))
        if (kept.is_file() or write_whole(kept, page.content.encode("utf-8"))) and _place(kept, Path(placed.abs_dest_path)):
            return placed
        return File.generated(config, page.path, content=page.content)

    def place_made(self, file: File) -> None:
        """A PDF or slide pack, put in the fresh folder from its cache as a hard link: MkDocs then
        finds it as new as its source and copies nothing (thousands of files at national scale)."""
        _place(Path(file.abs_src_path), Path(file.abs_dest_path))

    def keep(self, src_uri: str, output: str) -> None:
        """After MkDocs rendered a page: keep its HTML under its key."""
        key = self.pending.pop(src_uri, None)
        if key is None or not output.strip():
            return
        data = output.encode("utf-8")  # the bytes MkDocs writes
        write_whole(self.folder / f"{key}.html", data)
        self.described_used[key] = [len(data), int(BODY in data), hashlib.sha256(data).hexdigest()]

    def prune(self) -> None:
        """At the build's end: keep its pages' link targets. Entries no page asked for go after an
        hour, and so do killed builds' leftovers."""
        for kept, path in ((self.links_used, self._links_file()), (self.described_used, self._described_file())):
            if kept:  # this build's pages' link targets, and what the search reads of them
                write_whole(path, json.dumps(kept, sort_keys=True).encode("utf-8"))
                self.used.add(path.stem)
        too_old = time.time() - KEEP_SECONDS
        for entry in self.folder.iterdir():
            try:
                if entry.stem in self.used:
                    continue
                if entry.name != ".unchanged-page" and entry.stat().st_mtime < too_old:
                    entry.unlink()
            except OSError:
                continue


def _read_lists(path: Path) -> dict[str, list]:
    """A JSON object of lists written by prune, or nothing if it is missing or not that."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict) or not all(isinstance(v, list) for v in found.values()):
        return {}
    return found


def _place(kept: Path, dest: Path) -> bool:
    """Put the kept HTML at dest: a hard link where the disk allows (the cache is never written
    in place, only replaced), else a copy. False if neither could be done. The folder and the
    file are made first and looked at only when that fails: the build's folder is fresh, and
    35,000 needless calls took a second at 5,000 reviews."""
    try:
        try:
            os.link(kept, dest)
        except FileNotFoundError:  # no folder yet
            dest.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(kept, dest)
        except FileExistsError:  # mkdocs build --dirty into site/: never write through an older link
            dest.unlink()
            link_or_copy(kept, dest)
        except OSError:
            shutil.copyfile(kept, dest)
        return True
    except OSError:
        dest.unlink(missing_ok=True)
        return False
