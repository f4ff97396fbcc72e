"""mkdocs serve: saving one review redoes only what depends on it."""
import os
import re

from generator.dev import corpus
from generator.adapter.serve_cache import Session
from generator.site import load_site
from generator.pages.site import render_site


def one_pass(session, root):
    session.documents.start_pass()
    result = load_site(root, cache=session.documents)
    assert result.site, [str(p) for p in result.problems]
    site = result.site
    return site, session.store.sync(render_site(site, cache=session.rendering(root)))


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_saving_one_review_reads_and_renders_only_that_review(tmp_path):
    made = corpus.make(12, tmp_path)
    session = Session()
    _, files = one_pass(session, tmp_path)
    assert session.documents.loaded == 12 and session.rendering(tmp_path).reviews_rendered == 12
    before = {path: file.stat().st_mtime_ns for path, file in files.items()}

    changed = made.ids[5]
    edit(tmp_path / "briefings" / f"{changed}.yml", "\nbackground: ", "\nbackground: Revised. ")
    site, files = one_pass(session, tmp_path)
    assert session.documents.loaded == 1 and session.rendering(tmp_path).reviews_rendered == 1
    rewritten = {path for path, file in files.items() if file.stat().st_mtime_ns != before[path]}
    # the background shows only on the review's own two pages
    assert rewritten == {f"reviews/{changed}/index.md", f"reviews/{changed}/learning-brief.md"}
    assert session.store.written == 2
    assert "Revised." in files[f"reviews/{changed}/index.md"].read_text()
    assert "Revised." in next(r for r in site.reviews if r.id == changed).background


def test_a_new_summary_reaches_the_listings_too(tmp_path):
    made = corpus.make(6, tmp_path)
    session = Session()
    one_pass(session, tmp_path)
    edit(tmp_path / "briefings" / f"{made.ids[2]}.yml", "\nsummary: ", "\nsummary: Revised. ")
    _, files = one_pass(session, tmp_path)
    assert "Revised." in files["index.md"].read_text()
    assert session.store.written >= 3  # the two review pages, the catalogue and its theme pages


def test_a_changed_vocabulary_checks_every_file_again_and_a_deleted_review_goes(tmp_path):
    made = corpus.make(4, tmp_path)
    session = Session()
    one_pass(session, tmp_path)
    themes = tmp_path / "briefings" / "_themes.yml"
    edit(themes, "name: Neglect\n", "name: Neglect of a child\n")
    (tmp_path / "briefings" / f"{made.ids[0]}.yml").unlink()
    site, files = one_pass(session, tmp_path)
    assert session.documents.loaded == 3 and session.rendering(tmp_path).reviews_rendered == 3
    assert len(site.reviews) == 3
    assert not any(made.ids[0] in path for path in files)
    assert not (session.store.folder / f"reviews/{made.ids[0]}/index.md").exists()


def test_a_mistake_saved_during_serve_is_reported_from_the_cache_as_well(tmp_path):
    made = corpus.make(3, tmp_path)
    session = Session()
    one_pass(session, tmp_path)
    path = tmp_path / "briefings" / f"{made.ids[1]}.yml"
    edit(path, "\ntype: ", "\ntype: nonsense-")
    session.documents.start_pass()
    first = load_site(tmp_path, cache=session.documents)
    second = load_site(tmp_path, cache=session.documents)  # nothing changed: from the cache
    assert session.documents.loaded == 1
    assert not first.ok and first.problems == second.problems
    assert any(p.field == "type" for p in second.problems)
    os.utime(path)  # same text, new time: read again, same answer
    assert load_site(tmp_path, cache=session.documents).problems == first.problems


def test_under_serve_the_hook_gives_mkdocs_files_that_change_only_when_their_text_does(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    made = corpus.make(3, tmp_path)
    corpus.make_buildable(tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=True)  # as mkdocs serve does once
    try:
        def files():
            fresh = load_config(str(tmp_path / "mkdocs.yml"))  # as serve does on every rebuild
            loaded = fresh.plugins.on_config(fresh)
            found = loaded.plugins.on_files(Files([]), config=loaded)
            return {f.src_uri: (os.stat(f.abs_src_path).st_mtime_ns, trainer_text(f)) for f in found}

        def trainer_text(file):
            return open(file.abs_src_path, encoding="utf-8").read() if file.src_uri.endswith("trainer.md") else None

        before = files()
        edit(tmp_path / "briefings" / f"{made.ids[0]}.yml", "\nbackground: ", "\nbackground: Revised. ")
        after = files()
        assert before.keys() == after.keys()
        # the PDF holds the background too; the trainer's page gives the PDF's size in KB, so it
        # changes only when that does
        trainer = f"reviews/{made.ids[0]}/trainer.md"
        assert {uri for uri in after if after[uri][0] != before[uri][0]} == {
            f"reviews/{made.ids[0]}/index.md", f"reviews/{made.ids[0]}/learning-brief.md",
            f"reviews/{made.ids[0]}/{made.ids[0]}-seven-minute-briefing.pdf",
            f"reviews/{made.ids[0]}/{made.ids[0]}-slides.pptx",  # the slides hold the background too
            *([trainer] if after[trainer][1] != before[trainer][1] else [])}
    finally:
        config.plugins.on_shutdown()


def test_kept_listing_pages_are_exactly_what_a_fresh_build_makes(tmp_path):
    """A regional site split into year pages and tracker pages: after edits to one review (its
    summary, a theme, its year) every page equals a build from nothing, yet most listings are kept."""
    made = corpus.make(30, tmp_path)
    settings = tmp_path / "briefings" / "_site.yml"
    settings.write_text(re.sub(r"(?m)^(home_page_reviews|tracker_page_items): \d+", lambda m: f"{m.group(1)}: 10",
                               settings.read_text()))
    session = Session()
    site, files = one_pass(session, tmp_path)
    review = next(r for r in site.reviews if r.id == made.ids[7])
    listings = session.rendering(tmp_path).listings_rendered
    assert listings > 40
    path = tmp_path / "briefings" / f"{made.ids[7]}.yml"
    edit(path, "\nsummary: ", "\nsummary: Revised. ")
    for step in range(3):
        if step == 1:  # one more theme, so one more theme page lists it
            extra = next(t.id for t in site.themes if t.id not in {x.id for x in review.themes})
            edit(path, "\nthemes:\n- ", f"\nthemes:\n- {extra}\n- ")
        if step == 2:  # another year, so other year pages
            path.write_text(re.sub(r"(?m)^  published: .*$", "  published: 2026-01", path.read_text()))
        site, files = one_pass(session, tmp_path)
        fresh = {page.path: page.content for page in render_site(site)}
        assert {path: file.read_text() for path, file in files.items()} == fresh
        assert 0 < session.rendering(tmp_path).listings_rendered < listings / 3
        review = next(r for r in site.reviews if r.id == made.ids[7])
    assert review.year == 2026 and extra in {t.id for t in review.themes}


def test_under_serve_a_save_with_problems_keeps_the_last_good_pages_and_lists_the_problems(tmp_path):
    import json

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    made = corpus.make(2, tmp_path)
    corpus.make_buildable(tmp_path)
    serve = load_config(str(tmp_path / "mkdocs.yml"))
    serve.plugins.on_startup(command="serve", dirty=True)
    try:
        def one_rebuild():
            fresh = load_config(str(tmp_path / "mkdocs.yml"))  # as serve does on every rebuild
            loaded = fresh.plugins.on_config(fresh)
            found = loaded.plugins.on_files(Files([]), config=loaded)
            return loaded, {f.src_uri: f.content_bytes for f in found}

        config, good = one_rebuild()
        assert config.extra["serving"] is True and json.loads(good["preview-problems.json"]) == []
        edit(tmp_path / "briefings" / f"{made.ids[1]}.yml", "\ntype: ", "\ntype: nonsense-")
        config, bad = one_rebuild()
        problems = json.loads(bad.pop("preview-problems.json"))
        assert len(problems) == 1 and problems[0].startswith(f"briefings/{made.ids[1]}.yml:")
        good.pop("preview-problems.json")
        assert bad == good  # every page as it was before the bad save
    finally:
        serve.plugins.on_shutdown()
