"""Merge Pagefind bundles, each indexed from a part of one site, into the one bundle that Pagefind
would have written had it indexed the whole site in one run.

Pagefind 1.5 holds every page's words in memory until it writes its index, so one run over the
whole site grows with the site (about 0.4 MB a page). Indexing the site in parts, one after
another, and merging the parts here bounds its memory by the largest part. The merge streams
through the parts' word indexes in word order, so its own memory stays small too.

Every file of a bundle is gzip of b"pagefind_dcd" and CBOR, except the fragments (JSON):

- ``pagefind.<lang>_<hash>.pf_meta``: [version, pages, index_chunks, filters, sorts, meta_fields];
  pages are [fragment, word_count], and a page's number everywhere is its place in this list
- ``index/<chunk>.pf_index``: [[word, [[page number delta, locations, meta locations]],
  [[variant form, pages]]] ...]: the words in order, cut into chunks of about 20,000 locations;
  index_chunks names each chunk with the shortest prefixes of its first and last word
- ``filter/<filter>.pf_filter``: [filter name, [[value, [page numbers]]]]
- ``fragment/<page>.pf_fragment``: one page's URL, text, filters, meta and anchors, page-local

The merged bundle numbers its pages in the order of their URLs, so it does not depend on the
order in which the file system lists a folder, and names every file it writes after its content.

On a large site the words are merged on both cores: they are split into ranges at the parts'
chunk boundaries, and a fork of this process merges each range after the first, reading only the
chunks whose first and last word prefixes (in index_chunks) can hold words of its range, while
this process places the fragments, merges the filters and then the first range. Where a chunk
ends depends on every word before it, but a word that fills a chunk on its own ends its chunk
whatever came before; so a fork cuts and compresses its range's chunks from the first such word
on, and gives back only the words before it (and after its last chunk) encoded, to be cut here.
This process names every chunk, so the bundle is byte for byte what one pass over all the words
writes; the forks' compressed chunks (about 7 MB at 5,000 reviews) are held until then.
Search scores come out exactly as from a single run: every word lists the same pages with the
same locations, and every page keeps its word count.
"""
from __future__ import annotations

import bisect
import contextlib
import hashlib
import heapq
import json
import re
import shutil
import gzip
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Iterator

import cbor2

from generator.speed import gc_pause as collector
from generator.speed.fingerprint import link_or_copy
from generator.speed.parallel import WORKERS, in_forks

SIGNATURE = b"pagefind_dcd"
VERSIONS = ("1.5.2",)      # the index format this merge was written for and tested with
CHUNK_LOCATIONS = 20_000   # Pagefind's index chunk size (counted as its chunk_index counts)
# What the merge needs of a part's fragments (each one's URL and SHA-256), kept in the part's folder
# so that a cached part is not read, decompressed and hashed fragment by fragment at every build.
FRAGMENTS_FILE = "merge-fragments.json"
INDEX_FILES = ("pagefind-entry.json", "index", "filter", "fragment", FRAGMENTS_FILE)
# Below this many bytes of the parts' word chunks (gzipped, as on disk) one process merges them.
# At 5,000 reviews the parts hold 13 MB of chunks, merged in about 6.5 s on one core (half a
# second a megabyte), and the fork began on its range 0.03 s after it was started; this keeps
# the fork for merges of a second and more, where it saves some tenths at least.
PARALLEL_FROM_BYTES = 2_000_000


class MergeFailed(Exception):
    pass


@dataclass(frozen=True)
class Fragment:
    url: str
    sha256: str  # of the fragment's file, as Pagefind wrote it


@dataclass
class _Part:
    folder: Path
    meta: list
    pages: list[int]               # global page number of each of the part's pages
    field_ids: list[int] | None    # global id of each of the part's meta fields, if they differ


def describe_fragments(part: Path) -> None:
    """Write FRAGMENTS_FILE into the folder of a part Pagefind has just written, before the part
    is kept (whole, by a rename) or merged."""
    fragments = {path.stem: _describe(path) for path in sorted((part / "fragment").glob("*.pf_fragment"))}
    (part / FRAGMENTS_FILE).write_text(
        json.dumps({name: [fragment.url, fragment.sha256] for name, fragment in fragments.items()},
                   ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _described(part: Path) -> dict[str, Fragment]:
    """The part's fragments as describe_fragments wrote them; none if it did not (the merge then
    reads the fragments themselves)."""
    try:
        written = json.loads((part / FRAGMENTS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {name: Fragment(url, sha256) for name, (url, sha256) in written.items()}


def _describe(path: Path) -> Fragment:
    text = path.read_bytes()
    return Fragment(_fragment_url(text, path.stem), hashlib.sha256(text).hexdigest())


@collector.paused  # it decodes millions of lists, none of them in a cycle: 2 s of collecting at 5,000 reviews
def merge(parts: list[Path], bundle: Path, ranges: int | None = None) -> None:
    """Write bundle (a new folder) from the Pagefind bundles in parts, in any order. The words are
    merged in `ranges` ranges, on as many processes: by default one for each core on a large
    site, else one (see _Words). The bundle's bytes are the same however many."""
    entries = [json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8")) for part in parts]
    versions = {entry["version"] for entry in entries}
    if len(versions) != 1 or not versions <= set(VERSIONS):
        raise MergeFailed(f"Pagefind wrote index version {', '.join(sorted(versions))}; the merge reads "
                          f"version {' or '.join(VERSIONS)} only")
    bundle.mkdir()
    for item in sorted(parts[0].iterdir()):  # Pagefind's scripts and WebAssembly, the same for every part
        if item.name not in INDEX_FILES and not item.name.endswith(".pf_meta"):
            (shutil.copytree if item.is_dir() else shutil.copyfile)(item, bundle / item.name)
    for folder in ("index", "filter", "fragment"):
        (bundle / folder).mkdir()
    languages = {}
    with _Bundle(bundle) as writing:
        for code in sorted({code for entry in entries for code in entry["languages"]}):
            having = [(part, entry["languages"][code]) for part, entry in zip(parts, entries)
                      if code in entry["languages"]]
            wasm = {language["wasm"] for _, language in having}
            if len(wasm) != 1:
                raise MergeFailed(f"the parts of the index disagree on the search code for language {code}")
            meta_name, page_count = _merge_language(
                code, [(part, read(part / f"pagefind.{language['hash']}.pf_meta")) for part, language in having],
                writing, ranges)
            languages[code] = {"hash": meta_name, "wasm": wasm.pop(), "page_count": page_count}
    entry = {"version": entries[0]["version"], "languages": languages,
             "include_characters": entries[0]["include_characters"]}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")


def _merge_language(code: str, metas: list[tuple[Path, list]], bundle: _Bundle, ranges: int | None) -> tuple[str, int]:
    version = metas[0][1][0]
    if any(meta[4] for _, meta in metas):
        raise MergeFailed("the site uses data-pagefind-sort, which an index built in parts cannot merge")
    # Pages, numbered by URL; each keeps the fragment Pagefind wrote for it.
    pages = []
    for number, (folder, meta) in enumerate(metas):
        described = _described(folder)
        for local, (name, word_count) in enumerate(meta[1]):
            fragment = described.get(name) or _describe(folder / "fragment" / f"{name}.pf_fragment")
            pages.append((fragment.url, number, local, name, fragment, word_count))
    pages.sort(key=lambda page: page[:4])
    fields = sorted({field for _, meta in metas for field in meta[5]})
    parts = [_Part(folder, meta, [0] * len(meta[1]),
                   None if meta[5] == fields else [fields.index(f) for f in meta[5]]) for folder, meta in metas]
    for page, (url, number, local, *_) in enumerate(pages):
        if page and url == pages[page - 1][0]:
            raise MergeFailed(f"two parts of the index both hold the page {url}")
        parts[number].pages[local] = page
    with _Words(code, parts, bundle, ranges) as words:  # the forks start on the words now
        written: dict[str, str] = {}  # fragment name: the SHA-256 of its file
        meta_pages = [[_place_fragment(parts[number].folder, name, fragment.sha256, bundle.folder, written, code),
                       word_count] for _, number, _, name, fragment, word_count in pages]
        del written
        filters = _merge_filters(code, parts, bundle)
        chunks = words.chunks()
    meta = [version, meta_pages, chunks, filters, [], fields]
    return bundle.write("pagefind.{}.pf_meta", code, meta, 10), len(meta_pages)


def _fragment_url(text: bytes, name: str) -> str:
    data = gzip.decompress(text)
    if not data.startswith(SIGNATURE):
        raise MergeFailed(f"fragment {name} is not a Pagefind fragment this merge understands")
    return json.loads(data[len(SIGNATURE):])["url"]


def _place_fragment(folder: Path, name: str, digest: str, bundle: Path, written: dict[str, str], code: str) -> str:
    """Move a part's fragment into the bundle under its name, unless another page's fragment
    already has that name (Pagefind names fragments by 7 hex digits of a hash, so two parts can
    collide): then under a longer name taken from its content."""
    source = folder / "fragment" / f"{name}.pf_fragment"
    digits = 7
    while name in written and written[name] != digest:
        digits += 1
        name = content_name(code, digest, digits)
    if name not in written:  # linked: 5,500 fragments were read and written again every build at 5,000 reviews
        link_or_copy(source, bundle / "fragment" / f"{name}.pf_fragment")
        written[name] = digest
    return name


def _merge_filters(code: str, parts: list[_Part], bundle: _Bundle) -> list:
    merged: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for name, file in part.meta[3]:
            key, values = read(part.folder / "filter" / f"{file}.pf_filter")
            into = merged.setdefault(key, {})
            for value, numbers in values:
                into.setdefault(value, []).extend(part.pages[n] for n in numbers)
    written = []
    for key in sorted(merged):
        values = sorted([value, sorted(numbers)] for value, numbers in merged[key].items())
        written.append([key, bundle.write("filter/{}.pf_filter", code, [key, values], 7)])
    return written


# A word of the merged index: the word, what it adds to its chunk's size (see _locations), and
# its CBOR encoding, [word, pages, variants], ready to be joined into a chunk's file.
Encoded = tuple[str, int, bytes]


@dataclass(frozen=True)
class _Packed:
    """A chunk made ready in a fork: its first and last words, the SHA-256 of its content (which
    names it) and its file's bytes."""
    first: str
    last: str
    digest: str
    gzipped: bytes


@dataclass(frozen=True)
class _Range:
    """What a fork merged of one range of words. Where a chunk ends depends on every word before
    it, but a word of CHUNK_LOCATIONS or more ends its chunk whatever came before it; so the fork
    gives back encoded its words up to the first such word (head), to be cut with those before
    them, then the chunks cut from there, compressed, and the words after the last one (tail)."""
    head: list[Encoded]
    chunks: list[_Packed]
    tail: list[Encoded]


class _Words:
    """The parts' word lists merged into chunks cut as Pagefind cuts them. The words are merged in
    `ranges` ranges (by default one on a small site, else one for each core), each after the
    first in a fork of this process, started on entering: meanwhile this process places the
    fragments and merges the filters, and then merges the first range (see chunks). On leaving
    after a failure, the forks end before the bundle is deleted."""

    def __init__(self, code: str, parts: list[_Part], bundle: _Bundle, ranges: int | None):
        self.code, self.parts, self.bundle = code, parts, bundle
        self.ranges = ranges or (WORKERS if _chunk_bytes(parts) >= PARALLEL_FROM_BYTES else 1)

    def __enter__(self) -> _Words:
        bounds = _bounds(self.parts, self.ranges, FIRST_SHARE)
        self.spans = list(zip([None, *bounds], [*bounds, None]))
        _MERGING.update(parts=self.parts)  # what the forks merge from: inherited, not sent
        try:
            self.later = in_forks(_merged_range, self.spans[1:]) if len(self.spans) > 1 else list
        except BaseException:
            _MERGING.clear()
            raise
        return self

    def chunks(self) -> list:
        """The index_chunks: [first prefix, last prefix, name] of each chunk, all written (or being)."""
        cutter = _Cutter(self.code, self.bundle)
        for word in _encoded(self.parts, *self.spans[0]):
            cutter.add(word)
        for merged in self.later():  # waited for only once this process has merged its own range
            cutter.add_range(merged)
        chunks = cutter.end()
        for this, after in zip(chunks, chunks[1:]):  # the shortest prefixes that tell the chunks apart
            to, start = _prefixes(this[1], after[0])
            if to >= this[0]:
                this[1] = to
            after[0] = start
        return chunks

    def __exit__(self, failed, *_) -> None:
        try:
            if failed is not None:  # a failed merge here, or Ctrl-C
                with contextlib.suppress(Exception):
                    self.later()
        finally:
            _MERGING.clear()


# This process's share of the chunks' bytes when the words are merged in two ranges: less than
# half, as it also places the fragments and merges the filters (about a tenth of the merge's work
# at 5,000 reviews) while the fork starts on its range.
FIRST_SHARE = 0.45


# The parts being merged, for the forks merging ranges of their words: set before they fork.
_MERGING: dict = {}


def _merged_range(span: tuple[str | None, str | None]) -> _Range:
    """In a fork: one range of the words, merged (see _Range)."""
    words = _encoded(_MERGING["parts"], *span)
    head: list[Encoded] = []
    for word in words:
        head.append(word)
        if word[1] >= CHUNK_LOCATIONS:
            break
    else:
        return _Range(head, [], [])  # no word that ends its chunk: all to be cut with those before
    chunks, chunk, size = [], [], 0
    for word in words:  # the words after the head, cut from a chunk's start
        chunk.append(word)
        size += word[1]
        if size >= CHUNK_LOCATIONS:
            data = _chunk_data(chunk)
            chunks.append(_Packed(chunk[0][0], chunk[-1][0], hashlib.sha256(data).hexdigest(), _gzip(data)))
            chunk, size = [], 0
    return _Range(head, chunks, chunk)


class _Cutter:
    """Cuts the merged words, in order, into chunks of at least CHUNK_LOCATIONS (the last one
    smaller), as Pagefind cuts them, and writes them; chunks: [first word, last word, name] each."""

    def __init__(self, code: str, bundle: _Bundle):
        self.code, self.bundle = code, bundle
        self.chunks: list[list] = []
        self._words: list[Encoded] = []
        self._size = 0

    def add(self, word: Encoded) -> None:
        self._words.append(word)
        self._size += word[1]
        if self._size >= CHUNK_LOCATIONS:
            self._write()

    def add_range(self, merged: _Range) -> None:
        for word in merged.head:
            self.add(word)
        if merged.chunks and self._words:  # the head's last word ended a chunk: see _Range
            raise RuntimeError("a range's chunks do not start where a chunk ends")
        for chunk in merged.chunks:
            name = self.bundle.write_gzipped("index/{}.pf_index", self.code, chunk.digest, chunk.gzipped, 7)
            self.chunks.append([chunk.first, chunk.last, name])
        for word in merged.tail:
            self.add(word)

    def end(self) -> list[list]:
        if self._words:
            self._write()
        return self.chunks

    def _write(self) -> None:
        name = self.bundle.write_data("index/{}.pf_index", self.code, _chunk_data(self._words), 7)
        self.chunks.append([self._words[0][0], self._words[-1][0], name])
        self._words, self._size = [], 0


def _encoded(parts: list[_Part], low: str | None, high: str | None) -> Iterator[Encoded]:
    """The merged words from low (or the first) to before high (or to the last), in order."""
    streams = [_words(number, part, low, high) for number, part in enumerate(parts)]
    for word, group in groupby(heapq.merge(*streams, key=lambda item: item[0]), key=lambda item: item[0]):
        packed = _merge_word(word, [(parts[number], entry) for _, number, entry in group])
        yield word, _locations(packed), cbor2.dumps(packed)


def _words(number: int, part: _Part, low: str | None, high: str | None) -> Iterator[tuple[str, int, list]]:
    """The part's words from low to before high, in order, one chunk in memory at a time. A chunk
    is read only if it can hold such words: every word of it comes at or after its first prefix,
    and no word of it begins, in as many letters as its last prefix has, after that prefix."""
    for first, last, file in part.meta[2]:
        if (high is not None and first >= high) or (low is not None and low[:len(last)] > last):
            continue
        words = read(part.folder / "index" / f"{file}.pf_index")[0]
        if words and not (words[0][0].startswith(first) and words[-1][0].startswith(last)):
            raise MergeFailed(f"the index chunk {file} holds words outside the prefixes its part lists for it")
        for word in words:
            if (low is None or word[0] >= low) and (high is None or word[0] < high):
                yield word[0], number, word


def _chunk_bytes(parts: list[_Part]) -> int:
    return sum((part.folder / "index" / f"{file}.pf_index").stat().st_size
               for part in parts for *_, file in part.meta[2])


def _bounds(parts: list[_Part], ranges: int, first_share: float) -> list[str]:
    """Where to split the words into `ranges` ranges, in order: the first with about first_share
    of the bytes of the parts' chunks, the others with as many each. Each bound is the first
    prefix of a part's chunk, so that at each bound each part has at most one chunk that holds
    words on both sides (read by both ranges). Ranges may be empty."""
    if ranges <= 1:
        return []
    firsts = [[first for first, _, _ in part.meta[2]] for part in parts]
    sizes = [[(part.folder / "index" / f"{file}.pf_index").stat().st_size for *_, file in part.meta[2]]
             for part in parts]
    total = sum(map(sum, sizes))
    shares = [first_share + k * (1 - first_share) / (ranges - 1) for k in range(ranges - 1)]
    bounds: list[str] = []
    for candidate in sorted({first for part in firsts for first in part[1:]}):  # a part's first chunk starts it
        if len(bounds) < ranges - 1 and _bytes_before(candidate, firsts, sizes) >= total * shares[len(bounds)]:
            bounds.append(candidate)
    return bounds


def _bytes_before(bound: str, firsts: list[list[str]], sizes: list[list[int]]) -> float:
    """About how many bytes of the parts' chunks hold words before bound: the chunks that end
    before it, and half of each that it falls inside."""
    before = 0.0
    for part_firsts, part_sizes in zip(firsts, sizes):
        count = bisect.bisect_left(part_firsts, bound)  # the chunks that start before bound
        inside = count and (count == len(part_firsts) or part_firsts[count] > bound)
        before += sum(part_sizes[:count]) - (part_sizes[count - 1] / 2 if inside else 0)
    return before


def _locations(packed: list) -> int:
    """What a word adds to its chunk's size as Pagefind counts it: each page's locations and meta
    locations, one for each page, and one for each variant form."""
    pages = packed[1] + [page for variant in packed[2] for page in variant[1]]
    return (sum(map(len, map(itemgetter(1), pages))) + sum(map(len, map(itemgetter(2), pages)))
            + len(pages) + len(packed[2]))


def _chunk_data(words: list[Encoded]) -> bytes:
    """A chunk's file before gzip: the signature and [[word, ...]] in CBOR, which is the two
    arrays' heads and the words' encodings, byte for byte what cbor2.dumps writes for the list."""
    return SIGNATURE + _array_head(1) + _array_head(len(words)) + b"".join(encoded for _, _, encoded in words)


def _array_head(length: int) -> bytes:
    """The head of a CBOR array of `length` items (major type 4), in its shortest form."""
    if length < 24:
        return bytes([0x80 | length])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([0x80 | extra]) + length.to_bytes(size, "big")
    raise ValueError(f"a CBOR array cannot hold {length} items")


def _merge_word(word: str, entries: list[tuple[_Part, list]]) -> list:
    pages: list = []
    variants: dict[str, list] = {}
    for part, entry in entries:
        pages += _renumber(entry[1], part)
        for form, variant_pages in entry[2]:
            variants.setdefault(form, []).extend(_renumber(variant_pages, part))
    merged_variants = []
    for form, variant_pages in variants.items():
        variant_pages.sort(key=lambda page: page[0])
        merged_variants.append([form, variant_pages])
    merged_variants.sort(key=lambda variant: (variant[1][0][0], variant[0]))  # Pagefind's order
    pages.sort(key=lambda page: page[0])
    return [word, _deltas(pages), [[form, _deltas(variant_pages)] for form, variant_pages in merged_variants]]


def _renumber(packed_pages: list, part: _Part) -> list:
    """The pages of one word in one part, with global page numbers (no longer deltas), changed in
    place: each word of a part is read for the merge only."""
    numbers, local = part.pages, 0
    for page in packed_pages:
        local += page[0]
        page[0] = numbers[local]
    if part.field_ids is not None:
        for page in packed_pages:
            if len(page) > 2 and page[2]:
                # meta locations: a negative number -(id + 1) starts the positions of meta field id
                page[2] = [-(part.field_ids[-n - 1] + 1) if n < 0 else n for n in page[2]]
    return packed_pages


def _deltas(pages: list) -> list:
    last = 0
    for page in pages:
        page[0], last = page[0] - last, page[0]
    return pages


def _prefixes(a: str, b: str) -> tuple[str, str]:
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return a[:common + 1], b[:common + 1]


def read(path: Path):
    """One Pagefind index file, decoded."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise MergeFailed(f"{path.name} is not a Pagefind index file this merge understands")
    return cbor2.loads(data[len(SIGNATURE):])


class _Bundle:
    """The index files of the bundle being merged. Each is named after its content at once, and
    gzipped and written on other threads: zlib lets go of the interpreter while it compresses,
    so the merge goes on with the next chunk on the other core (compressing is about a third of
    the merge's time, and grows with the site). Two threads, so that once the forks merging the
    words are done, the chunks they merged are compressed on both cores."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._digests: dict[str, str] = {}  # each file named so far (its path in folder): its content's SHA-256
        self._pool = ThreadPoolExecutor(max_workers=WORKERS)
        self._writes: list[Future] = []

    def write(self, pattern: str, code: str, value, digits: int) -> str:
        """Write value as a Pagefind index file named after its content ("en_1a2b3c4"); return the name."""
        return self.write_data(pattern, code, SIGNATURE + cbor2.dumps(value), digits)

    def write_data(self, pattern: str, code: str, data: bytes, digits: int) -> str:
        """write, for a value already encoded: data is the file's content before gzip."""
        name, new = self._name(pattern, code, hashlib.sha256(data).hexdigest(), digits)
        if new:
            self._writes.append(self._pool.submit(_write_gzip, self.folder / pattern.format(name), data))
        return name

    def write_gzipped(self, pattern: str, code: str, digest: str, gzipped: bytes, digits: int) -> str:
        """write, for a file compressed already (by a fork), whose content has this SHA-256."""
        name, new = self._name(pattern, code, digest, digits)
        if new:
            self._writes.append(self._pool.submit((self.folder / pattern.format(name)).write_bytes, gzipped))
        return name

    def _name(self, pattern: str, code: str, digest: str, digits: int) -> tuple[str, bool]:
        """The file's name from its content's digest, longer where another content has the same
        short name; and whether it is new (the same content may come twice)."""
        name = content_name(code, digest, digits)
        while self._digests.get(pattern.format(name), digest) != digest:  # the same short name for other content
            digits += 1
            name = content_name(code, digest, digits)
        new = pattern.format(name) not in self._digests
        self._digests[pattern.format(name)] = digest
        return name, new

    def __enter__(self) -> _Bundle:
        return self

    def __exit__(self, failed, *_) -> None:
        """Every file is written (or the first write that failed raises) before the bundle is used;
        after a failure of the merge, the writes still queued are dropped, and those under way end
        before the bundle is deleted."""
        self._pool.shutdown(wait=True, cancel_futures=failed is not None)
        if failed is None:
            for write in self._writes:
                write.result()


def _write_gzip(path: Path, data: bytes) -> None:
    path.write_bytes(_gzip(data))


# nine decimal digits in a row: a phone or NHS number to the last check of the built files
_NUMBER_LIKE = re.compile(r"\d{9}")


def content_name(code: str, digest: str, digits: int) -> str:
    """A file's name from the hex digest of its content: its first `digits` hex digits, or the
    first such slice with a letter among any nine. The index lists these names, and the last
    check reads the index: "en_4857773456" would read as an NHS number and stop the build."""
    for start in range(len(digest) - digits + 1):
        name = digest[start:start + digits]
        if not _NUMBER_LIKE.search(name):
            return f"{code}_{name}"
    raise MergeFailed("no name without a long run of digits in a SHA-256 digest")  # about 1 in 10^100


# Level 7, not 9: on the index of a 1,000-review site it compresses in half the time (0.42 s, not
# 0.84 s, every build, and it grows with the site), and the files a phone downloads grow by 0.4%.
GZIP_LEVEL = 7


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
