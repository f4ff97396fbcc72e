"""`python -m generator export DIR`: the site as a plain docs tree that any engine reading
mkdocs.yml builds (MkDocs 1.x, ProperDocs, Zensical), with no hook and no generator code.

DIR gets mkdocs.yml (the project's, without `hooks:`, with what the hook sets at run time written
in), theme/ (the Material overrides and assets) and docs/: the hand-written pages, every
generated page, the PDFs, and the Pagefind search index. The index is made as a build makes it
(search_index.index_site over a MkDocs build of this very tree), and that build passes the last
gate before anything is written, so a failed check or build leaves DIR as it was.

What the hook does per page and a hookless engine cannot: it escapes front matter for the theme
(done here, in the files) and runs every page's HTML through the sanitiser. The generated pages
are safe already; export refuses a hand-written page whose HTML the sanitiser would change
(`_check_sanitised`), so a hookless build publishes no HTML that the hook build would not.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import markdown
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.model.types import Site
from generator.output import last_gate
from generator.output.briefing_pdf import make_briefing_pdfs
from generator.output.building import FreshFolder, os_error_in, swap_in, make_readable, one_build_at_a_time
from generator.output.pdf_making import PdfFailed, PdfFile
from generator.output.search_index import IndexFailed, index_site
from generator.output.slides import SlidePack, make_slide_packs
from generator.pages.environment import Page, url
from generator.pages.raw_blocks import unmarked
from generator.pages.sanitising import clean_html, for_engine
from generator.pages.site import PageClash, render_site
from generator.pages.views.feed import has_feed
from generator.pages.views.open_data import json_ld_by_page
from generator.speed.stopwatch import stage

MARKER = ".briefings-export"  # names a folder this command wrote, which it may replace
CHECK_SITE = ".export-check-site"  # the build the index is made from, inside the fresh tree
FRONT_MATTER = re.compile(r"\A(-{3}[ \t]*\n)(.*?\n)((?:\.{3}|-{3})[ \t]*\n)", re.S)  # as mkdocs.utils.meta reads it


class ExportFailed(Exception):
    pass


def export(root: Path, site: Site, target: Path) -> Path:
    """Write the export of the checked site (from load_site, no errors) into target, whole or not at all."""
    target = target.resolve()
    _refuse_unsafe_target(root.resolve(), target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with one_build_at_a_time(target), FreshFolder(target) as fresh:
        epoch = source_date_epoch(site)
        write_tree(root, site, fresh.path, epoch)
        _index(root, fresh.path, epoch)
        (fresh.path / MARKER).write_text("Written by python -m generator export; replaced by the next export.\n")
        make_readable(fresh.path)
        swap_in(fresh, target)
    return target


def _refuse_unsafe_target(root: Path, target: Path) -> None:
    for inside in ("briefings", "docs", "theme", "generator"):
        if target == root / inside or (root / inside) in target.parents:
            raise ExportFailed(f"{target} is inside the project's {inside}/ folder. Export to a folder outside it.")
    if target in (root, *root.parents):
        raise ExportFailed(f"{target} holds the project itself. Export to a new folder.")
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).exists())):
        raise ExportFailed(f"{target} already holds files that an export did not write. "
                           "Export to a new or empty folder, so that nothing of yours is replaced.")


def source_date_epoch(site: Site) -> str | None:
    """The newest publication, as the hook sets it, so that the sitemap's dates are the data's."""
    if not site.reviews:
        return None
    newest = max(r.published.first_day for r in site.reviews)
    return str(int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone.utc).timestamp()))


# --- the tree --------------------------------------------------------------------------------

def write_tree(root: Path, site: Site, out: Path, epoch: str | None) -> None:
    docs = out / "docs"
    with stage("pdf"):
        try:
            pdfs = make_briefing_pdfs(site, root).files
        except (PdfFailed, OSError) as exc:
            raise ExportFailed(f"the briefings' PDFs could not be made: {exc}") from None
    with stage("slides"):
        try:
            slides = make_slide_packs(site, root)
        except OSError as exc:
            raise ExportFailed(f"the briefings' slide packs could not be made: {exc}") from None
    with stage("generation"):
        try:
            pages = render_site(site, pdfs, slides=slides)
        except PageClash as exc:
            raise ExportFailed(str(exc)) from None
    _copy_docs(root / "docs", docs, {page.path for page in pages})
    for page in pages:
        # without the marks of the blocks our build sets aside: another engine reads them as Markdown reads any HTML
        _write(docs / page.path, escape_front_matter(unmarked(page.content)) if page.path.endswith(".md") else page.content)
    for made in (*pdfs.values(), *slides.values()):
        _copy_made(made, docs)
    shutil.copytree(root / "theme", out / "theme", ignore=shutil.ignore_patterns("__pycache__", ".*"))
    _write(out / "mkdocs.yml", export_config(root / "mkdocs.yml", site, epoch))


def _copy_docs(source: Path, docs: Path, generated: set[str]) -> None:
    """The hand-written pages, their front matter escaped as the hook escapes it."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(source).parts):
            continue  # MkDocs leaves out dot files too
        if relative in generated:
            raise ExportFailed(f"docs/{relative}: a generated page has the same address. Rename or remove the file.")
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            _check_sanitised(f"docs/{relative}", text)
            _write(docs / relative, escape_front_matter(text))
        else:
            (docs / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, docs / relative)


def _check_sanitised(name: str, text: str) -> None:
    """A hookless build publishes a page's HTML as the Markdown makes it: refuse a page whose
    HTML the sanitiser would change (raw HTML such as a script), instead of publishing it."""
    body = FRONT_MATTER.sub("", text, count=1)
    html = markdown.markdown(body, extensions=["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables"])
    if clean_html(html) != html.encode("ascii", "xmlcharrefreplace").decode("ascii"):
        raise ExportFailed(f"{name}: holds HTML that the site's sanitiser removes (a script, a style, an "
                           "unknown element or attribute). A build with the hook removes it; an export cannot, "
                           "so write the page in Markdown only and export again.")


def escape_front_matter(text: str) -> str:
    """A page's front matter with its values escaped for the theme (sanitising.for_engine), as the
    hook's on_page_markdown does; the page unchanged when nothing needs escaping."""
    match = FRONT_MATTER.match(text)
    if not match:
        return text
    meta = yaml.safe_load(match.group(2))
    escaped = _plain(for_engine(meta))
    if not isinstance(meta, dict) or escaped == meta:
        return text
    dumped = yaml.safe_dump(escaped, allow_unicode=True, sort_keys=False, width=10_000)
    return match.group(1) + dumped + match.group(3) + text[match.end():]


def _plain(value):
    """Markup back to str (for YAML), keeping its escaped text."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def export_config(source: Path, site: Site, epoch: str | None) -> str:
    """The project's mkdocs.yml without the hook, and with what the hook's on_config sets written in."""
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config["docs_dir"], config["site_dir"] = "docs", "site"
    config["theme"]["custom_dir"] = "theme"
    config["site_name"] = str(for_engine(site.settings.site_name))
    if site.settings.base_url and not config.get("site_url"):
        config["site_url"] = url(site.settings.base_url)
    config["extra"] = {**(config.get("extra") or {}), "serving": False,
                       "partnership": str(for_engine(site.settings.partnership)),
                       "contact_email": str(for_engine(site.settings.contact_email)), "feed": has_feed(site),
                       # each review's schema.org record, already escaped for its <script> (open_data.json_ld)
                       "json_ld": {page: str(record) for page, record in json_ld_by_page(site).items()}}
    build = f"SOURCE_DATE_EPOCH={epoch} " if epoch else ""
    header = ("# Written by `python -m generator export`: the generated site, for any engine that reads mkdocs.yml.\n"
              "# No hook: the pages, PDFs and search index (docs/pagefind/) are already made. For the same sitemap\n"
              f"# dates as `python -m generator build`, build with: {build}mkdocs build\n")
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=10_000)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _copy_made(made: PdfFile | SlidePack, docs: Path) -> None:
    """A made file (a PDF or a slide pack) copied from its cache to its place in the docs."""
    (docs / made.path).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(made.source, docs / made.path)


# --- the search index, made from a build of the tree and checked by the last gate -----------

def _index(root: Path, out: Path, epoch: str | None) -> None:
    built = out / CHECK_SITE
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and previous is None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        mkdocs_build(load_config(str(out / "mkdocs.yml"), site_dir=str(built)))
        with stage("search"):
            index_site(built)
        last_gate.check(root, built)  # every file the export publishes, against the denylist and detectors
    except (IndexFailed, last_gate.GateClosed) as exc:
        raise ExportFailed(str(exc)) from None
    except (MkDocsException, SystemExit) as exc:
        if (cause := os_error_in(exc)) is not None:
            raise cause from None
        raise ExportFailed(f"MkDocs could not build the export: {exc or 'it stopped'}") from None
    finally:
        if epoch and previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
    (built / "pagefind").rename(out / "docs" / "pagefind")
    shutil.rmtree(built)
