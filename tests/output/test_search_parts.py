"""The search index built in parts (generator/search_index.py, generator/pagefind_merge.py) is the
index that one Pagefind run over the whole site writes: the same pages, words, locations, word
counts, filters and chunks, so every query finds the same pages with the same scores, through
Pagefind's own JavaScript in Chromium."""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import cbor2
import pytest

from generator.output import pagefind_merge
from generator.output import search_index
from generator.dev import search_probe
from generator.output.search_index import IndexFailed, index_site, plan_parts

pytestmark = pytest.mark.build


def _page(title: str, text: str, filters: dict[str, str], kind: str | None = None, body: bool = True) -> str:
    spans = "".join(f'<span data-pagefind-filter="{k}">{v}</span>' for k, v in filters.items())
    meta = f'<p data-pagefind-meta="kind">{kind}</p>' if kind else ""
    inner = f"<h1>{title}</h1>{meta}<p>{text}</p><div hidden>{spans}</div>"
    content = f"<main data-pagefind-body>{inner}</main>" if body else f"<main>{inner}</main>"
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><nav>Menu words everywhere</nav>{content}</body></html>")


WORDS = ["neglect", "escalation", "curiosity", "voice", "child", "school", "health", "visitor", "plan",
         "café", "cafe", "naïve", "naive", "review", "family", "chronology", "supervision", "threshold"]


def _small_site(root: Path) -> Path:
    """A site of 24 pages whose words, repeats, diacritics, filters and meta fields differ."""
    site = root / "site"
    for n in range(22):
        folder = site / f"{'ab'[n % 2]}-{n:02d}"
        folder.mkdir(parents=True)
        words = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 4 + n % 9))
        kind = f"Briefing {n}" if n < 11 else None  # the later parts know no "kind" meta field
        filters = {"year": str(2018 + n % 4), "theme": ["Neglect", "Escalation", "Voice"][n % 3]}
        (folder / "index.html").write_text(_page(f"Page {n} {WORDS[n % len(WORDS)]}", words, filters, kind),
                                           encoding="utf-8")
    (site / "trainer").mkdir()
    (site / "trainer" / "index.html").write_text(_page("Trainer", "neglect", {}, body=False), encoding="utf-8")
    (site / "odd").mkdir()  # glob syntax in a file name
    (site / "odd" / "a,{b} [c].html").write_text(_page("Odd name", "neglect voice", {"year": "2020"}),
                                                 encoding="utf-8")
    (site / "index.html").write_text(_page("Home", "review neglect café", {}), encoding="utf-8")
    return site


def _single_run(site: Path) -> None:
    """What the site's index was before it was built in parts: one Pagefind run over it all."""
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind",
                    "--force-language", "en", "--silent", "--exclude-selectors", ".headerlink"],
                   check=True, capture_output=True)


def _html_only(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("pagefind"))
    return target


def _html_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*.html"))


def _meaning(bundle: Path) -> dict:
    """Everything in a bundle that a search reads, with pages named by URL instead of number."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (code, language), = entry["languages"].items()
    meta = pagefind_merge.read(bundle / f"pagefind.{language['hash']}.pf_meta")
    urls, fragments = [], {}
    for name, word_count in meta[1]:
        data = gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())
        fragment = json.loads(data[len(pagefind_merge.SIGNATURE):])
        urls.append(fragment["url"])
        fragments[fragment["url"]] = (fragment, word_count)

    def pages(packed):
        number, out = 0, []
        for page in packed:
            number += page[0]
            out.append((urls[number], page[1], page[2]))
        return sorted(out)

    words, chunks = {}, []
    for start, end, name in meta[2]:
        chunk = pagefind_merge.read(bundle / "index" / f"{name}.pf_index")[0]
        chunks.append((start, end, [word[0] for word in chunk]))
        for word, packed, variants in chunk:
            words[word] = (pages(packed), sorted((form, pages(p)) for form, p in variants))
    filters = {}
    for _, name in meta[3]:
        key, values = pagefind_merge.read(bundle / "filter" / f"{name}.pf_filter")
        filters[key] = {value: sorted(urls[n] for n in numbers) for value, numbers in values}
    return {"language": code, "entry": {k: v for k, v in language.items() if k != "hash"},
            "version": meta[0], "fields": meta[5], "sorts": meta[4], "fragments": fragments,
            "words": words, "chunks": chunks, "filters": filters, "characters": entry["include_characters"]}


def _same_results(merged: dict, single: dict) -> None:
    """The same pages with the same scores, best first; pages with equal scores in any order."""
    assert merged["count"] == single["count"]
    ranked = [[(round(p["score"], 5), p["url"], p["title"], json.dumps(p["filters"], sort_keys=True), p["parts"])
               for p in result["pages"]] for result in (merged, single)]
    assert [r[0] for r in ranked[0]] == [r[0] for r in ranked[1]]  # the scores, best first
    assert sorted(ranked[0]) == sorted(ranked[1])


def _compare_in_chromium(browser, merged: Path, single: Path, queries) -> None:
    page = browser.new_page()
    try:
        found = {}
        for name, site in (("merged", merged), ("single", single)):
            with search_probe.serve(site) as base:
                page.goto(base)
                found[name] = ([search_probe.query(page, text, chosen) for text, chosen in queries],
                               search_probe.filters(page))
        for merged_result, single_result in zip(found["merged"][0], found["single"][0]):
            _same_results(merged_result, single_result)
        assert found["merged"][1] == found["single"][1]
        assert sum(result["count"] for result in found["merged"][0]) > 0
    finally:
        page.close()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("parts")
    site = _small_site(root)
    single = _html_only(site, root / "single")
    _single_run(single)
    index_site(site, part_bytes=_html_bytes(site) // 7)  # seven parts or so
    return site, single


def test_the_small_site_is_planned_in_parts_of_bounded_size_without_pages_pagefind_skips(small):
    site, _ = small
    limit = _html_bytes(site) // 7
    parts = [part.files for part in plan_parts(site, limit)]
    assert len(parts) >= 6
    assert sorted(path for part in parts for path in part) == sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html") if "trainer" not in p.parts)
    for part in parts:
        assert sum((site / path).stat().st_size for path in part) <= limit or len(part) == 1


def test_the_index_built_in_parts_means_what_one_run_over_the_site_means(small):
    site, single = small
    merged, whole = _meaning(site / "pagefind"), _meaning(single / "pagefind")
    assert merged["fields"] == ["kind", "title"]
    assert any(variants for _, variants in merged["words"].values())  # café and cafe: one word, two forms
    assert "/odd/a,{b} [c].html" in merged["fragments"] and "/trainer/" not in merged["fragments"]
    for key in whole:
        assert merged[key] == whole[key], key


def test_queries_and_filters_find_the_same_pages_with_the_same_scores_in_chromium(small, browser):
    site, single = small
    queries = [("neglect", {}), ("cafe", {}), ("café", {}), ("naive voice", {}), ("plan", {"year": "2019"}),
               ("child", {"theme": "Neglect"}), (None, {"year": "2020"}), ("briefing", {}), ("zzz", {})]
    _compare_in_chromium(browser, site, single, queries)


def test_the_example_site_indexed_in_parts_searches_as_in_one_run(example_site, tmp_path, browser):
    merged = _html_only(example_site, tmp_path / "merged")
    single = _html_only(example_site, tmp_path / "single")
    _single_run(single)
    index_site(merged, part_bytes=_html_bytes(merged) // 5)
    assert _meaning(merged / "pagefind") == _meaning(single / "pagefind")
    queries = [("neglect", {}), ("Patricia", {}), ("disguised compliance", {}), ("escalation", {"year": "2023"}),
               ("trauma-informed approaches", {}), (None, {"type": "Child safeguarding practice review"}),
               ("voice of the child", {"theme": "Voice of the child"})]
    _compare_in_chromium(browser, merged, single, queries)


def test_the_built_sites_index_is_one_part_and_the_same_as_when_indexed_in_parts(example_site, tmp_path):
    assert len(plan_parts(example_site)) == 1
    again = _html_only(example_site, tmp_path / "again")
    index_site(again, part_bytes=_html_bytes(again) // 3)
    files = {p.relative_to(example_site / "pagefind"): p.read_bytes() for p in (example_site / "pagefind").rglob("*")
             if p.is_file()}
    assert files == {p.relative_to(again / "pagefind"): p.read_bytes() for p in (again / "pagefind").rglob("*")
                     if p.is_file()}  # the merged index depends on the pages, not on how they were split


def test_a_failure_of_pagefind_is_reported_and_writes_no_index(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("no pages at all", encoding="utf-8")
    with pytest.raises(IndexFailed, match="the search index could not be built: .*not able to build an index"):
        index_site(site)
    assert sorted(p.name for p in site.iterdir()) == ["notes.txt"]


def test_an_index_format_the_merge_does_not_know_is_reported_and_writes_no_index(tmp_path, monkeypatch):
    site = _small_site(tmp_path)
    monkeypatch.setattr(pagefind_merge, "VERSIONS", ("0.0.1",))
    with pytest.raises(IndexFailed, match="Pagefind wrote index version 1.5.2; the merge reads version 0.0.1 only"):
        index_site(site, part_bytes=_html_bytes(site) // 2)
    assert not (site / "pagefind").exists()
    assert not [p for p in site.iterdir() if p.name.startswith(".pagefind-")]


def test_a_fragment_name_used_by_two_parts_is_made_unique(small, tmp_path):
    """Pagefind names a page's fragment by 7 hex digits of a hash, so at 10,000 pages two parts
    give two pages the same name about one build in five: the merge renames one of them."""
    site, _ = small
    parts = [tmp_path / "one", tmp_path / "two"]
    for folder, files in zip(parts, ([p for p in plan_parts(site)[0].files if p.startswith("a-")],
                                     [p for p in plan_parts(site)[0].files if p.startswith("b-")])):
        search_index.run_pagefind(site, folder, files)
    # give the first page of part two the fragment name of the first page of part one
    entries = [json.loads((p / "pagefind-entry.json").read_text()) for p in parts]
    metas = [p / f"pagefind.{e['languages']['en']['hash']}.pf_meta" for p, e in zip(parts, entries)]
    taken = pagefind_merge.read(metas[0])[1][0][0]
    meta = pagefind_merge.read(metas[1])
    (parts[1] / "fragment" / f"{meta[1][0][0]}.pf_fragment").rename(parts[1] / "fragment" / f"{taken}.pf_fragment")
    meta[1][0][0] = taken
    metas[1].write_bytes(gzip.compress(pagefind_merge.SIGNATURE + cbor2.dumps(meta)))
    pagefind_merge.merge(parts, tmp_path / "merged")
    merged = _meaning(tmp_path / "merged")
    assert len(merged["fragments"]) == 22 == len({url for url in merged["fragments"]})
    names = [name for name, _ in pagefind_merge.read(next((tmp_path / "merged").glob("*.pf_meta")))[1]]
    assert len(set(names)) == 22 and any(len(name) > len(taken) for name in names)


def test_no_file_the_merge_names_reads_as_an_nhs_number_to_the_last_check(small, tmp_path, monkeypatch):
    """The merge names files after 10 hex digits of their SHA-256 and lists the names in the index,
    which the last check reads. About one content in 1,400 has a digest that starts with ten
    decimal digits passing the NHS modulus 11 check: that once stopped a build in CI."""
    from generator.check.privacy import detect
    from generator.output.last_gate import file_texts

    site, _ = small
    parts = [tmp_path / "one"]
    search_index.run_pagefind(site, parts[0], plan_parts(site)[0].files)
    real = hashlib.sha256

    class Unlucky:  # every digest starts with a valid NHS number
        def __init__(self, data=b""):
            self.digest = real(data)

        def hexdigest(self):
            return "9434765919" + self.digest.hexdigest()[10:]

    monkeypatch.setattr(pagefind_merge.hashlib, "sha256", Unlucky)
    pagefind_merge.merge(parts, tmp_path / "merged")
    monkeypatch.undo()
    assert detect("9434765919", set()) == [(0, "nhs-number")]  # the old name would have been refused
    read = [text for path in sorted((tmp_path / "merged").rglob("*")) if path.is_file()
            and (path.suffix in (".json", ".pf_meta", ".pf_filter", ".pf_index"))
            for texts, words in [file_texts(path)] for text in [*texts, *words]]
    assert read and not [found for text in read for found in detect(text, set(), mentions=False)]
    assert _meaning(tmp_path / "merged") == _meaning(parts[0])


def test_a_part_whose_pages_have_no_words_is_left_out_as_one_run_leaves_them_out(tmp_path):
    site = tmp_path / "site"
    for name, page in (("a", _page("Words", "neglect", {"year": "2020"})),
                       ("z", _page("", "", {}).replace("<h1></h1>", ""))):
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(page, encoding="utf-8")
    single = _html_only(site, tmp_path / "single")
    _single_run(single)
    assert len(plan_parts(site, part_bytes=1)) == 2
    index_site(site, part_bytes=1)
    assert _meaning(site / "pagefind") == _meaning(single / "pagefind")


def test_a_part_ends_before_its_glob_would_be_too_long_for_one_argument(small, monkeypatch):
    site, _ = small
    monkeypatch.setattr(search_index, "PART_GLOB_CHARS", 60)
    parts = [part.files for part in plan_parts(site, part_bytes=10**9)]
    assert len(parts) > 5
    assert all(sum(len(search_index.glob_literal(path)) + 1 for path in part) <= 60 for part in parts)
    assert "odd/a\\,\\{b\\} \\[c\\].html" in [search_index.glob_literal(p) for part in parts for p in part]


def test_a_part_whose_pages_are_unchanged_is_not_indexed_again_and_the_index_is_the_same(small, tmp_path, monkeypatch):
    from generator.output import search_index

    site, _ = small
    cache, limit = tmp_path / "cache", _html_bytes(site) // 7
    first = _html_only(site, tmp_path / "first")
    index_site(first, part_bytes=limit, cache=cache)
    runs = []
    real = search_index.run_pagefind
    monkeypatch.setattr(search_index, "run_pagefind", lambda s, out, files: runs.append(files) or real(s, out, files))
    again = _html_only(site, tmp_path / "again")
    index_site(again, part_bytes=limit, cache=cache)
    assert runs == []
    assert _files(again / "pagefind") == _files(first / "pagefind") == _files(site / "pagefind")
    page = again / "a-00" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>Changed for the test.</p></main>"),
                    encoding="utf-8")
    index_site(again, part_bytes=limit, cache=cache)
    assert len(runs) == 1 and page.relative_to(again).as_posix() in runs[0]
    fresh = _html_only(again, tmp_path / "fresh")
    index_site(fresh, part_bytes=limit)
    assert _files(again / "pagefind") == _files(fresh / "pagefind")


def test_a_build_with_its_parts_cached_reads_each_page_of_the_site_once(small, tmp_path, monkeypatch):
    """Planning the parts and keying them in the cache read the pages once between them: at
    national scale the site's HTML is over a gigabyte, and may not all be in the file cache."""
    site, _ = small
    cache, limit = tmp_path / "cache", _html_bytes(site) // 7
    again = _html_only(site, tmp_path / "again")
    index_site(again, part_bytes=limit, cache=cache)
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: reads.append(path) or real(path))
    index_site(again, part_bytes=limit, cache=cache)
    pages = [path for path in reads if path.suffix == ".html"]
    assert sorted(pages) == sorted(again.rglob("*.html"))  # the page without data-pagefind-body too


def test_pages_whose_bytes_are_known_are_not_read_and_the_parts_are_the_same(small, tmp_path, monkeypatch):
    """The pages a build placed from its cache come described (page_reuse.PageCache.known_pages)."""
    site, _ = small
    limit = _html_bytes(site) // 7
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    known = {}
    for path in pages[::2]:
        data = (site / path).read_bytes()
        known[path] = (len(data), search_index.BODY in data, hashlib.sha256(data).digest())
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: reads.append(path) or real(path))
    with_known = plan_parts(site, limit, known)
    read_with_known = sorted(p.relative_to(site).as_posix() for p in reads if p.suffix == ".html")
    assert with_known == plan_parts(site, limit)
    assert read_with_known == sorted(set(pages) - set(known))


def test_a_kept_part_carries_its_pages_urls_and_the_merge_writes_the_same_bytes_with_them(small, tmp_path):
    """A kept part lists each fragment's URL and SHA-256, so that a build does not open every
    fragment of the site to learn them; the merged index is the same with or without the list."""
    site, _ = small
    cache = tmp_path / "cache"
    index_site(_html_only(site, tmp_path / "first"), cache=cache)
    [part] = [p for p in cache.iterdir()]
    described = json.loads((part / pagefind_merge.FRAGMENTS_FILE).read_text(encoding="utf-8"))
    assert sorted(url for url, _ in described.values()) == sorted(_meaning(part)["fragments"])
    pagefind_merge.merge([part], tmp_path / "described")
    (part / pagefind_merge.FRAGMENTS_FILE).unlink()
    pagefind_merge.merge([part], tmp_path / "read")
    assert _files(tmp_path / "described") == _files(tmp_path / "read") == _files(tmp_path / "first" / "pagefind")
    assert pagefind_merge.FRAGMENTS_FILE not in [p.name for p in (tmp_path / "described").iterdir()]


def test_a_file_of_the_index_that_cannot_be_written_fails_the_merge(small, tmp_path, monkeypatch):
    """The merge gzips and writes its files on a second thread: a failure there is the merge's."""
    site, _ = small
    part = tmp_path / "part"
    search_index.run_pagefind(site, part, plan_parts(site)[0].files)

    def full_disk(data, compresslevel, mtime):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pagefind_merge.gzip, "compress", full_disk)
    with pytest.raises(OSError, match="No space left"):
        pagefind_merge.merge([part], tmp_path / "merged")


def test_a_half_copied_part_in_the_cache_is_never_read(small, tmp_path):
    site, _ = small
    cache = tmp_path / "cache"
    first = _html_only(site, tmp_path / "first")
    index_site(first, cache=cache)
    [key] = [p.name for p in cache.iterdir()]
    (cache / f".{key}.999").mkdir()  # a build killed while copying
    shutil.rmtree(cache / key)
    again = _html_only(site, tmp_path / "again")
    index_site(again, cache=cache)
    assert _files(again / "pagefind") == _files(first / "pagefind")


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_on_a_large_site_each_top_folder_is_indexed_apart_so_a_listing_change_redoes_only_its_own(tmp_path):
    """The listing pages (themes/ here) change with any review they name: in a part of their own,
    a change to them indexes again only their few pages, not those of hundreds of reviews."""
    site = tmp_path / "site"
    for path in [*(f"reviews/r-{i:03}/index.html" for i in range(search_index.PART_PAGES)),
                 *(f"themes/t-{i}/index.html" for i in range(5)), "index.html", "whats-new/index.html"]:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(_page(path, "neglect " * 20, {}), encoding="utf-8")
    before = plan_parts(site)
    themes = [part for part in before if any(path.startswith("themes/") for path in part.files)]
    assert [part.files for part in themes] == [[f"themes/t-{i}/index.html" for i in range(5)]]
    assert ["index.html"] in [part.files for part in before] and ["whats-new/index.html"] in [part.files for part in before]
    page = site / "themes" / "t-2" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>One more review.</p></main>"),
                    encoding="utf-8")
    after = plan_parts(site)
    assert [part.files for part in after] == [part.files for part in before]
    assert [b.key for b, a in zip(before, after) if b.key != a.key] == [themes[0].key]


def test_a_folder_of_large_listing_pages_is_cut_so_one_pages_change_redoes_a_few_megabytes(tmp_path):
    """Adding a review changes a page in every listing folder: the tracker's 293 pages (36 MB at
    5,000 reviews) were one part, indexed again whole. Parts of large pages hold about
    LISTING_PART_BYTES, and a change to one page changes only its own part's key."""
    site, filler = tmp_path / "site", "safeguarding " * (search_index.LARGE_PAGE // 5)  # 130 KB a page
    paths = [*(f"reviews/r-{i:03}/index.html" for i in range(search_index.PART_PAGES)),
             *(f"tracker/p-{i:03}/index.html" for i in range(60))]
    for path in paths:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(_page(path, filler if path.startswith("tracker/") else "neglect " * 20, {}),
                                 encoding="utf-8")
    before = plan_parts(site)
    tracker = [part for part in before if part.files[0].startswith("tracker/")]
    sizes = [sum((site / path).stat().st_size for path in part.files) for part in tracker]
    assert len(tracker) > 1 and max(sizes) < 4 * search_index.LISTING_PART_BYTES, sizes
    page = site / "tracker" / "p-031" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>One more review.</p></main>"),
                    encoding="utf-8")
    after = plan_parts(site)
    changed = [b.files for b, a in zip(before, after) if b.key != a.key]
    assert [part.files for part in after] == [part.files for part in before]
    assert len(changed) == 1 and "tracker/p-031/index.html" in changed[0] and len(changed[0]) < 60


def test_a_small_site_is_not_cut_at_its_folders(small):
    site, _ = small
    assert len(plan_parts(site)) == 1
