"""Pages kept by what they are made from (pages/render_cache.py): a pass renders only the pages
whose inputs changed, and what it keeps is exactly what rendering afresh gives."""
import dataclasses
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from generator.dev import corpus
from generator.model.types import Site, themes_of
from generator.output.pdf_making import PdfFile
from generator.pages import environment, render_cache, site as rendering
from generator.pages.inputs import LISTINGS
from generator.pages.render_cache import Digests, RenderCache, Unkeyable
from generator.pages.views import open_data
from generator.site import load_site


@pytest.fixture
def project(tmp_path):
    made = corpus.make(8, tmp_path)
    return tmp_path, made.ids


@pytest.fixture
def counted(monkeypatch):
    """The reviews whose pages were rendered, and the listing pages rendered from a template."""
    seen = {"reviews": [], "listings": []}
    review_pages, page = rendering.render_review, environment.page_from_template

    def render_review(env, site, review):
        seen["reviews"].append(review.id)
        return review_pages(env, site, review)

    def one_page(env, template, path, context):
        if template in LISTINGS:
            seen["listings"].append(path)
        return page(env, template, path, context)

    monkeypatch.setattr(rendering, "render_review", render_review)
    monkeypatch.setattr(environment, "page_from_template", one_page)
    return seen


def one_pass(root, counted, cache=None, pdfs=None):
    """Load the project and render it with the cache (by default a new cache object, as a new
    build makes), checking that it gives the pages a render without it gives; returns them."""
    site = load_site(root).site
    fresh = rendering.render_site(site, pdfs)
    for found in counted.values():
        found.clear()
    pages = rendering.render_site(site, pdfs, cache=cache or RenderCache(root / render_cache.FOLDER))
    assert pages == fresh  # kept pages are exactly the fresh ones
    return pages


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_build_renders_no_page_again(project, counted):
    root, ids = project
    one_pass(root, counted)
    assert sorted(counted["reviews"]) == sorted(ids) and counted["listings"]
    one_pass(root, counted)
    assert counted == {"reviews": [], "listings": []}


def test_an_edited_review_renders_again_alone_with_only_the_listings_that_show_it(project, counted):
    root, ids = project
    one_pass(root, counted)
    before = list(counted["listings"])
    edit(root / "briefings" / f"{ids[3]}.yml", "\nsummary: ", "\nsummary: Revised. ")
    pages = {page.path: page.content for page in one_pass(root, counted)}
    assert counted["reviews"] == [ids[3]]
    assert "Revised." in pages["index.md"] and "Revised." in pages[f"reviews/{ids[3]}/index.md"]
    site = load_site(root).site
    edited = next(r for r in site.reviews if r.id == ids[3])
    themes = {f"themes/{t.id}.md" for t in site.themes if t.id not in themes_of(edited)}
    assert themes and not themes & set(counted["listings"])  # a theme page without the review is kept
    assert "index.md" in counted["listings"] and len(counted["listings"]) < len(before)


@pytest.mark.parametrize("change", ["glossary", "themes", "settings"])
def test_a_change_to_what_every_page_reads_renders_every_page_again(project, counted, change):
    root, ids = project
    one_pass(root, counted)
    briefings = root / "briefings"
    if change == "glossary":
        edit(briefings / "_glossary.yml", "\n    term: Accident", "\n    term: The Accident")
    elif change == "themes":
        edit(briefings / "_themes.yml", "name: Neglect\n", "name: Neglect of a child\n")
    else:
        edit(briefings / "_site.yml", "\nsite_name: ", "\nsite_name: The ")
    one_pass(root, counted)
    assert sorted(counted["reviews"]) == sorted(ids) and counted["listings"]


@pytest.fixture
def templates(tmp_path, monkeypatch):
    """A copy of the templates that a test may edit, as a developer does under serve."""
    copy = tmp_path / "templates"
    shutil.copytree(environment.TEMPLATES, copy)
    monkeypatch.setattr(environment, "TEMPLATES", copy)
    monkeypatch.setattr(render_cache, "TEMPLATES", copy)
    return copy


def test_an_edited_template_renders_every_page_again_in_the_same_process(project, counted, templates):
    root, ids = project
    one_pass(root, counted)
    edit(templates / "_macros.md.j2", "{% macro ", "{# edited #}\n{% macro ")
    one_pass(root, counted)
    assert sorted(counted["reviews"]) == sorted(ids) and counted["listings"]
    edit(templates / "learning-brief.md.j2", "## Overview", "## An overview")
    pages = {page.path: page.content for page in one_pass(root, counted)}
    assert sorted(counted["reviews"]) == sorted(ids)
    assert "## An overview" in pages[f"reviews/{ids[0]}/learning-brief.md"]


def test_a_review_template_that_reads_the_site_whole_keeps_no_review_page(project, counted, templates):
    root, ids = project
    edit(templates / "trainer.md.j2", "{% import", "{% set everything = site %}\n{% import")
    one_pass(root, counted)
    one_pass(root, counted)
    assert sorted(counted["reviews"]) == sorted(ids)  # rendered every time, and still right
    assert counted["listings"] == []


def test_a_review_template_reading_more_of_the_site_is_kept_while_that_stays_the_same(project, counted, templates):
    root, ids = project
    edit(templates / "trainer.md.j2", "{% import", "{{ site.held_back|length }} held back\n{% import")
    one_pass(root, counted)
    one_pass(root, counted)
    assert counted["reviews"] == []
    edit(root / "briefings" / f"{ids[1]}.yml", "\nstatus: published", "\nstatus: draft")
    one_pass(root, counted)
    assert sorted(counted["reviews"]) == sorted(set(ids) - {ids[1]})  # the count changed on every page


def test_a_review_renders_again_when_its_pdf_or_its_learning_events_change(project, counted):
    root, ids = project
    pdfs = {i: PdfFile(i, f"reviews/{i}/{i}-seven-minute-briefing.pdf", Path(f"/cache/{i}.pdf"), 100_000, 2)
            for i in ids}
    one_pass(root, counted, pdfs=pdfs)
    moved = {**pdfs, ids[2]: dataclasses.replace(pdfs[ids[2]], source=Path("/elsewhere.pdf"))}
    one_pass(root, counted, pdfs=moved)
    assert counted["reviews"] == []  # where the cached copy lies shows on no page
    bigger = {**pdfs, ids[2]: dataclasses.replace(pdfs[ids[2]], size=900_000)}
    one_pass(root, counted, pdfs=bigger)
    assert counted["reviews"] == [ids[2]]
    (root / "briefings" / "_events.yml").write_text(
        "events:\n  - date: 2024-02\n    title: Learning circle\n    format: learning circle\n"
        f"    audience: Social workers\n    reviews:\n      - id: {ids[5]}\n", encoding="utf-8")
    pages = {page.path: page.content for page in one_pass(root, counted, pdfs=bigger)}
    assert counted["reviews"] == [ids[5]]
    assert "Learning circle" in pages[f"reviews/{ids[5]}/index.md"]


def first_path(entry):
    return json.loads(entry.read_bytes().partition(b"\n")[0])[0][0]


@pytest.mark.parametrize("damage", [lambda data: b"", lambda data: data[:len(data) // 2], lambda data: data[:-1],
                                    lambda data: data.replace(b"\n", b"\r\n"), lambda data: b'["ab", "cd"]\n',
                                    lambda data: b"\xff\xfe" + data])
def test_an_entry_that_cannot_be_read_whole_is_rendered_again_and_replaced(project, counted, damage):
    root, ids = project
    one_pass(root, counted)
    folder = root / render_cache.FOLDER
    entry = next(e for e in folder.glob(f"*{render_cache.SUFFIX}") if first_path(e) == f"reviews/{ids[4]}/index.md")
    whole = entry.read_bytes()
    entry.write_bytes(damage(whole))
    one_pass(root, counted)
    assert counted["reviews"] == [ids[4]]
    assert entry.read_bytes() == whole
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # nothing left half written


def test_serve_keeps_the_last_pass_in_memory_and_on_disk_for_the_next_build(project, counted):
    root, ids = project
    serve = RenderCache(root / render_cache.FOLDER, keep_in_memory=True)
    one_pass(root, counted, cache=serve)
    shutil.rmtree(root / render_cache.FOLDER)
    one_pass(root, counted, cache=serve)
    assert counted["reviews"] == []  # from memory
    edit(root / "briefings" / f"{ids[0]}.yml", "\nbackground: ", "\nbackground: Revised. ")
    one_pass(root, counted, cache=serve)
    assert counted["reviews"] == [ids[0]]
    assert len(serve.memory) == len(serve.used)  # the entries of the last pass only
    one_pass(root, counted)  # a build after serve
    assert sorted(counted["reviews"]) == sorted(set(ids) - {ids[0]})  # what serve kept on disk: the edited review


def test_unused_entries_go_after_an_hour_and_used_ones_stay(project, counted):
    root, ids = project
    one_pass(root, counted)
    folder = root / render_cache.FOLDER
    used = sorted(folder.glob(f"*{render_cache.SUFFIX}"))
    stale, recent = (folder / f"{digit * 64}{render_cache.SUFFIX}" for digit in "01")
    leftover = folder / f".{'2' * 64}.123"
    for path in (stale, recent, leftover):
        path.write_text("[]")
    hours_ago = time.time() - 2 * render_cache.KEEP_SECONDS
    for path in (stale, leftover, *used):
        os.utime(path, (hours_ago, hours_ago))
    one_pass(root, counted)
    assert not stale.exists() and not leftover.exists()
    assert recent.exists() and all(path.exists() for path in used)


def test_a_digest_follows_content_not_objects():
    digests = Digests()
    site = load_site(Path(__file__).resolve().parents[2]).site
    review = site.reviews[0]
    again = dataclasses.replace(review)  # another object, the same fields
    assert again is not review and digests.of((again,)) == digests.of((review,))
    assert digests.of((dataclasses.replace(review, summary=review.summary + "!"),)) != digests.of((review,))
    assert digests.of(("a", 1)) != digests.of(("a", "1")) != digests.of((("a", 1),))
    assert digests.of({"a": 1, "b": 2}) != digests.of({"b": 2, "a": 1})  # a template shows them in order
    held = ["data"]
    with pytest.raises(Unkeyable):
        digests.of(lambda: held)
    with pytest.raises(Unkeyable):
        digests.of(iter([1]))


def test_a_review_paired_with_one_of_its_findings_is_keyed_by_the_review_and_the_findings_place():
    digests = Digests()
    site = load_site(Path(__file__).resolve().parents[2]).site
    review = next(r for r in site.reviews if len(r.findings) > 1)
    pair = (review, review.findings[1])
    assert digests.of([pair]) == Digests().of([(dataclasses.replace(review), dataclasses.replace(review).findings[1])])
    assert digests.of([pair]) != digests.of([(review, review.findings[0])])
    edited = dataclasses.replace(review.findings[1], summary=review.findings[1].summary + " More.")
    changed = dataclasses.replace(review, findings=(review.findings[0], edited, *review.findings[2:]))
    assert digests.of([(changed, changed.findings[1])]) != digests.of([pair])  # its review's digest changed
    stranger = dataclasses.replace(review.findings[1])  # equal to one of its findings, but not one of them
    assert Digests().of([(review, dataclasses.replace(stranger))]) == digests.of([(review, stranger)])  # by content
    assert digests.of([(review, edited)]) != digests.of([pair])  # digested field by field, as any pair


def test_the_open_data_record_is_made_from_the_review_and_the_settings_alone():
    site = load_site(Path(__file__).resolve().parents[2]).site
    review = site.reviews[0]
    alone = Site(settings=site.settings, reviews=(review,), themes=(), glossary=())
    assert open_data.review_record_file(alone, review) == open_data.review_record_file(site, review)
