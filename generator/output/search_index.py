"""Index the built site with Pagefind, at the end of every build (plain `mkdocs build` too).

Pagefind writes site/pagefind/: an index split into small chunks, so that a query downloads
only the chunks it needs (a few hundred kilobytes at 5,000 reviews, where Material's one-file
index would be about 58 MB). Its binary comes inside the pinned PyPI wheel.

Pagefind keeps every page's words in memory until it writes the index: about 0.4 MB a page,
so 4 GB for one run over a site of 5,000 reviews (10,176 pages). So the site's pages are indexed in parts of
at most PART_BYTES of HTML, one Pagefind run after another, and the parts are merged into the
one index that a single run would have written (generator/pagefind_merge.py). A small site is
one part. Either way the index is merged, which numbers pages by URL and names files after
their content, so the same site always gives the same bytes.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.output import pagefind_merge
from generator.speed.parallel import ends_with_this_process
from generator.output.pagefind_merge import SIGNATURE  # noqa: F401 - starts every decompressed index file

# HTML per Pagefind run. Pagefind's memory is about 10 times the HTML it indexes (850 MB for the
# 93 MB of pages of a 1,000-review site): 40 MB of HTML keeps each run near 400 MB, whatever the
# size of the site, beside the MkDocs build that runs it.
PART_BYTES = 40_000_000
# Pagefind takes the files of a part as one --glob argument; Linux limits one argument to 128 KiB.
PART_GLOB_CHARS = 100_000
BODY = b"data-pagefind-body"
GLOB_SPECIAL = set("\\*?$:<>()[]{},!#")


class IndexFailed(Exception):
    pass


class NothingToIndex(IndexFailed):
    """Pagefind found no words in the pages it was given."""


def index_site(site_dir: Path, part_bytes: int = PART_BYTES) -> None:
    """Write site_dir/pagefind/ from the built HTML; raise IndexFailed with Pagefind's words.

    Nothing is written to site_dir/pagefind until every part is indexed and merged."""
    parts = plan_parts(site_dir, part_bytes)
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir))  # same disk: the index moves in whole
    try:
        folders = []
        for number, files in enumerate(parts):
            try:
                _run_pagefind(site_dir, work / f"part-{number}", files)
            except NothingToIndex:
                if len(parts) == 1 or (number == len(parts) - 1 and not folders):
                    raise  # no page of the site has a word to index
                continue  # a part whose pages have no words: the others have them
            folders.append(work / f"part-{number}")
        try:
            pagefind_merge.merge(folders, work / "pagefind")
        except (pagefind_merge.MergeFailed, OSError, ValueError, KeyError, IndexError) as exc:
            raise IndexFailed(f"the search index could not be built: {exc}") from None
        target = site_dir / "pagefind"
        if target.exists():
            shutil.rmtree(target)
        (work / "pagefind").rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def plan_parts(site_dir: Path, part_bytes: int = PART_BYTES) -> list[list[str]]:
    """The site's pages to index, as Pagefind would choose them, in parts of at most part_bytes
    of HTML (a larger page is a part on its own), in order of path. Each is a list of paths
    relative to site_dir."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == "pagefind" or relative.parts[0].startswith(".pagefind-"):
            continue
        text = path.read_bytes()
        pages.append((relative.as_posix(), len(text), BODY in text))
    # Pagefind indexes only the pages with data-pagefind-body if any page has it, so a part
    # must not hold only pages without it: leave them out, as Pagefind would.
    if any(body for _, _, body in pages):
        pages = [page for page in pages if page[2]]
    parts: list[list[str]] = []
    size = chars = 0
    for path, length, _ in pages:
        glob = len(_glob_literal(path)) + 1
        if not parts or (parts[-1] and (size + length > part_bytes or chars + glob > PART_GLOB_CHARS)):
            parts.append([])
            size = chars = 0
        parts[-1].append(path)
        size += length
        chars += glob
    return parts or [[]]


def _run_pagefind(site_dir: Path, output: Path, files: list[str]) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(output),
               "--force-language", "en", "--silent",
               "--exclude-selectors", ".headerlink"]  # the ¶ after each heading is not a word
    if files:
        command += ["--glob", "{" + ",".join(_glob_literal(path) for path in files) + "}"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800,
                                preexec_fn=ends_with_this_process())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IndexFailed(f"the search index could not be built ({exc})") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
        failure = NothingToIndex if "not able to build an index" in detail else IndexFailed
        raise failure(f"the search index could not be built: {detail}")


def _glob_literal(path: str) -> str:
    """A glob that matches exactly this path: Pagefind's globs treat these characters as syntax."""
    return "".join("\\" + c if c in GLOB_SPECIAL else c for c in path)
