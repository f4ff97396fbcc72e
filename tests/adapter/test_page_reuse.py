"""Which pages a build may take from .cache/pages instead of rendering again (adapter/page_reuse.py).

The whole-site proof, that a build with the cache gives exactly the site a clean build gives, is in
test_incremental_build.py; these tests pin down the key and the hand-over to MkDocs."""
import os
import time
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File

from generator.adapter.page_reuse import PageCache, link_targets, always_rendered
from generator.pages.environment import Page


@pytest.fixture
def config(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\nnav:\n  - Home: index.md\n  - About:\n"
                                         "      - Us: about/index.md\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    config.plugins._current_plugin = "test"  # as while MkDocs runs the hook's on_files
    return config


def started(config, tmp_path) -> PageCache:
    cache = PageCache(tmp_path / "cache")
    cache.start(config)
    return cache


REVIEW = Page("reviews/child-a/index.md", "# Child A\n\n[The PDF](child-a.pdf) and [themes](../../themes/)\n")


def test_the_key_follows_the_text_the_record_the_linked_files_and_the_build(config, tmp_path):
    cache = started(config, tmp_path)
    files = set()  # the paths of the build's files
    key = cache.key(REVIEW, files, {})
    assert cache.key(Page(REVIEW.path, REVIEW.content), files, {}) == key  # the same inputs, the same key
    assert cache.key(Page(REVIEW.path, REVIEW.content + "More.\n"), files, {}) != key
    assert cache.key(Page("reviews/child-b/index.md", REVIEW.content), files, {}) != key
    assert cache.key(REVIEW, files, {REVIEW.path: '{"name": "Child A"}'}) != key
    assert cache.key(REVIEW, files, {"reviews/child-b/index.md": "{}"}) == key  # another page's record
    assert cache.key(REVIEW, {"reviews/child-a/child-a.pdf"}, {}) != key  # MkDocs warns about a link to a missing file
    config.extra["partnership"] = "Another partnership"
    assert started(config, tmp_path).key(REVIEW, files, {}) != key  # a setting every page shows


def test_link_targets_are_the_relative_files_a_page_links_to():
    page = Page("reviews/child-a/index.md", '[a](child-a.pdf) [b](https://example.org/x.pdf) <a href="../b/x.pptx">'
                                            '[c](mailto:a@b.uk) [d](#top) <img src="/abs.png">'
                                            '<img data-src="pic.png"> <i xhref="not-a-link.png">')
    assert link_targets(page) == ["reviews/child-a/child-a.pdf", "reviews/b/x.pptx", "reviews/child-a/pic.png"]


def test_the_navigation_s_pages_are_always_rendered_unless_every_entry_has_its_title():
    # an entry without a title shows its page's heading in every navigation page's menu
    assert always_rendered([{"Home": "index.md"}, {"About": [{"Us": "about/index.md"}, "about/more.md"]}]) == {
        "index.md", "about/index.md", "about/more.md"}
    assert always_rendered([{"Home": "index.md"}, {"About": [{"Us": "about/index.md"}, {"More": "about/more.md"}]}]) == set()


def test_a_kept_page_is_put_in_place_and_mkdocs_would_skip_it(config, tmp_path):
    files = set()
    first = started(config, tmp_path)
    rendered = first.file_for(REVIEW, config, files, set())
    assert rendered.content_string == REVIEW.content  # nothing kept yet: MkDocs renders it
    first.keep(REVIEW.path, "<html>Child A</html>\n")
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".") and p.suffix != ""] == []

    second = started(config, tmp_path)
    reused = second.file_for(REVIEW, config, files, set())
    assert second.reused == 1 and second.pending == {}
    assert open(reused.abs_dest_path, encoding="utf-8").read() == "<html>Child A</html>\n"
    assert reused.is_modified() is False  # so MkDocs' dirty build neither reads nor renders it

    changed = Page(REVIEW.path, REVIEW.content + "Corrected.\n")
    assert started(config, tmp_path).file_for(changed, config, files, set()).content_string == changed.content


def test_a_made_file_is_linked_in_from_its_cache_and_mkdocs_would_not_copy_it(config, tmp_path):
    made = tmp_path / "pdf-cache" / "abc.pdf"
    made.parent.mkdir()
    made.write_bytes(b"%PDF-1.7 the briefing")
    file = File.generated(config, "reviews/child-a/child-a.pdf", abs_src_path=str(made))
    assert file.is_modified() is True  # not in the fresh folder yet
    started(config, tmp_path).place_made(file)
    assert os.path.samefile(file.abs_dest_path, made)  # a hard link: no bytes written
    assert file.is_modified() is False  # so MkDocs' dirty build skips the copy


def test_pages_always_rendered_are_rendered_again(config, tmp_path):
    page = Page("about/index.md", "# About\n")
    first = started(config, tmp_path)
    first.file_for(page, config, set(), {"about/index.md"})
    assert first.pending == {}  # not even kept
    first.keep(page.path, "<html></html>")
    assert started(config, tmp_path).file_for(page, config, set(), {"about/index.md"}).content_string == page.content


def test_a_file_mkdocs_copies_is_put_in_place_from_the_cache_by_its_text(config, tmp_path):
    data = Page("reviews/child-a/review.json", '{"name": "Child A"}')
    placed = started(config, tmp_path).file_for(data, config, set(), set())
    assert Path(placed.abs_dest_path).read_text(encoding="utf-8") == data.content
    assert placed.is_modified() is False  # so MkDocs' dirty build does not write it again
    kept = [p for p in (tmp_path / "cache").iterdir() if p.suffix == ".json" and not p.name.startswith(("links-", "described-"))]
    assert len(kept) == 1 and os.path.samefile(kept[0], placed.abs_dest_path)  # linked, not written twice
    os.unlink(placed.abs_dest_path)  # the next build's fresh folder
    again = started(config, tmp_path).file_for(data, config, set(), set())
    assert os.path.samefile(kept[0], again.abs_dest_path)
    changed = Page(data.path, '{"name": "Child B"}')
    os.unlink(again.abs_dest_path)
    other = started(config, tmp_path).file_for(changed, config, set(), set())
    assert Path(other.abs_dest_path).read_text(encoding="utf-8") == changed.content
    assert not os.path.samefile(kept[0], other.abs_dest_path)


def test_a_page_of_a_navigation_whose_entries_all_have_titles_is_kept_like_any_other(config, tmp_path):
    page = Page("about/index.md", "# About\n")
    assert always_rendered(config.nav) == set()  # Home: index.md, About: [Us: about/index.md]
    first = started(config, tmp_path)
    first.file_for(page, config, set(), always_rendered(config.nav))
    first.keep(page.path, "<html>about</html>")
    reused = started(config, tmp_path).file_for(page, config, set(), always_rendered(config.nav))
    assert Path(reused.abs_dest_path).read_text() == "<html>about</html>"


def test_pruning_keeps_what_this_build_used_and_recent_entries(config, tmp_path):
    cache = started(config, tmp_path)
    cache.file_for(REVIEW, config, set(), set())
    used = next(iter(cache.pending.values()))
    cache.keep(REVIEW.path, "<html>kept</html>")
    old, recent = tmp_path / "cache" / "old.html", tmp_path / "cache" / "recent.html"
    for path in (old, recent):
        path.write_text("<html></html>")
    an_hour_ago = time.time() - 3700
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(tmp_path / "cache" / f"{used}.html", (an_hour_ago, an_hour_ago))
    cache.prune()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir() if not p.name.startswith(".")) == [
        f"{used}.html", f"described-{cache.fingerprint[:16]}.json", f"links-{cache.fingerprint[:16]}.json",
        "recent.html"]  # and the pages' link targets, and what the search reads of them


def test_a_reused_page_is_described_to_the_search_as_it_was_kept(config, tmp_path):
    import hashlib

    first = started(config, tmp_path)
    first.file_for(REVIEW, config, set(), set())
    html = "<html><body><article data-pagefind-body>Kept.</article></body></html>"
    first.keep(REVIEW.path, html)
    first.prune()
    assert first.known_pages() == {}  # rendered this build, not placed from the cache
    second = started(config, tmp_path)
    placed = second.file_for(REVIEW, config, set(), set())
    assert second.known_pages() == {placed.dest_uri: (len(html), True, hashlib.sha256(html.encode()).digest())}
    assert Path(placed.abs_dest_path).read_text() == html


def test_a_page_s_link_targets_are_found_once_and_kept_for_the_next_build(config, tmp_path, monkeypatch):
    from generator.adapter import page_reuse

    first = started(config, tmp_path)
    key = first.key(REVIEW, {"reviews/child-a/child-a.pdf"}, {})
    first.prune()  # the build's end
    monkeypatch.setattr(page_reuse, "link_targets", lambda page: pytest.fail("found again"))
    second = started(config, tmp_path)
    assert second.key(REVIEW, {"reviews/child-a/child-a.pdf"}, {}) == key
    assert second.key(REVIEW, set(), {}) != key  # the kept targets still meet this build's files
    changed = Page(REVIEW.path, REVIEW.content + "[More](more.pdf)\n")
    with pytest.raises(pytest.fail.Exception):
        second.key(changed, set(), {})  # a changed text: its targets are found again
