"""MkDocs hook: lets plain `mkdocs build` and `mkdocs serve` run the generator.

mkdocs.yml lists this file under `hooks:`. The generated pages are added as virtual files, so
nothing is written into the docs folder, and `mkdocs serve` rebuilds when briefings/ changes.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path

# MkDocs loads a hook as a lone file, so make the generator package importable.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

from generator.pages.views.feed import has_feed  # noqa: E402
from generator.pages.views.open_data import json_ld_by_page  # noqa: E402
from generator.adapter.serve_cache import SESSION  # noqa: E402
from generator.adapter.page_reuse import FOLDER as PAGE_CACHE, PageCache, nav_paths  # noqa: E402
from generator.site import build_date, load_site  # noqa: E402
from generator.output.briefing_pdf import make_briefing_pdfs  # noqa: E402
from generator.output.pdf_making import MAX_PDF_PAGES, PdfFailed, PdfResult  # noqa: E402
from generator.load.problems import errors, warnings  # noqa: E402
from generator.pages.environment import Page, url
from generator.pages.site import PageClash, render_review, render_site  # noqa: E402
from generator.pages.sanitising import clean_html, for_engine  # noqa: E402
from generator.output.search_index import IndexFailed, index_site  # noqa: E402
from generator.output.slides import make_slide_packs  # noqa: E402
from generator.speed.stopwatch import stage  # noqa: E402

log = logging.getLogger("mkdocs.hooks.briefings")
_pages: list = []
_epoch_set_here: list = []  # not empty while SOURCE_DATE_EPOCH holds the value this hook set
_pdfs: list = []
_page_cache: list[PageCache] = []  # while a dirty build runs: the pages it reuses and keeps
_problems: list[str] = []  # the errors of this pass, under serve shown on the pages (preview-problems.js)
PROBLEMS_FILE = "preview-problems.json"




def on_startup(command, dirty):
    # serve keeps its caches between rebuilds (MkDocs loads this file afresh each time, so they
    # live in generator.adapter.serve_cache); a build starts from nothing
    SESSION.serving = command == "serve"
    # a dirty build (python -m generator build asks for one, into a fresh folder) reuses the HTML
    # of unchanged pages from .cache/pages (page_reuse.py)
    SESSION.reusing_pages = command == "build" and dirty


def on_shutdown():
    SESSION.reusing_pages = False


def on_config(config):
    root = Path(config.config_file_path).parent
    documents = SESSION.documents if SESSION.serving or SESSION.reuse_documents else None
    if documents is not None:
        documents.start_pass()
    with stage("validation"):
        result = load_site(root, build_date(), cache=documents)
    if not SESSION.serving:
        SESSION.release_documents()  # the CLI's checked files are used now: do not hold them all build long
    for problem in warnings(result.problems):
        log.info(str(problem))  # INFO: the seven-minute budget is advice unless --strict is asked for
    _problems[:] = [str(p) for p in errors(result.problems)]
    if result.ok:
        site = result.site
    elif SESSION.serving and SESSION.last_site is not None:
        # the preview keeps the last good version, and shows the problems on every page too
        for problem in _problems:
            log.error(problem)
        site = SESSION.last_site
    else:
        raise Abort("The briefings have problems, so nothing was built:\n" + "\n".join(_problems))
    if SESSION.serving:
        SESSION.last_site = site
    config.extra["serving"] = SESSION.serving
    # text from _site.yml, escaped once here for every template of the theme (sanitising.for_engine)
    config.site_name = for_engine(site.settings.site_name)
    if site.settings.base_url and not config.site_url:
        config.site_url = url(site.settings.base_url)
    config.extra["partnership"] = for_engine(site.settings.partnership)
    config.extra["contact_email"] = for_engine(site.settings.contact_email)
    config.extra["feed"] = has_feed(site)  # theme/main.html links the Atom feed from every page
    config.extra["json_ld"] = json_ld_by_page(site)  # theme/main.html puts each review's schema.org record in its head
    # Reproducible output: the sitemap's dates come from the newest publication, not the clock.
    # The value is this build's alone: a long-lived process (serve, tests) must not keep it.
    if _epoch_set_here:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        _epoch_set_here.clear()
    if site.reviews and "SOURCE_DATE_EPOCH" not in os.environ:
        newest = max(r.published.first_day for r in site.reviews)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(newest.year, newest.month, newest.day,
                                                               tzinfo=dt.timezone.utc).timestamp()))
        _epoch_set_here.append(True)
    with stage("pdf"):
        if SESSION.serving:
            SESSION.pdf_jobs.start_pass(site)
        pdfs = _make_pdfs(site, root, SESSION.pdf_jobs if SESSION.serving else None)
    with stage("slides"):
        try:  # each briefing's slide pack, linked from its pages with its size
            slides = make_slide_packs(site, root)
        except OSError as exc:
            raise Abort(f"The briefings' slide packs could not be made, so nothing was built: {exc}") from None
    _pdfs[:] = [*pdfs.files.values(), *slides.values()]  # copied into the site like the PDFs
    with stage("generation"):
        if SESSION.serving:
            SESSION.renders.start_pass(site)
            SESSION.listings.start_pass(site)
        try:
            _pages[:] = render_site(site, pdfs.files, SESSION.renders.pages if SESSION.serving else render_review,
                                    SESSION.listings if SESSION.serving else None, slides=slides)
        except PageClash as exc:
            raise Abort(f"Nothing was built: {exc}") from None
    return config


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


def on_files(files, config):
    if SESSION.serving:
        # files on disk, rewritten only when their text changed: `serve --dirty` skips the rest
        pages = [*_pages, Page(PROBLEMS_FILE, json.dumps(_problems))]
        stored = SESSION.store.sync(pages)
        for page in pages:
            files.append(File.generated(config, page.path, abs_src_path=str(stored[page.path])))
    elif SESSION.reusing_pages:
        cache = PageCache(Path(config.config_file_path).parent / PAGE_CACHE)
        _page_cache[:] = [cache]
        cache.start(config)
        in_nav = nav_paths(config.nav)
        for page in _pages:
            files.append(cache.file_for(page, config, files, in_nav))
        log.info(f"Pages: {cache.reused} unchanged since the last build, {len(cache.pending)} to render")
    else:
        for page in _pages:
            files.append(File.generated(config, page.path, content=page.content))
    for pdf in _pdfs:  # MkDocs copies them into the build's folder, which building.py swaps in whole
        files.append(File.generated(config, pdf.path, abs_src_path=str(pdf.source)))
    _pages.clear()  # the files hold the text now
    return files


# MkDocs reads every page into memory before it writes the first one, so at national scale what
# it holds per page decides the build's peak memory. A page's Markdown is not needed once it is
# HTML, nor its HTML once the page is written.

def on_page_markdown(markdown, page, config, files):
    # The theme prints front matter (title, description ...) as HTML: escape it, for the
    # generated pages and the pages of docs/ alike.
    page.meta = for_engine(page.meta)
    return markdown


def on_page_content(html, page, config, files):
    html = clean_html(html)  # every page: whatever Markdown made of its source, only safe HTML is published
    page.markdown = None
    if not SESSION.serving and page.file.generated_by and page.file.abs_src_path is None:
        page.file.content_string = ""  # generated text; serve --dirty compares files on disk instead
    return html


def on_post_page(output, page, config):
    page.content = None
    if _page_cache:
        _page_cache[0].keep(page.file.src_uri, output)
    return output


def on_post_build(config):
    if _epoch_set_here:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        _epoch_set_here.clear()
    if _page_cache:
        _page_cache.pop().prune()
    with stage("search"):
        try:
            index_site(Path(config.site_dir), cache=Path(config.config_file_path).parent / ".cache" / "search")
        except IndexFailed as exc:
            raise Abort(str(exc)) from None


def on_serve(server, config, builder):
    server.watch(str(Path(config.config_file_path).parent / "briefings"))
    server.watch(str(Path(__file__).parent / "templates"))
    return server
