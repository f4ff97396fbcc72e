"""The last gate: a denylisted name planted through each path a text reaches the site by stops
the switch, and site/ stays as it was.

The source checks would stop most of these first (see tests/check/test_privacy.py), so here they are
switched off, as if they had missed the name: what is tested is that the gate alone holds.
"""
import gzip
import hashlib
import json
import re
import shutil

import pytest

from generator.output import last_gate
from generator.check import privacy
from generator.output.building import BuildFailed, build
from generator.output.pagefind_merge import SIGNATURE

from conftest import make_buildable, make_project, minimal, run_cli

pytestmark = pytest.mark.build

NAME = "Jordan Smithson"
SOFT = "\u00ad"


def _plant_review(root):
    path = root / "briefings" / "child-z-2024.yml"
    path.write_text(path.read_text().replace("Child Z lived with her mother.",
                                             f"Child Z lived with Jor{SOFT}dan Smith{SOFT}son."))
    return "briefings/child-z-2024.yml:13"


def _plant_site_name(root):
    path = root / "briefings" / "_site.yml"
    path.write_text(path.read_text().replace("site_name: Learning from case reviews",
                                             f"site_name: Learning from {NAME}"))
    return "briefings/_site.yml:"


def _plant_glossary(root):
    path = root / "briefings" / "_glossary.yml"
    path.write_text(path.read_text().replace("NHS services for children's mental health.",
                                             f"NHS services, as {NAME} knew."))
    return "briefings/_glossary.yml:4"


def _plant_theme(root):
    path = root / "briefings" / "_themes.yml"
    text, n = re.subn(r"(- id: neglect\n    name: [^\n]*\n    description: )", rf"\g<1>{NAME} and others. ", path.read_text())
    assert n == 1
    path.write_text(text)
    return "briefings/_themes.yml:"


def _plant_docs_page(root):
    path = root / "docs" / "about" / "index.md"
    path.write_text(path.read_text() + f"\nWith thanks to {NAME}.\n")
    return "docs/about/index.md:"


def _plant_template(root):
    path = root / "theme" / "main.html"
    text = path.read_text()
    assert "{% block footer %}" in text
    path.write_text(text.replace("{% block footer %}", f"{{% block footer %}}<p>Written by {NAME}</p>", 1))
    return None  # in no source file: the message says so


PATHS = {"review text with soft hyphens": _plant_review, "site name in _site.yml": _plant_site_name,
         "glossary": _plant_glossary, "themes": _plant_theme, "a docs/ page": _plant_docs_page,
         "a string a template adds": _plant_template}


@pytest.fixture(scope="module")
def good_project(tmp_path_factory):
    """A small project already built once: its site/ is the last good site."""
    root = make_buildable(make_project(tmp_path_factory.mktemp("gate") / "project", {"child-z-2024.yml": minimal()}))
    result = run_cli(root, "build", env={"BRIEFINGS_DENYLIST": NAME})
    assert result.returncode == 0, result.stderr
    return root


def _copy_site(project, tmp_path):
    """The good project's site, to change without touching the one the other tests share."""
    return shutil.copytree(project / "site", tmp_path / "site")


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("path", PATHS)
def test_a_name_planted_through_each_path_stops_the_switch(path, good_project, tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(good_project, root, symlinks=True)
    before = _files(root / "site")
    source = PATHS[path](root)
    monkeypatch.setenv("BRIEFINGS_DENYLIST", NAME)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    # the source checks miss it (as if): only the last gate stands between it and the site
    monkeypatch.setattr(privacy, "check_privacy", lambda *args, **kwargs: [])
    monkeypatch.setattr(privacy, "check_pages", lambda *args, **kwargs: [])
    with pytest.raises(BuildFailed) as failed:
        build(root)
    message = str(failed.value)
    assert "was not switched live and the site is unchanged" in message
    assert "a term on the denylist (the list in BRIEFINGS_DENYLIST)" in message
    assert "smithson" not in message.lower()  # the term itself is never printed
    if source:
        assert f"in the sources at {source}" in message, message
    else:
        assert "not found as such in briefings/ or docs/, so it comes from a template" in message
    assert _files(root / "site") == before
    assert [p.name for p in root.glob(".site.*")] == [".site.lock"]  # the refused build is cleaned away; the lock stays


def test_the_soft_hyphen_name_is_refused_by_the_source_check_too(good_project, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(good_project, root, symlinks=True)
    before = _files(root / "site")
    _plant_review(root)
    result = run_cli(root, "build", env={"BRIEFINGS_DENYLIST": NAME})
    assert result.returncode == 1
    assert result.stderr.startswith("briefings/child-z-2024.yml:13: background: contains a term on the denylist")
    assert _files(root / "site") == before


def test_the_gate_reads_every_kind_of_published_file(good_project):
    site = good_project / "site"
    kinds = {p.suffix for p in last_gate.published_files(site)}
    assert {".html", ".pdf", ".pptx", ".pf_fragment", ".pf_index", ".pf_meta", ".xml", ".csv"} <= kinds, kinds
    assert not kinds & {".js", ".css", ".png", ".woff2"}
    rules = last_gate.load_rules(good_project)
    assert last_gate.scan(site, rules, workers=1) == []  # a clean build passes: no false alarm
    # the name, if it were in the PDF, the search fragments or index, is found in each
    pdf = next(site.rglob("*.pdf"))
    assert "Child Z" in last_gate.pdf_text(pdf)
    pack = last_gate.pptx_text(next(site.rglob("*.pptx")))
    assert "Child Z" in pack and "0:00 to 1:00" in pack  # the slides' text and their speaker notes
    fragment = next((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert gzip.decompress(fragment.read_bytes()).startswith(SIGNATURE)
    texts, _ = last_gate.pagefind_texts(fragment)
    assert texts and texts[0].strip()
    words = [w for chunk in (site / "pagefind" / "index").glob("*.pf_index") for w in last_gate.pagefind_texts(chunk)[1]]
    assert "share" in words, words[:50]  # stems (Pagefind indexes "agenc"): the fragments hold the words
    rules.denylist.add_clear("Share", "test")
    assert rules.denylist.find_words(words) == ["test"]


def test_html_attributes_comments_and_escaped_addresses_are_read():
    page = ('<html><head><meta name="description" content="About J. Smithson"></head><body>'
            '<h2 id="jordan-smithson-2019">Heading</h2><a href="/x/Jordan%20Smithson/">link</a>'
            '<!-- Jordan Smithson --><p>Jor<em>dan</em> Smith&shy;son</p>'
            '<svg><path d="M12 8a3 3 0 0 0 3-3 0116 454 1234"/></svg></body></html>')
    denylist = privacy.Denylist(salt=b"s")
    denylist.add_clear(NAME, "test")
    texts = last_gate.html_texts(page)
    text, attributes, comment = texts
    assert denylist.find(text) and denylist.find(comment)
    assert len(denylist.find(attributes)) == 3  # the description, the id and the address
    assert privacy.detect_values("\n".join(texts), set()) == []  # an icon's drawing is not a phone number


def test_a_file_that_cannot_be_read_is_not_published_unread(tmp_path):
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "broken.pf_fragment").write_bytes(b"not gzip")
    rules = last_gate.Rules(privacy.Denylist(), set(), set())
    [(output, what)] = last_gate.scan(tmp_path, rules, workers=1)
    assert output == "pagefind/broken.pf_fragment" and what.startswith("cannot be read to check it")


def test_lines_seen_before_are_checked_once_but_a_name_across_two_of_them_is_found():
    seen = last_gate.Seen(reach=60)
    assert seen.novel("header\nJordan\nfooter") == "header\nJordan\nfooter"
    assert seen.novel("header\nJordan\nfooter") == ""  # all of it seen: nothing to check again
    again = seen.novel("header\nJordan\nSmithson\nfooter")
    denylist = privacy.Denylist(salt=b"s")
    denylist.add_clear(NAME, "test")
    assert denylist.find(again), again
    assert "header" not in again


def test_a_detail_allowed_in_a_review_is_allowed_on_the_site(tmp_path):
    text = minimal() + ("contact: Switchboard 0116 454 1004\nprivacy_allow:\n  - check: phone-number\n"
                        "    field: contact\n    reason: The council's published switchboard.\n")
    make_project(tmp_path, {"child-z-2024.yml": text})
    rules = last_gate.load_rules(tmp_path)
    assert ("phone-number", "1164541004") in rules.allowed
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>Ring 0116 454 1004, not 0116 454 1005.</p>")
    assert last_gate.scan(site, rules, workers=1) == [("index.html", "a phone number (phone-number)")]


def test_a_pdf_s_result_is_cached_without_its_text_and_rechecked_when_the_rules_change(good_project, tmp_path):
    site, cache = good_project / "site", tmp_path / "cache"
    rules = last_gate.load_rules(good_project)
    assert last_gate.scan(site, rules, cache, workers=1) == []
    [stored] = list(cache.glob("verdicts-*"))
    verdicts = json.loads(stored.read_text())
    # a clean scan keeps every file's verdict, one per content (files with the same bytes share one)
    assert len(verdicts) == len({hashlib.sha256(p.read_bytes()).hexdigest() for p in last_gate.published_files(site)})
    assert set(map(tuple, verdicts.values())) == {()}  # what was found, never the text
    rules = last_gate.load_rules(good_project)
    rules.denylist.add_clear("Child Z", "test")
    found = last_gate.scan(site, rules, cache, workers=1)
    assert any(output.endswith(".pdf") for output, _ in found), found
    assert any(output.endswith(".html") for output, _ in found), found


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(good_project, tmp_path, monkeypatch):
    site, cache = _copy_site(good_project, tmp_path), tmp_path / "cache"
    rules = last_gate.load_rules(good_project)
    assert last_gate.scan(site, rules, cache, workers=1) == []
    read = []
    reader = last_gate.file_texts
    monkeypatch.setattr(last_gate, "file_texts", lambda path: read.append(path.name) or reader(path))
    assert last_gate.scan(site, rules, cache, workers=1) == []
    assert read == []
    page = site / "index.html"
    page.write_text(page.read_text().replace("</body>", "<p>Ring 07700 900123.</p></body>"))
    assert last_gate.scan(site, rules, cache, workers=1) == [("index.html", "a phone number (phone-number)")]
    assert read == ["index.html"]


def test_after_a_scan_with_a_hit_only_whole_checked_files_are_kept(good_project, tmp_path):
    """A page checked only in the sentences no earlier page had cannot be called clean on its own
    when another page held the hit: the next scan must read it again."""
    site, cache = _copy_site(good_project, tmp_path), tmp_path / "cache"
    rules = last_gate.load_rules(good_project)
    page = site / "index.html"
    page.write_text(page.read_text().replace("</body>", "<p>Ring 07700 900123.</p></body>"))
    assert last_gate.scan(site, rules, cache, workers=1) == [("index.html", "a phone number (phone-number)")]
    [stored] = list(cache.glob("verdicts-*"))
    kept = json.loads(stored.read_text())
    assert len(kept) == len({hashlib.sha256(p.read_bytes()).hexdigest()
                             for p in (*site.rglob("*.pdf"), *site.rglob("*.pptx"))})  # checked whole: kept


def test_a_half_written_cache_is_never_read(good_project, tmp_path):
    site, cache = _copy_site(good_project, tmp_path), tmp_path / "cache"
    rules = last_gate.load_rules(good_project)
    cache.mkdir()
    (cache / f"verdicts-{rules.fingerprint()}.json").write_text('{"0a1b": [')  # a build killed mid-write (an old one)
    page = site / "index.html"
    page.write_text(page.read_text().replace("</body>", "<p>Ring 07700 900123.</p></body>"))
    assert last_gate.scan(site, rules, cache, workers=1) == [("index.html", "a phone number (phone-number)")]


def test_a_name_only_a_pdf_shows_is_read_in_its_text_bookmarks_and_metadata(tmp_path):
    """Each part of a PDF a reader's viewer shows, read by the same engine (PDFium): a name split
    by a hyphen at a line's end, a bookmark's label in the sidebar, and the document's title."""
    from weasyprint import HTML

    page = (f"<html><head><title>About {NAME}</title><style>@page {{ size: A6 }} p {{ width: 8em; hyphens: manual }}"
            f"h2 {{ bookmark-label: '{NAME}' }}</style></head><body><h2>Heading</h2>"
            "<p>The meeting was told that the worker Jordan Smith&shy;son had not been asked to attend.</p></body></html>")
    pdf = tmp_path / "briefing.pdf"
    HTML(string=page).write_pdf(pdf)
    denylist = privacy.Denylist(salt=b"s")
    denylist.add_clear(NAME, "test")
    text = last_gate.pdf_text(pdf)
    assert re.search(r"Smith\W+\nson", text), text  # broken at the soft hyphen, as printed
    lines = sorted(n for n, _ in denylist.find(text))
    assert len(lines) == 3, text  # the title, the bookmark and the split name in the page's text


def _rules_with_name():
    denylist = privacy.Denylist(salt=b"s")
    denylist.add_clear(NAME, "test")
    return last_gate.Rules(denylist, set(), set())


def _page(*lines):
    return "<html><body>" + "".join(f"<p>{line}</p>\n" for line in lines) + "</body></html>"


def test_a_changed_file_has_only_the_sentences_no_clean_scan_checked_read_in_the_next(tmp_path, monkeypatch):
    """The open data and the listing pages change with any review they name: the next build
    checks only their new sentences, and the joins of lines around them."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    rules = _rules_with_name()
    (site / "theme.html").write_text(_page("A review from Westbridge.", "The worker was Jordan", "Another review."))
    assert last_gate.scan(site, rules, cache, workers=1) == []
    checked = []
    find = privacy.Denylist.find
    monkeypatch.setattr(privacy.Denylist, "find", lambda self, text: checked.append(text) or find(self, text))
    # in a new build, the page lists one more review: only its sentence is checked
    (site / "theme.html").write_text(_page("A review from Westbridge.", "The worker was Jordan", "Another review.",
                                           "A new review from Fernley."))
    assert last_gate.scan(site, rules, cache, workers=1) == []
    assert "A new review from Fernley" in checked[-1] and "Westbridge" not in checked[-1]
    # a name across a line checked before and a new line is found
    (site / "theme.html").write_text(_page("A review from Westbridge.", "The worker was Jordan", "Smithson then.",
                                           "Another review."))
    assert last_gate.scan(site, rules, cache, workers=1) == [("theme.html", "a term on the denylist (test)")]


def test_the_sentences_are_kept_only_after_a_clean_scan_and_a_damaged_file_is_not_read(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    rules = _rules_with_name()
    (site / "a.html").write_text(_page(f"The worker was {NAME}.", "A review from Westbridge."))
    assert last_gate.scan(site, rules, cache, workers=1) != []
    assert last_gate.read_sentences(cache, rules) == last_gate.Sentences()  # a scan with a hit keeps none
    (site / "a.html").write_text(_page("The worker was not named.", "A review from Westbridge."))
    assert last_gate.scan(site, rules, cache, workers=1) == []
    kept = last_gate.read_sentences(cache, rules)
    assert last_gate.sentence_hash("A review from Westbridge") in kept.units and kept.pairs
    # the same sentence with the name in it again: it is new, so it is read
    (site / "a.html").write_text(_page(f"The worker was {NAME}.", "A review from Westbridge."))
    assert last_gate.scan(site, rules, cache, workers=1) == [("a.html", "a term on the denylist (test)")]
    stored = cache / last_gate.SENTENCE_FILE.format(rules.fingerprint())
    stored.write_bytes(stored.read_bytes()[:-3])  # a file this code did not write
    assert last_gate.read_sentences(cache, rules) == last_gate.Sentences()
    stored.write_bytes((10**6).to_bytes(8, "little") + stored.read_bytes()[8:16])  # a count past its end
    assert last_gate.read_sentences(cache, rules) == last_gate.Sentences()


def test_on_a_large_site_only_the_changed_files_are_read_and_no_worker_is_started_for_a_few(good_project, tmp_path,
                                                                                              monkeypatch):
    """Told apart by their hashes first: the files a build left unchanged (nearly all of them at
    national scale) cost only their reading, and a few changed ones are checked in the build's own
    process, not by workers forked from it."""
    site, cache = _copy_site(good_project, tmp_path), tmp_path / "cache"
    for i in range(300):
        (site / "many" / f"page-{i:03}.html").parent.mkdir(exist_ok=True)
        (site / "many" / f"page-{i:03}.html").write_text(f"<p>Page {i} of the learning from reviews.</p>")
    rules = last_gate.load_rules(good_project)
    assert last_gate.scan(site, rules, cache) == []  # 300 new files: by the workers
    read = []
    reader = last_gate.file_texts
    monkeypatch.setattr(last_gate, "file_texts", lambda path: read.append(path.name) or reader(path))
    monkeypatch.setattr(last_gate, "in_forks", None)  # starting workers would fail
    page = site / "many" / "page-150.html"
    page.write_text("<p>Ring 07700 900123.</p>")
    assert last_gate.scan(site, rules, cache) == [("many/page-150.html", "a phone number (phone-number)")]
    assert read == ["page-150.html"]


def test_the_files_are_read_in_order_of_folder_then_name(tmp_path):
    for name in ("a-b/x.html", "a/b.html", "a/c/d.html", "b.html", "a.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<p>Text.</p>")
    assert last_gate.published_names(tmp_path) == ["a/b.html", "a/c/d.html", "a-b/x.html", "a.html", "b.html"]
    assert last_gate.published_files(tmp_path) == sorted(tmp_path.rglob("*.html"))


def _word_chunk(path, words):
    """A search index word chunk as Pagefind writes one: [[[word, pages, variants], ...]]."""
    import cbor2

    path.parent.mkdir(parents=True, exist_ok=True)
    entries = [[word, [[0, [1], []]], []] for word in words]
    path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps([entries])))


def _rules_with_word():
    denylist = privacy.Denylist(salt=b"s")
    denylist.add_clear("Smithson", "test")
    return last_gate.Rules(denylist, set(), set())


def test_a_denylisted_word_added_to_a_chunk_whose_other_words_were_all_checked_is_found(tmp_path, monkeypatch):
    """After an edit most of the index's word chunks change, though nearly all their words were
    checked before: each changed chunk is read whole, so a new word in it is found, and the
    sentences kept from earlier scans are not read for word chunks, which hold none."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    rules = _rules_with_word()
    (site / "index.html").parent.mkdir(parents=True)
    (site / "index.html").write_text(_page("A review from Westbridge."))
    _word_chunk(site / "pagefind" / "index" / "en_a.pf_index", ["review", "school", "westbridge"])
    assert last_gate.scan(site, rules, cache, workers=1) == []
    assert last_gate.read_sentences(cache, rules).units  # kept from the page
    monkeypatch.setattr(last_gate, "read_sentences", None)  # reading them would fail
    _word_chunk(site / "pagefind" / "index" / "en_a.pf_index", ["review", "school", "smithson", "westbridge"])
    assert last_gate.scan(site, rules, cache, workers=1) == [
        ("pagefind/index/en_a.pf_index", "a term on the denylist (test), in the search index's words")]


def test_the_files_checked_in_a_fork_are_reported_as_those_checked_here(tmp_path):
    """200 changed files are checked by this process and a fork, each taking about half."""
    site = tmp_path / "site"
    names = [f"pagefind/index/en_{n:03}.pf_index" for n in range(200)]
    for name in names:
        _word_chunk(site / name, ["review", "smithson"])
    (site / "a.html").write_text(_page("The worker was Smithson."))
    forked = last_gate.scan(site, _rules_with_word(), workers=2)
    assert forked == last_gate.scan(site, _rules_with_word(), workers=1)
    assert [name for name, _ in forked] == ["a.html", *names]


def test_the_hashes_taken_in_a_fork_tell_the_changed_file_from_the_unchanged_ones(tmp_path, monkeypatch):
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    for n in range(40):
        (site / f"page-{n:02}.html").write_text(_page(f"Page {n} of the learning from reviews."))
    rules = _rules_with_word()
    monkeypatch.setattr(last_gate, "HASHES_SHARED_FROM", 2)  # here and in a fork, every other file
    assert last_gate.scan(site, rules, cache, workers=2) == []
    read = []
    reader = last_gate.file_texts
    monkeypatch.setattr(last_gate, "file_texts", lambda path: read.append(path.name) or reader(path))
    (site / "page-17.html").write_text(_page("The worker was Smithson."))  # a file the fork hashes
    assert last_gate.scan(site, rules, cache, workers=2) == [("page-17.html", "a term on the denylist (test)")]
    assert read == ["page-17.html"]
