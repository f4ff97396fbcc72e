"""Index the built site with Pagefind, at the end of every build (plain `mkdocs build` too).

Pagefind writes site/pagefind/: an index split into small chunks, so that a query downloads
only the chunks it needs (a few hundred kilobytes at 5,000 reviews, where Material's one-file
index would be about 58 MB). Its binary comes inside the pinned PyPI wheel.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"  # starts every decompressed Pagefind index file


class IndexFailed(Exception):
    pass


def index_site(site_dir: Path) -> None:
    """Write site_dir/pagefind/ from the built HTML; raise IndexFailed with Pagefind's words."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind",
               "--force-language", "en", "--silent",
               "--exclude-selectors", ".headerlink"]  # the ¶ after each heading is not a word
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IndexFailed(f"the search index could not be built ({exc})") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
        raise IndexFailed(f"the search index could not be built: {detail}")
    make_stable(site_dir / "pagefind")


def make_stable(bundle: Path) -> None:
    """Put Pagefind's filter index in a fixed order, so the same site gives the same bytes.

    Pagefind 1.5 writes each filter's values in hash-map order, which changes from run to run
    (a known upstream issue); its word index and fragments are already stable. Each filter file
    is rewritten with its values sorted, under a name made from its content, and the metadata
    file and pagefind-entry.json that name them are rewritten to match.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        code = language["hash"].split("_")[0]
        filters = []
        for name, old in meta[3]:
            old_path = bundle / "filter" / f"{old}.pf_filter"
            key, values = _read(old_path)
            new = _write(lambda h: bundle / "filter" / f"{h}.pf_filter", code, [key, sorted([v, sorted(pages)] for v, pages in values)], 7)
            if new != old:
                old_path.unlink()
            filters.append([name, new])
        meta[3] = sorted(filters)
        new_meta = _write(lambda h: bundle / f"pagefind.{h}.pf_meta", code, meta, 10)
        if new_meta != language["hash"]:
            meta_path.unlink()
        language["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise IndexFailed(f"{path.name} is not a Pagefind index file this version understands")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(path_for, language: str, value, digits: int) -> str:
    """Write value as a Pagefind index file named by its content; return the name ('en_1a2b3c4')."""
    data = SIGNATURE + cbor2.dumps(value)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    path_for(name).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return name
