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

With a cache folder (the hook gives .cache/search/), each part's own index is kept under the hash
of its pages' paths and bytes, and a part whose pages are all unchanged is not indexed again. So
that one changed page does not move the parts after it, a part ends where a page's path says
(about one path in PART_PAGES, once a part has an eighth of PART_BYTES), or at PART_BYTES. A part
also ends where the site's top folder changes: the listing pages (themes/, catalogue/ ...), which
change with any review they name, are then indexed again on their own, not with hundreds of
unchanged reviews' pages.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

from generator.output import pagefind_merge
from generator.speed.parallel import WORKERS, ends_with_this_process
from generator.output.pagefind_merge import SIGNATURE  # noqa: F401 - starts every decompressed index file

# HTML per Pagefind run. Pagefind's memory is about 10 times the HTML it indexes (850 MB for the
# 93 MB of pages of a 1,000-review site): 40 MB of HTML keeps each run near 400 MB, whatever the
# size of the site, beside the MkDocs build that runs it.
PART_BYTES = 40_000_000
# Pagefind takes the files of a part as one --glob argument; Linux limits one argument to 128 KiB.
PART_GLOB_CHARS = 100_000
BODY = b"data-pagefind-body"
# A part of at least an eighth of PART_BYTES ends after a page whose path hashes to 0 modulo this
# (about 5 MB of pages at 25 KB a page), so most parts end there rather than at PART_BYTES, and
# an edit of one page moves no boundary. Pagefind takes about 2.5 ms a page, and a third of a
# second to start: a review's part of about 200 to 400 pages is indexed again in about a second.
# A small site stays one part.
PART_PAGES = 200
# Listing pages (a theme's, a year of the tracker's) are large, and change with any review they
# name: a part of them also ends after a page with a chance of its bytes in LISTING_PART_BYTES,
# drawn from its path's hash, so a part of large pages holds about that much HTML wherever the
# pages are. Adding one review changed pages in every listing folder, and each folder, one part
# (36 MB for the tracker at 5,000 reviews: 2.1 s), was indexed again whole. A review's own pages
# (20 to 45 KB) are under LARGE_PAGE and keep their larger parts, so the merge has few to read.
LARGE_PAGE = 50_000
LISTING_PART_BYTES = 2_000_000
KEEP_SECONDS = 3600  # how long a cached part not used by the last build is kept
GLOB_SPECIAL = set("\\*?$:<>()[]{},!#")


class IndexFailed(Exception):
    pass


class NothingToIndex(IndexFailed):
    """Pagefind found no words in the pages it was given."""


def index_site(site_dir: Path, part_bytes: int = PART_BYTES, cache: Path | None = None,
               known: Mapping[str, tuple[int, bool, bytes]] | None = None) -> None:
    """Write site_dir/pagefind/ from the built HTML; raise IndexFailed with Pagefind's words.
    known: pages whose bytes are known already (page_reuse.PageCache.known_pages), not read to plan.

    Nothing is written to site_dir/pagefind until every part is indexed and merged."""
    parts = plan_parts(site_dir, part_bytes, known)
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir))  # same disk: the index moves in whole
    try:
        cached = {number for number, part in enumerate(parts)
                  if cache and (cache / part.key / "pagefind-entry.json").exists()}
        indexed = _index_parts(site_dir, work, {n: part for n, part in enumerate(parts) if n not in cached})
        folders, used = [], {part.key for part in parts}
        for number, part in enumerate(parts):
            if number in cached:
                folders.append(cache / part.key)  # read only by the merge
                continue
            if isinstance(indexed[number], NothingToIndex):
                if len(parts) == 1 or (number == len(parts) - 1 and not folders):
                    raise indexed[number]  # no page of the site has a word to index
                continue  # a part whose pages have no words: the others have them
            folders.append(work / f"part-{number}")
            if cache:
                _keep(work / f"part-{number}", cache, part.key)
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
    if cache:
        _prune(cache, used)


def _index_parts(site_dir: Path, work: Path, parts: dict[int, "Part"]) -> dict[int, NothingToIndex | None]:
    """Index each part into work/part-N, WORKERS runs at a time: a run of a few pages is mostly
    Pagefind starting up on one core, and adding a review indexes about twenty parts again at
    5,000 reviews. Each run stays under PART_BYTES, so two at once hold twice its memory. Returns
    NothingToIndex for a part whose pages have no words; any other failure is raised."""
    def one(number: int) -> NothingToIndex | None:
        try:
            run_pagefind(site_dir, work / f"part-{number}", parts[number].files)
        except NothingToIndex as nothing:
            return nothing
        pagefind_merge.describe_fragments(work / f"part-{number}")  # kept with the part: read by every merge
        return None

    if len(parts) < 2:
        return {number: one(number) for number in parts}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # threads: each run is a process of its own
        return dict(zip(parts, pool.map(one, parts)))


ENGINE = f"pagefind {version('pagefind')}"


@dataclass(frozen=True)
class Part:
    """The pages of one Pagefind run, and the key of their index in the cache."""
    files: list[str]  # paths relative to the site's folder, in order
    key: str          # the hash of what the index is made from: see part_key


@dataclass(frozen=True)
class _Page:
    path: str            # relative to the site's folder
    size: int
    body: bool           # has data-pagefind-body
    digest: bytes | None  # SHA-256 of its bytes, taken as the page is read to plan (once a page)


def part_key(pages: list[_Page]) -> str:
    """The hash of what a part's index is made from: the Pagefind version and options (this
    file's code), and each page's path and bytes (by their SHA-256)."""
    digest = hashlib.sha256(f"{ENGINE}\n".encode() + Path(__file__).read_bytes())
    for page in pages:
        digest.update(f"\0{page.path}\0{page.size}\0".encode() + page.digest)
    return digest.hexdigest()


def _keep(folder: Path, cache: Path, key: str) -> None:
    """Copy a part's index into the cache, whole or not at all: it is made beside and renamed in,
    so a build killed while copying leaves only a dotted folder that is never read."""
    temporary = cache / f".{key}.{os.getpid()}"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copytree(folder, temporary)
        temporary.rename(cache / key)
    except OSError:  # a full disk, or another build kept the same part first: the cache only saves time
        shutil.rmtree(temporary, ignore_errors=True)


def _prune(cache: Path, used: set[str]) -> None:
    """Parts of older versions of the site go after an hour (another build in the same folder may
    be about to read them), and so do the leftovers of killed builds."""
    too_old = time.time() - KEEP_SECONDS
    for entry in cache.iterdir() if cache.is_dir() else []:
        try:
            if entry.name not in used and entry.stat().st_mtime < too_old:
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name in used:
                os.utime(entry)
        except OSError:
            continue


def plan_parts(site_dir: Path, part_bytes: int = PART_BYTES,
               known: Mapping[str, tuple[int, bool, bytes]] | None = None) -> list[Part]:
    """The site's pages to index, as Pagefind would choose them, in parts of at most part_bytes
    of HTML (a larger page is a part on its own), in order of path."""
    pages = _pages(site_dir, known or {})
    # Pagefind indexes only the pages with data-pagefind-body if any page has it, so a part
    # must not hold only pages without it: leave them out, as Pagefind would.
    if any(page.body for page in pages):
        pages = [page for page in pages if page.body]
    else:  # a site without the theme: every page is indexed, and only now worth hashing
        pages = [replace(page, digest=hashlib.sha256((site_dir / page.path).read_bytes()).digest()) for page in pages]
    parts: list[list[_Page]] = []
    size = chars = 0
    ended, folder = True, None
    for page in pages:
        glob = len(glob_literal(page.path)) + 1
        ended = ended or (len(pages) > PART_PAGES and _top_folder(page.path) != folder)  # not on a small site
        if not parts or (parts[-1] and (ended or size + page.size > part_bytes or chars + glob > PART_GLOB_CHARS)):
            parts.append([])
            size = chars = 0
        parts[-1].append(page)
        size += page.size
        chars += glob
        ended = _ends_a_part(page, size, part_bytes)
        folder = _top_folder(page.path)
    return [Part([page.path for page in part], part_key(part)) for part in parts or [[]]]


def _ends_a_part(page: _Page, size: int, part_bytes: int) -> bool:
    """Whether a part ends after this page (size: the part's bytes with it), set by the page's
    own path and size alone, so an edit of one page moves no other boundary."""
    crc = zlib.crc32(page.path.encode())
    if size >= part_bytes // 8 and crc % PART_PAGES == 0:
        return True
    if page.size < LARGE_PAGE:
        return False
    # not the CRC: paths that differ in a digit or two (whats-new/2016-01, -02 ...) have CRCs alike
    draw = int.from_bytes(hashlib.blake2b(page.path.encode(), digest_size=8).digest(), "big") / 2**64
    return draw < page.size / LISTING_PART_BYTES


def _top_folder(path: str) -> str:
    """reviews, themes ...; "" for the pages at the top (index.html, 404.html), one part together."""
    return path.split("/", 1)[0] if "/" in path else ""


def _pages(site_dir: Path, known: Mapping[str, tuple[int, bool, bytes]]) -> list[_Page]:
    """The site's HTML pages in order of path, each read once unless known: those with
    data-pagefind-body are hashed as they are read, for the keys of their parts."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == "pagefind" or relative.parts[0].startswith(".pagefind-"):
            continue
        if (held := known.get(relative.as_posix())) is not None:
            size, body, digest = held
            pages.append(_Page(relative.as_posix(), size, body, digest if body else None))
            continue
        text = path.read_bytes()
        body = BODY in text
        pages.append(_Page(relative.as_posix(), len(text), body, hashlib.sha256(text).digest() if body else None))
    return pages


def run_pagefind(site_dir: Path, output: Path, files: list[str]) -> None:
    """Index the given pages of site_dir (all of them if none is given) into output: one part."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(output),
               "--force-language", "en", "--silent",
               "--exclude-selectors", ".headerlink"]  # the ¶ after each heading is not a word
    if files:
        command += ["--glob", "{" + ",".join(glob_literal(path) for path in files) + "}"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800,
                                preexec_fn=ends_with_this_process())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IndexFailed(f"the search index could not be built ({exc})") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
        failure = NothingToIndex if "not able to build an index" in detail else IndexFailed
        raise failure(f"the search index could not be built: {detail}")


def glob_literal(path: str) -> str:
    """A glob that matches exactly this path: Pagefind's globs treat these characters as syntax."""
    return "".join("\\" + c if c in GLOB_SPECIAL else c for c in path)
