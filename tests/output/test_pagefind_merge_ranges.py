"""The words of the search index merged in ranges, each after the first in a fork
(generator/output/pagefind_merge.py): the bundle is byte for byte the one that one process merging
every word in order writes, and a range reads only the chunks of each part that can hold its words."""
from __future__ import annotations

import gzip
import hashlib
import json
import random
import shutil
from pathlib import Path

import cbor2
import pytest

from generator.output import pagefind_merge
from generator.output.search_index import index_site, plan_parts

pytestmark = pytest.mark.build


def _page(title: str, words: list[str]) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><main data-pagefind-body><h1>{title}</h1><p>{' '.join(words)}</p></main></body></html>")


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> list[Path]:
    """The cached parts of a site of 24 pages of 8,000 words each, indexed in four or five parts:
    each part's words fill several chunks (Pagefind cuts at about 20,000 locations), so the
    ranges' bounds fall inside the parts' chunk lists; and, as in English, a few words are so
    common that each fills a chunk of its own."""
    root = tmp_path_factory.mktemp("ranges")
    site, cache = root / "site", root / "cache"
    draw = random.Random(5)
    vocabulary = ["".join(draw.choice("abcdefghijklmnopqrstuvwxyzé") for _ in range(draw.randint(3, 9)))
                  for _ in range(4000)]
    common = ["and", "family", "review", "was"]
    for n in range(24):
        (site / f"p-{n:02d}").mkdir(parents=True)
        words = [draw.choice(common) if draw.random() < 0.6 else draw.choice(vocabulary) for _ in range(8000)]
        (site / f"p-{n:02d}" / "index.html").write_text(_page(f"Page {n}", words), encoding="utf-8")
    limit = sum(p.stat().st_size for p in site.rglob("*.html")) // 4 + 1
    index_site(site, part_bytes=limit, cache=cache)
    folders = [cache / part.key for part in plan_parts(site, limit)]
    assert len(folders) >= 4 and sum(len(_meta(folder)[2]) >= 2 for folder in folders) >= 3
    return folders


def _meta(folder: Path) -> list:
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    return pagefind_merge.read(folder / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_words_merged_in_two_forks_or_five_ranges_write_the_bytes_one_process_writes(parts, tmp_path):
    pagefind_merge.merge(parts, tmp_path / "one", ranges=1)
    pagefind_merge.merge(parts, tmp_path / "two", ranges=2)
    pagefind_merge.merge(parts, tmp_path / "five", ranges=5)
    one = _files(tmp_path / "one")
    assert len([name for name in one if name.startswith("index/")]) >= 6
    assert _files(tmp_path / "two") == one
    assert _files(tmp_path / "five") == one


def test_a_fork_gives_back_compressed_the_chunks_after_a_word_that_fills_one(parts):
    """The chunks after the first word that ends its chunk whatever came before it are cut,
    named and compressed in the fork: only the words before it are cut in this process."""
    metas = [_meta(folder) for folder in parts]
    merging = [pagefind_merge._Part(folder, meta, list(range(len(meta[1]))), None)
               for folder, meta in zip(parts, metas)]
    [bound] = pagefind_merge._bounds(merging, 2)
    pagefind_merge._MERGING.update(parts=merging)
    try:
        merged = pagefind_merge._merged_range((bound, None))
    finally:
        pagefind_merge._MERGING.clear()
    assert merged.head[-1][1] >= pagefind_merge.CHUNK_LOCATIONS
    assert all(size < pagefind_merge.CHUNK_LOCATIONS for _, size, _ in merged.head[:-1])
    assert merged.chunks and merged.tail
    assert merged.chunks[0].first > merged.head[-1][0] and merged.tail[0][0] > merged.chunks[-1].last
    data = gzip.decompress(merged.chunks[0].gzipped)
    assert hashlib.sha256(data).hexdigest() == merged.chunks[0].digest and data.startswith(pagefind_merge.SIGNATURE)


def test_the_bounds_split_the_chunks_bytes_and_each_range_reads_only_chunks_that_can_hold_its_words(parts):
    metas = [_meta(folder) for folder in parts]
    merging = [pagefind_merge._Part(folder, meta, list(range(len(meta[1]))), None)
               for folder, meta in zip(parts, metas)]
    bounds = pagefind_merge._bounds(merging, 3)
    assert len(bounds) == 2 and bounds[0] < bounds[1]
    read, counts = [], [0, 0, 0]
    real = pagefind_merge.read
    pagefind_merge.read = lambda path: read.append(path) or real(path)
    try:
        for number, part in enumerate(merging):
            every = [word for word, _, _ in pagefind_merge._words(number, part)]
            read.clear()
            spans = list(zip([None, *bounds], [*bounds, None]))
            ranges = [[word for word, _, _ in pagefind_merge._words(number, part, low, high)] for low, high in spans]
            assert [word for words in ranges for word in words] == every  # each word in one range, in order
            counts = [count + len(words) for count, words in zip(counts, ranges)]
            # a chunk is read again only where a bound falls inside it
            assert every and len(read) <= len(part.meta[2]) + len(bounds)
    finally:
        pagefind_merge.read = real
    assert min(counts) > sum(counts) / 10  # no range is (nearly) empty


def test_a_chunk_whose_words_are_outside_its_listed_prefixes_fails_the_merge(parts, tmp_path):
    """The ranges skip chunks by the prefixes a part lists for them: a part whose list does not
    bound its words would lose words, so the merge refuses it."""
    folder = tmp_path / "part"
    shutil.copytree(parts[0], folder)
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    path = folder / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    meta = pagefind_merge.read(path)
    meta[2][1][0] = "zzzz"  # the second chunk's first word does not start so
    path.write_bytes(gzip.compress(pagefind_merge.SIGNATURE + cbor2.dumps(meta)))
    with pytest.raises(pagefind_merge.MergeFailed, match="holds words outside the prefixes its part lists"):
        pagefind_merge.merge([folder], tmp_path / "merged", ranges=1)


@pytest.mark.parametrize("length", [0, 1, 23, 24, 255, 256, 65535, 65536])
def test_a_chunk_joined_from_its_words_encodings_is_what_cbor2_writes_for_the_list(length):
    words = [[f"w{n}", [[n, [1, 2]]], []] for n in range(length)]
    joined = pagefind_merge._array_head(1) + pagefind_merge._array_head(length) + b"".join(map(cbor2.dumps, words))
    assert joined == cbor2.dumps([words])
