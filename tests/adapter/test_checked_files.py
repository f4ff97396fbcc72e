"""Checked review files kept in .cache/checked/ (adapter/checked_files.py): a check or build in a
new process, or in a fresh checkout where every file's time is new, checks again only the files
whose bytes changed, and reports exactly what a check from nothing reports.

Each run below starts a new DocumentCache, as a new process does, so nothing comes from memory."""
import datetime as dt
import os
import pickle
import time

import pytest

from generator import site as pipeline
from generator.adapter.checked_files import SUFFIX, CheckedStore, DocumentCache
from generator.check.privacy import add_to_denylist
from generator.dev import corpus
from generator.site import load_site

SIZE = 12  # below the 200 files from which a worker shares the checks (its calls are not counted here)


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The display name of every file whose checks run, in the order they run."""
    names: list[str] = []
    original = pipeline.FileChecks.review

    def review(self, path, display, data=None):
        names.append(display)
        return original(self, path, display, data)
    monkeypatch.setattr(pipeline.FileChecks, "review", review)
    return names


@pytest.fixture
def made(tmp_path):
    return corpus.make(SIZE, tmp_path)


def run(root, **kwargs):
    """One `check` or build in a new process: its checked files come from .cache/checked/ alone."""
    result = load_site(root, cache=DocumentCache(CheckedStore.under(root)), **kwargs)
    return result


def review_path(made, n: int):
    return made.root / "briefings" / f"{made.ids[n]}.yml"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def entries(root) -> list:
    return sorted((root / ".cache" / "checked").glob(f"*{SUFFIX}"))


def test_a_second_run_checks_no_file_again_even_with_every_file_s_time_new(made, checked):
    first = run(made.root)
    assert len(checked) == SIZE and len(entries(made.root)) == SIZE
    for path in (made.root / "briefings").iterdir():  # as a fresh checkout: same bytes, new times
        os.utime(path, (time.time() + 60, time.time() + 60))
    checked.clear()
    second = run(made.root)
    assert checked == []
    assert second.problems == first.problems and second.site == first.site


def test_an_edited_file_is_checked_again_and_its_new_problem_reported(made, checked):
    run(made.root)
    checked.clear()
    path = review_path(made, 3)
    edit(path, "\ntype: ", "\ntype: nonsense-")
    result = run(made.root)
    assert checked == [f"briefings/{path.name}"]
    assert [(p.file, p.field) for p in result.problems] == [(f"briefings/{path.name}", "type")]
    checked.clear()
    assert run(made.root).problems == result.problems  # a file with an error is not kept: checked again
    assert checked == [f"briefings/{path.name}"]


def test_a_file_refused_by_the_privacy_check_leaves_no_text_in_the_cache(made):
    edit(review_path(made, 2), "\nbackground: ", "\nbackground: Zebedee Quartermaine was seen. ")
    add_to_denylist(made.root / "briefings", "Zebedee Quartermaine")
    result = run(made.root)
    assert any("denylist" in p.message for p in result.problems)
    assert len(entries(made.root)) == SIZE - 1
    assert not any(b"Quartermaine" in path.read_bytes() for path in entries(made.root))


@pytest.mark.parametrize("change", ["theme name", "denylist file", "denylist variable", "size limit"])
def test_a_change_to_what_every_file_is_checked_against_checks_every_file_again(made, checked, monkeypatch, change):
    run(made.root)
    checked.clear()
    briefings = made.root / "briefings"
    if change == "theme name":
        edit(briefings / "_themes.yml", "name: Neglect\n", "name: Neglect of a child\n")
    elif change == "denylist file":
        add_to_denylist(briefings, "Zebedee Quartermaine")
    elif change == "denylist variable":
        monkeypatch.setenv("BRIEFINGS_DENYLIST", "Zebedee Quartermaine")
    else:
        edit(briefings / "_site.yml", "\nmax_file_kb: 1000", "\nmax_file_kb: 900")
    run(made.root)
    assert len(checked) == SIZE


def test_today_is_not_in_the_key_but_still_decides_what_is_held_back(made, checked):
    published = run(made.root)
    assert published.site.reviews and not published.site.held_back
    checked.clear()
    long_ago = run(made.root, today=dt.date(2001, 1, 1))  # every review's publication date is later
    assert checked == []
    assert long_ago.site.reviews == () and len(long_ago.site.held_back) == SIZE


def test_a_corrupt_or_foreign_entry_is_a_miss_and_the_file_is_checked_again(made, checked):
    fresh = load_site(made.root)  # no cache at all
    run(made.root)
    kept = entries(made.root)
    kept[0].write_bytes(b"not a pickle")
    kept[1].write_bytes(kept[1].read_bytes()[:40])  # cut short, as by a full disk
    kept[2].write_bytes(pickle.dumps(("another key", None, [])))  # a whole entry, under the wrong name
    kept[3].write_bytes(pickle.dumps((kept[3].stem, "not a document", [])))
    checked.clear()
    result = run(made.root)
    assert len(checked) == 4
    assert result.problems == fresh.problems and result.site == fresh.site


def test_problems_and_documents_from_the_cache_are_those_of_a_fresh_check(made):
    # a warning found within one file, kept with its entry: the file's name does not match its id
    path = review_path(made, 5)
    edit(path, f"id: {made.ids[5]}\n", "id: renamed-2024\n")
    fresh = load_site(made.root)
    assert any(p.file == f"briefings/{path.name}" and p.field == "id" for p in fresh.problems)
    run(made.root)
    assert len(entries(made.root)) == SIZE  # the warning does not stop it being kept
    cached = run(made.root)
    assert cached.problems == fresh.problems
    assert cached.site == fresh.site


def test_a_link_is_refused_every_time_not_taken_from_the_cache(made, checked):
    link = made.root / "briefings" / "linked-2024.yml"
    link.symlink_to(review_path(made, 0))
    first = run(made.root)
    checked.clear()
    second = run(made.root)
    assert checked == ["briefings/linked-2024.yml"]
    assert [p for p in second.problems if p.file == "briefings/linked-2024.yml"] == [
        p for p in first.problems if p.file == "briefings/linked-2024.yml"] != []


def test_entries_unused_for_an_hour_go_and_a_write_leaves_nothing_half_written(tmp_path):
    store = CheckedStore(tmp_path / "checked")
    store.keep("used", (None, []))
    store.keep("recent", (None, []))
    store.keep("old", (None, []))
    leftover = store.folder / ".killed.12345"  # what a killed build left
    leftover.write_bytes(b"half")
    an_hour_ago = time.time() - 3700
    for name in ("used" + SUFFIX, "old" + SUFFIX, leftover.name):
        os.utime(store.folder / name, (an_hour_ago, an_hour_ago))
    store.prune({"used"})
    assert sorted(p.name for p in store.folder.iterdir()) == ["recent" + SUFFIX, "used" + SUFFIX]
    assert store.find("used") == (None, [])


def test_a_store_that_cannot_be_written_only_makes_the_run_slower(made, checked):
    (made.root / ".cache").write_text("a file where the folder would be")
    first = run(made.root)
    assert first.ok and len(checked) == SIZE
    checked.clear()
    run(made.root)
    assert len(checked) == SIZE


def test_the_same_bytes_under_another_name_are_checked_under_that_name(made, checked):
    run(made.root)
    copy = made.root / "briefings" / "copied-2024.yml"
    copy.write_bytes(review_path(made, 1).read_bytes())
    checked.clear()
    result = run(made.root)
    assert checked == ["briefings/copied-2024.yml"]  # its problems name it: another key
    assert result.problems == load_site(made.root).problems
    assert {p.file for p in result.problems} == {"briefings/copied-2024.yml"}
