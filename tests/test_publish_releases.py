"""The served folder of self-hosted publishing: numbered releases, `current` and `previous` links
switched by rename, pruning, and no build left behind that shows a review taken off the site."""
import importlib.util
import os
import sys

import pytest

from conftest import REPO

spec = importlib.util.spec_from_file_location("publish", REPO / "publishing" / "publish.py")
publish = sys.modules["publish"] = importlib.util.module_from_spec(spec)  # a script, not a package
spec.loader.exec_module(publish)

A, B, C = "a" * 40, "b" * 40, "c" * 40


def release(served, commit: str, reviews=("child-z-2024",)):
    path = served.next_release(commit)
    for review in reviews:
        (path / "reviews" / review).mkdir(parents=True)
        (path / "reviews" / review / "index.html").write_text(review)
    return path


@pytest.fixture
def served(tmp_path):
    return publish.Served(tmp_path / "www")


def test_releases_are_numbered_and_links_are_relative(served):
    first = release(served, A)
    second = release(served, B)
    assert [first.name, second.name] == [f"0001-{A}", f"0002-{B}"]
    served.switch(first)
    served.switch(second)
    assert os.readlink(served.root / "current") == f"releases/0002-{B}"
    assert os.readlink(served.root / "previous") == f"releases/0001-{A}"
    assert served.release_for(A) == first


def test_only_current_and_previous_are_kept_and_newer_builds_are_left_alone(served):
    first, second, third = release(served, A), release(served, B), release(served, C)
    pending = release(served, A)  # built by a push whose post-receive has not run yet
    for r in (first, second, third):
        served.switch(r)
    assert [p.name for p in served.all_releases()] == [second.name, third.name, pending.name]


def test_an_interrupted_build_is_never_served_and_is_cleared_later(served):
    served.switch(release(served, A))
    leftover = served.releases / f".0002-{B}.new-x1y2"
    (leftover / "reviews").mkdir(parents=True)
    assert served.all_releases() == [served.linked("current")]
    served.switch(release(served, C))
    assert not leftover.exists()


def test_taking_a_review_off_deletes_every_build_that_shows_it(served):
    served.switch(release(served, A, reviews=("child-z-2024", "child-w-2024")))
    taken_off = served.switch(release(served, B, reviews=("child-z-2024",)))
    assert taken_off == ["child-w-2024"]
    assert [p.name for p in served.all_releases()] == [f"0002-{B}"]
    assert not (served.root / "previous").exists()
    with pytest.raises(publish.PublishError, match="there is no earlier build to go back to"):
        served.rollback()


def test_rolling_back_past_a_new_review_deletes_the_build_that_shows_it(served):
    served.switch(release(served, A))
    served.switch(release(served, B, reviews=("child-z-2024", "child-n-2025")))
    back_to, taken_off = served.rollback()
    assert back_to.name == f"0001-{A}" and taken_off == ["child-n-2025"]
    assert list(served.root.rglob("child-n-2025")) == []


def test_read_updates_reads_gits_lines():
    updates = publish.read_updates(iter([f"{A} {B} refs/heads/main\n", "\n", f"{B} {publish.ZERO} refs/heads/x\n"]))
    assert updates[0] == publish.RefUpdate(A, B, "refs/heads/main") and not updates[0].deletes
    assert updates[1].deletes
