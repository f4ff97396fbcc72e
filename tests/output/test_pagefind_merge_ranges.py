"""The words of the search index merged in ranges, each after the first in a fork
(generator/output/pagefind_merge.py): the bundle is byte for byte the one that one process merging
every word in order writes, and a range reads only the chunks of each part that can hold its words."""
from __future__ import annotations

import gzip
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


def test_this_process_reads_only_its_ranges_chunks_and_compresses_only_the_chunks_it_cuts(parts, tmp_path,
                                                                                          monkeypatch):
    """With two ranges, the fork's chunks are read, merged, cut and compressed in the fork from
    the first word that fills a chunk of its own (it ends its chunk whatever came before it)."""
    reads, compressed = [], []
    read, compress = pagefind_merge.read, gzip.compress
    monkeypatch.setattr(pagefind_merge, "read", lambda path: reads.append(path.name) or read(path))
    monkeypatch.setattr(gzip, "compress", lambda data, **options: compressed.append(data) or compress(data, **options))
    counts = {}
    for ranges in (1, 2):
        reads.clear(), compressed.clear()
        pagefind_merge.merge(parts, tmp_path / f"in-{ranges}", ranges=ranges)
        counts[ranges] = (len([name for name in reads if name.endswith(".pf_index")]), len(compressed))
    chunks = sum(len(_meta(folder)[2]) for folder in parts)
    assert counts[1][0] == chunks  # one process reads every chunk of every part once
    assert 0 < counts[2][0] < chunks * 0.7  # the rest were read in the fork
    written = len(list((tmp_path / "in-1" / "index").iterdir()))
    assert counts[1][1] >= written and counts[2][1] < counts[1][1]  # the fork compressed some itself


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
