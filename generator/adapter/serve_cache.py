"""What `mkdocs serve` keeps between rebuilds, so saving one review redoes only what depends on it.

- DocumentCache (checked_files.py): a review file is read, checked and modelled again only when
  its size or modification time changed (or the context of the checks did), and checked again
  only when its bytes did: `check` and `build` use it too, with the checks kept on disk.
- The pages: rendered again only when what they are made from changed, by the cache a build
  uses too (pages/render_cache.py), which serve also keeps in memory from one pass to the next.
- PerReview: each briefing's print HTML, made again only when the review, the site's settings,
  glossary or themes, or a template changed.
- PageStore: the generated Markdown is written to a folder, and a file is rewritten only when
  its text changed, so `mkdocs serve --dirty` rebuilds only the pages whose text changed.

The plugin object (plugin.py) keeps one Session from on_startup("serve") to on_shutdown.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator.adapter.checked_files import DocumentCache
from generator.model.types import Review, Site
from generator.pages.environment import TEMPLATES, Page
from generator.pages.render_cache import FOLDER as RENDER_CACHE, RenderCache


def _site_context(site: Site) -> tuple:
    """What every page depends on besides its own reviews: a change to any means rendering all again."""
    return (site.settings, site.glossary, site.themes, _templates_stamp())


def _templates_stamp() -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in TEMPLATES.iterdir() if p.is_file()))


@dataclass
class _KeptWhileEqual:
    """Things made from inputs, kept while the inputs stay equal and the site's settings,
    glossary, themes and templates do not change. Comparing is quick: unchanged reviews are the
    very same objects from pass to pass (DocumentCache), and Python compares identical objects
    without looking inside them."""

    entries: dict[object, tuple[object, object]] = field(default_factory=dict)
    context: object = None
    made: int = 0  # things made again in the last pass, for the benchmark

    def start_pass(self, site: Site) -> None:
        context = _site_context(site)
        if context != self.context:
            self.entries.clear()
            self.context = context
        self.made = 0

    def kept(self, key: object, inputs: object, make: Callable[[], object]):
        cached = self.entries.get(key)
        if cached is not None and (cached[0] is inputs or cached[0] == inputs):
            return cached[1]
        value = make()
        self.entries[key] = (inputs, value)
        self.made += 1
        return value


class PerReview(_KeptWhileEqual):
    """Something made from one review (its PDF's HTML)."""

    def start_pass(self, site: Site) -> None:
        super().start_pass(site)
        live = {r.id for r in site.reviews}
        for gone in [i for i in self.entries if i not in live]:
            del self.entries[gone]

    def get(self, review: Review, make: Callable[[], object]):
        return self.kept(review.id, review, make)


@dataclass
class PageStore:
    """Generated pages as files in a private folder, each written only when its text changed."""

    folder: Path
    texts: dict[str, str] = field(default_factory=dict)
    written: int = 0
    removed: int = 0

    def sync(self, pages: list[Page]) -> dict[str, Path]:
        """Write the pages that changed, delete the ones that went; return each page's file."""
        self.written = self.removed = 0
        paths = {}
        for page in pages:
            target = self.folder / page.path
            if self.texts.get(page.path) != page.content:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(page.content, encoding="utf-8")
                self.texts[page.path] = page.content
                self.written += 1
            paths[page.path] = target
        for gone in [p for p in self.texts if p not in paths]:
            (self.folder / gone).unlink(missing_ok=True)
            del self.texts[gone]
            self.removed += 1
        return paths


class Session:
    """The caches of one `mkdocs serve` run, kept by the plugin (plugin.BriefingsPlugin.serve) from
    on_startup to on_shutdown. A build uses none of them."""

    def __init__(self) -> None:
        self.last_site = None  # the last site without errors: shown while a save has some
        self.documents = DocumentCache()
        self._rendering: RenderCache | None = None
        self.pdf_jobs = PerReview()  # each briefing's print HTML, from which its PDF is made or reused
        self._store: PageStore | None = None

    def rendering(self, root: Path) -> RenderCache:
        """The project's cache of rendered pages, with the last pass's entries kept in memory."""
        if self._rendering is None or self._rendering.folder != root / RENDER_CACHE:
            self._rendering = RenderCache(root / RENDER_CACHE, keep_in_memory=True)
        return self._rendering

    @property
    def store(self) -> PageStore:
        if self._store is None:
            folder = Path(tempfile.mkdtemp(prefix="briefings-pages-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            self._store = PageStore(folder)
        return self._store

