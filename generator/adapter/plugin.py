"""The generator as one MkDocs plugin object: its methods are the MkDocs events, its attributes
all the state that passes from one event to the next, and from one `mkdocs serve` rebuild to the next.

Why an object kept here, and a hook file that only points to it (mkdocs_hook.py):
- mkdocs.yml names the hook file, so a plain `mkdocs build` or `mkdocs serve` runs the generator
  without installing it as a package (a `plugins:` entry would need an installed entry point).
- MkDocs loads a hook file by its path (config_options.Hooks._load_hook, under its own name, not
  as `generator.adapter.mkdocs_hook`). MkDocs 1.6.1 happens to keep the loaded file for the
  process (an lru_cache), but that is not documented: 1.4 and 1.5 ran it afresh for each config,
  and a second mkdocs.yml (a test's, the benchmark's) loads a second copy. Only a plugin class with
  an `on_startup` method is documented to be "kept across builds within one mkdocs serve"
  (BasePlugin.on_startup), and a hook is not a class. So the one object lives in this ordinary
  module, which every copy of the hook file and the CLI import alike.
- State that one build hands to the next event is reset at on_config, as BasePlugin's docs advise;
  what serve keeps between rebuilds (serve_cache.Session) lives from on_startup to on_shutdown.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from generator.adapter.checked_files import CheckedStore, DocumentCache
from generator.adapter.page_reuse import FOLDER as PAGE_CACHE, PageCache, always_rendered
from generator.adapter.serve_cache import Session
from generator.load.problems import errors, warnings
from generator.output.briefing_pdf import make_briefing_pdfs
from generator.output.pdf_making import MAX_PDF_PAGES, PdfFailed, PdfResult
from generator.output.search_index import IndexFailed, index_site
from generator.output.slides import make_slide_packs
from generator.pages.environment import TEMPLATES, Page, url
from generator.pages.sanitising import clean_html, for_engine
from generator.pages.raw_blocks import NotPutBack, anchor_ids, put_back, set_aside
from generator.pages.render_cache import FOLDER as RENDER_CACHE, RenderCache
from generator.pages.site import PageClash, render_site
from generator.pages.views.feed import has_feed
from generator.pages.views.open_data import json_ld_by_page
from generator.site import build_date, load_site
from generator.speed.stopwatch import stage

log = logging.getLogger("mkdocs.hooks.briefings")
PROBLEMS_FILE = "preview-problems.json"


class BriefingsPlugin(BasePlugin):
    """Runs the generator inside MkDocs. One per process: see briefings_plugin()."""

    def __init__(self) -> None:
        super().__init__()
        self.serve: Session | None = None  # from on_startup("serve") to on_shutdown: what rebuilds reuse
        self.reusing_pages = False  # a dirty `build`: unchanged pages' HTML comes from .cache/pages
        self._checked: DocumentCache | None = None  # the CLI's checked files, until a build takes them
        self._check_result = None  # the CLI's check of those files (site.Result), until a build takes it
        self._epoch_set_here = False  # SOURCE_DATE_EPOCH holds the value this object set
        self._start_build()

    def _start_build(self) -> None:
        """What one build passes from on_config to the later events."""
        self.generated: list[Page] = []
        self._pdfs: list = []  # the PDFs and slide packs, copied into the site
        self._problems: list[str] = []  # the errors of this pass, under serve shown on the pages (preview-problems.js)
        self._page_cache: PageCache | None = None  # while a dirty build runs: the pages it reuses and keeps
        self._aside: dict[str, list[str]] = {}  # a generated page's blocks of HTML, from its Markdown to its HTML

    @property
    def serving(self) -> bool:
        return self.serve is not None

    def reuse_documents_from_check(self, documents: DocumentCache | None, result=None) -> None:
        """`python -m generator build` has just read and checked every file: the build takes its
        result (site.Result) whole, so the site it builds is the one that was checked, and lets go
        of them. Without a result, files changed since are read again. None takes them back."""
        self._checked, self._check_result = documents, result if documents is not None else None

    # -- the MkDocs events, in the order MkDocs calls them --

    def on_startup(self, command, dirty):
        # serve keeps its caches between rebuilds; a build starts from nothing
        self.serve = Session() if command == "serve" else None
        # a dirty build (python -m generator build asks for one, into a fresh folder) reuses the HTML
        # of unchanged pages from .cache/pages (page_reuse.py)
        self.reusing_pages = command == "build" and dirty

    def on_shutdown(self):
        self.serve = None
        self.reusing_pages = False

    def on_config(self, config):
        self._start_build()
        root = Path(config.config_file_path).parent
        with stage("validation"):
            result = self._take_check_result() or self._check(root)
        for problem in warnings(result.problems):
            log.info(str(problem))  # INFO: the seven-minute budget is advice unless --strict is asked for
        self._problems = [str(p) for p in errors(result.problems)]
        site = self._site_to_build(result)
        self._set_config(config, site)
        self._set_epoch(site)
        with stage("pdf"):
            if self.serve:
                self.serve.pdf_jobs.start_pass(site)
            pdfs = _make_pdfs(site, root, self.serve.pdf_jobs if self.serve else None)
        with stage("slides"):
            try:  # each briefing's slide pack, linked from its pages with its size
                slides = make_slide_packs(site, root)
            except OSError as exc:
                raise Abort(f"The briefings' slide packs could not be made, so nothing was built: {exc}") from None
        self._pdfs = [*pdfs.files.values(), *slides.values()]  # copied into the site like the PDFs
        with stage("generation"):
            # pages whose inputs did not change since a build or serve pass kept them are not rendered
            cache = self.serve.rendering(root) if self.serve else RenderCache(root / RENDER_CACHE)
            try:
                self.generated = render_site(site, pdfs.files, slides=slides, cache=cache)
            except PageClash as exc:
                raise Abort(f"Nothing was built: {exc}") from None
        log.info(f"Generated pages: {cache.reviews_kept} reviews' and {cache.listings_kept} listing pages as kept, "
                 f"{cache.reviews_rendered} reviews' and {cache.listings_rendered} listing pages rendered")
        return config

    def _take_check_result(self):
        """The CLI's check, when it handed one over with its files (a second check of 5,000
        unchanged files would take 2 to 3 s): then neither is held any longer."""
        result, self._check_result = self._check_result, None
        if result is not None:
            self._checked = None
        return result

    def _check(self, root: Path):
        documents = self._documents(root)
        documents.start_pass()
        return load_site(root, build_date(), cache=documents)  # the CLI's checked files are let go after

    def _documents(self, root: Path) -> DocumentCache:
        """The checked files this pass starts from: serve's, or those the CLI's check hands over.
        Each is backed by .cache/checked/, so that a plain `mkdocs build`, and serve's first
        pass, check only the files whose bytes changed since an earlier build or check."""
        documents = self.serve.documents if self.serve else self._take_checked() or DocumentCache()
        if documents.store is None:
            documents.store = CheckedStore.under(root)
        return documents

    def _take_checked(self) -> DocumentCache | None:
        documents, self._checked = self._checked, None
        return documents

    def _site_to_build(self, result):
        if result.ok:
            if self.serve:
                self.serve.last_site = result.site
            return result.site
        if self.serve and self.serve.last_site is not None:
            # the preview keeps the last good version, and shows the problems on every page too
            for problem in self._problems:
                log.error(problem)
            return self.serve.last_site
        raise Abort("The briefings have problems, so nothing was built:\n" + "\n".join(self._problems))

    def _set_config(self, config, site) -> None:
        config.extra["serving"] = self.serving
        # text from _site.yml, escaped once here for every template of the theme (sanitising.for_engine)
        config.site_name = for_engine(site.settings.site_name)
        if site.settings.base_url and not config.site_url:
            config.site_url = url(site.settings.base_url)
        config.extra["partnership"] = for_engine(site.settings.partnership)
        config.extra["contact_email"] = for_engine(site.settings.contact_email)
        config.extra["feed"] = has_feed(site)  # theme/main.html links the Atom feed from every page
        config.extra["json_ld"] = json_ld_by_page(site)  # theme/main.html puts each review's schema.org record in its head

    def _set_epoch(self, site) -> None:
        """Reproducible output: the sitemap's dates come from the newest publication, not the clock."""
        self._clear_epoch()  # a build that failed after on_config left its value
        if site.reviews and "SOURCE_DATE_EPOCH" not in os.environ:
            newest = max(r.published.first_day for r in site.reviews)
            os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(newest.year, newest.month, newest.day,
                                                                   tzinfo=dt.timezone.utc).timestamp()))
            self._epoch_set_here = True

    def _clear_epoch(self) -> None:
        """The value is this build's alone: a long-lived process (serve, tests) must not keep it."""
        if self._epoch_set_here:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._epoch_set_here = False

    def on_files(self, files, config):
        if self.serve:
            # files on disk, rewritten only when their text changed: `serve --dirty` skips the rest
            pages = [*self.generated, Page(PROBLEMS_FILE, json.dumps(self._problems))]
            stored = self.serve.store.sync(pages)
            for page in pages:
                files.append(File.generated(config, page.path, abs_src_path=str(stored[page.path])))
        elif self.reusing_pages:
            cache = self._page_cache = PageCache(Path(config.config_file_path).parent / PAGE_CACHE)
            cache.start(config)
            in_nav = always_rendered(config.nav)
            # every file of the build, those still to come too, so a page's key does not hang on the order
            present = {*files.src_uris, *(page.path for page in self.generated), *(made.path for made in self._pdfs)}
            for page in self.generated:
                files.append(cache.file_for(page, config, present, in_nav))
            log.info(f"Pages: {cache.reused} unchanged since the last build, {len(cache.pending)} to render")
        else:
            for page in self.generated:
                files.append(File.generated(config, page.path, content=page.content))
        for made in self._pdfs:  # MkDocs copies them into the build's folder, which building.py swaps in whole
            file = File.generated(config, made.path, abs_src_path=str(made.source))
            if self._page_cache is not None:
                self._page_cache.place_made(file)
            files.append(file)
        self.generated = []  # the files hold the text now
        return files

    # MkDocs reads every page into memory before it writes the first one, so at national scale what
    # it holds per page decides the build's peak memory. A page's Markdown is not needed once it is
    # HTML, nor its HTML once the page is written.

    def on_page_markdown(self, markdown, page, config, files):
        # The theme prints front matter (title, description ...) as HTML: escape it, for the
        # generated pages and the pages of docs/ alike.
        page.meta = for_engine(page.meta)
        if page.file.generated_by:  # the generator's pages: their large lists are HTML already (raw_blocks.py)
            markdown, self._aside[page.file.src_uri] = set_aside(markdown)
        return markdown

    def on_page_content(self, html, page, config, files):
        if blocks := self._aside.pop(page.file.src_uri, None):
            try:
                html = put_back(html, blocks)
            except NotPutBack as exc:
                raise Abort(f"Nothing was built: the page {page.file.src_uri} lost part of its HTML ({exc}). "
                            "This is a fault in the generator's templates, not in the briefings: report it "
                            "to whoever maintains the site's generator.") from None
            page.present_anchor_ids = (page.present_anchor_ids or set()) | anchor_ids(blocks)
        html = clean_html(html)  # every page: whatever Markdown made of its source, only safe HTML is published
        page.markdown = None
        if not self.serve and page.file.generated_by and page.file.abs_src_path is None:
            page.file.content_string = ""  # generated text; serve --dirty compares files on disk instead
        return html

    def on_post_page(self, output, page, config):
        page.content = None
        if self._page_cache is not None:
            self._page_cache.keep(page.file.src_uri, output)
        return output

    def on_post_build(self, config):
        self._clear_epoch()
        known = {}  # the pages placed from the cache, whose bytes the search need not read again
        if self._page_cache is not None:
            known = self._page_cache.known_pages()
            self._page_cache.prune()
            self._page_cache = None
        with stage("search"):
            try:
                index_site(Path(config.site_dir), cache=Path(config.config_file_path).parent / ".cache" / "search",
                           known=known)
            except IndexFailed as exc:
                raise Abort(str(exc)) from None

    def on_serve(self, server, config, builder):
        server.watch(str(Path(config.config_file_path).parent / "briefings"))
        server.watch(str(TEMPLATES))
        return server


def _make_pdfs(site, root: Path, per_review=None) -> PdfResult:
    """Made before the pages, because each briefing page links its PDF with the PDF's size."""
    try:
        result = make_briefing_pdfs(site, root, per_review)
    except (PdfFailed, OSError) as exc:
        raise Abort(f"The briefings' PDFs could not be made, so nothing was built: {exc}") from None
    for made in result.made:
        pdf = result.files[made.review_id]
        log.info(f"Made {pdf.path} in {made.seconds:.2f} s: {pdf.size:,} bytes, {pdf.pages} page(s)")
    for review in site.reviews:
        if result.files[review.id].pages > MAX_PDF_PAGES:
            log.info(f"{review.source}: the briefing's PDF runs to {result.files[review.id].pages} pages of A4; "
                     f"a briefing within its {site.settings.briefing_minutes} minutes fits on {MAX_PDF_PAGES}")
    log.info(f"PDFs: {len(result.made)} made, {result.reused} unchanged since the last build")
    return result


_THE_PLUGIN = BriefingsPlugin()


def briefings_plugin() -> BriefingsPlugin:
    """The one plugin object of this process, for every copy of the hook file and for the CLI."""
    return _THE_PLUGIN
