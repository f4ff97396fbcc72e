"""The served folder of self-hosted publishing: numbered releases, `current` and `previous` links
switched by rename, pruning, and no build left behind that shows a review taken off the site."""
import importlib.util
import json
import os
import time
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "publishing"))  # publish.py imports publish_sandbox from beside it
spec = importlib.util.spec_from_file_location("publish", REPO / "publishing" / "publish.py")
publish = sys.modules["publish"] = importlib.util.module_from_spec(spec)  # a script, not a package
spec.loader.exec_module(publish)

A, B, C = "a" * 40, "b" * 40, "c" * 40


def release(served, commit: str, reviews=("child-z-2024",), denylist="d1"):
    path = served.next_release(commit)
    for review in reviews:
        (path / "reviews" / review).mkdir(parents=True)
        (path / "reviews" / review / "index.html").write_text(review)
    path.with_name(path.name + ".json").write_text(json.dumps({"commit": commit, "denylist": denylist}))
    return path


def pending(served, commit: str, owner: str) -> Path:
    path = served.releases / f".pending-{commit}-{owner}"
    (path / "reviews" / "child-z-2024").mkdir(parents=True)
    path.with_name(path.name + ".json").write_text("{}")
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
    assert not first.exists() and not first.with_name(first.name + ".json").exists()  # renamed away at once
    deadline = time.monotonic() + 30
    while any(p.name.startswith(publish.DELETING) for p in served.releases.iterdir()):  # and deleted beside
        assert time.monotonic() < deadline, "the old build was never deleted"
        time.sleep(0.05)


def test_an_interrupted_build_is_never_served_and_is_cleared_later(served):
    served.switch(release(served, A))
    dead = publish.owner_token(ended_process())
    leftover = served.releases / f".build-{B}-{dead}-x1y2"
    (leftover / "out" / "site" / "reviews").mkdir(parents=True)
    assert served.all_releases() == [served.linked("current")]
    served.switch(release(served, C))
    served.sweep(C)
    assert not leftover.exists()


def ended_process() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_build_git_never_accepted_is_deleted_once_its_push_has_ended(served):
    """A pending build is kept while its push runs (git may yet accept it) or while its commit is
    the branch's newest; otherwise it can never be served, so it goes."""
    served.switch(release(served, A))
    alive, dead = publish.owner_token(os.getpid()), publish.owner_token(ended_process())
    in_flight, rejected, accepted = pending(served, B, alive), pending(served, C, dead), pending(served, A, dead)
    assert served.all_releases() == [served.linked("current")]  # never a candidate for rollback
    served.sweep(tip=A)
    assert in_flight.exists() and accepted.exists()
    assert not rejected.exists() and not rejected.with_name(rejected.name + ".json").exists()
    promoted = served.promote(accepted)
    assert promoted.name == f"0002-{A}" and publish.read_manifest(promoted) == {}


def test_an_owner_token_does_not_match_a_reused_pid():
    token = publish.owner_token(os.getpid())
    assert publish.owner_alive(token)
    pid, start = token.split(".")
    assert not publish.owner_alive(f"{pid}.{int(start) + 1}")
    assert not publish.owner_alive(publish.owner_token(ended_process()))


def test_a_changed_denylist_deletes_the_builds_made_with_the_old_one(served):
    """A redaction: the name is removed and denylisted, so no earlier build may keep it."""
    served.switch(release(served, A, denylist="d1"))
    served.switch(release(served, B, denylist="d2"))
    assert [p.name for p in served.all_releases()] == [f"0002-{B}"]
    assert not (served.root / "previous").exists()
    assert sorted(p.name for p in served.releases.iterdir()) == [f"0002-{B}", f"0002-{B}.json"]


def test_what_a_push_may_change():
    assert publish.is_content("briefings/child-z-2024.yml") and publish.is_content("docs/about/index.md")
    for path in ("mkdocs.yml", "generator/cli.py", "theme/main.html", "docs/assets/x.js", "publishing/hook",
                 "requirements.txt", "pyproject.toml"):
        assert publish.server_owned(path), path
    assert not publish.server_owned("README.md") and not publish.server_owned("docs/about/index.md")
    assert publish.blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"  # git hash-object


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


# -- the caches kept beside the releases ------------------------------------------------------

def cache_entry(cache: Path, folder: str, name: str, data: bytes) -> Path:
    (cache / folder).mkdir(parents=True, exist_ok=True)
    (cache / folder / name).write_bytes(data)
    return cache / folder / name


def test_a_build_works_on_its_own_copy_of_the_caches_and_they_are_taken_only_when_it_is_served(served, tmp_path):
    live = cache_entry(served.cache, "pdf", "old.pdf", b"old")
    copy = tmp_path / "copy"
    publish.copy_caches(served.cache, copy)
    (copy / "pdf" / "new.pdf").write_bytes(b"new")  # what the build adds, written beside and renamed in
    (copy / "pdf" / "old.pdf").unlink()  # and what it prunes
    assert live.read_bytes() == b"old" and not (served.cache / "pdf" / "new.pdf").exists()
    build = pending(served, A, publish.owner_token(os.getpid()))
    served.pending_caches.mkdir()
    copy.rename(served.pending_caches / build.name)
    served.promote(build)
    assert sorted(p.name for p in (served.cache / "pdf").iterdir()) == ["new.pdf"]
    assert list(served.pending_caches.iterdir()) == []
    [replaced] = served.root.glob(".cache.old-*")  # deleted after the switch, not before it
    assert (replaced / "pdf" / "old.pdf").read_bytes() == b"old"
    served.sweep(A)
    assert list(served.root.glob(".cache.old-*")) == []


def test_the_caches_of_a_build_that_is_never_served_go_with_it(served):
    cache_entry(served.cache, "pdf", "old.pdf", b"old")
    build = pending(served, A, "1.0")  # its push has ended: no such process
    cache_entry(served.pending_caches / build.name, "pdf", "new.pdf", b"new")
    served.sweep(B)
    assert not build.exists() and list(served.pending_caches.iterdir()) == []
    assert sorted(p.name for p in (served.cache / "pdf").iterdir()) == ["old.pdf"]


def test_taking_a_review_off_keeps_only_the_cached_pdfs_the_site_still_serves(served):
    kept = release(served, A, reviews=("child-z-2024", "child-w-2024"))
    (kept / "reviews" / "child-z-2024" / "z.pdf").write_bytes(b"%PDF z")
    served.switch(kept)
    for name, data in (("k1.pdf", b"%PDF z"), ("k2.pdf", b"%PDF w"), ("k3.pdf", b"%PDF y")):
        cache_entry(served.cache, "pdf", name, data)
        cache_entry(served.cache, "pdf", name.replace(".pdf", ".json"), b'{"pages": 1}')
    cache_entry(served.cache, "gate", "verdicts-x.json", b"{}")
    cache_entry(served.cache, "gate", "sentences-x.bin", b"\1\0\0\0\0\0\0\0 child-w's")  # hashes a guess could match
    cache_entry(served.cache, "pages", "w.html", b"child-w-2024's text")
    cache_entry(served.cache, "checked", "w.pickle", b"child-w-2024's checked document")
    later = release(served, B, reviews=("child-z-2024",))
    (later / "reviews" / "child-z-2024" / "z.pdf").write_bytes(b"%PDF z")
    assert served.switch(later) == ["child-w-2024"]
    left = sorted(p.relative_to(served.cache).as_posix() for p in served.cache.rglob("*") if p.is_file())
    assert left == ["gate/verdicts-x.json", "pdf/k1.json", "pdf/k1.pdf"]


def test_taking_a_review_off_keeps_the_cached_pages_the_site_serves_so_the_next_build_is_not_cold(served):
    served.switch(release(served, A, reviews=("child-z-2024", "child-w-2024")))
    later = release(served, B, reviews=("child-z-2024",))
    page = later / "reviews" / "child-z-2024" / "index.html"
    page.write_bytes(b"<html>child-z-2024</html>")
    linked = served.cache / "pages" / "k-linked.html"
    linked.parent.mkdir(parents=True)
    os.link(page, linked)  # as a build places a kept page
    cache_entry(served.cache, "pages", "k-copied.html", b"<html>child-z-2024</html>")  # the same bytes
    cache_entry(served.cache, "pages", "k-gone.html", b"<html>child-w-2024</html>")
    cache_entry(served.cache, "pages", "links-f.json", b'{"x": ["reviews/child-w-2024/x.pdf"]}')
    cache_entry(served.cache, "slides", "s1.pptx", b"PK child-w-2024")
    cache_entry(served.cache, "slides", "s1.json", b'{"slides": 7}')
    assert served.switch(later) == ["child-w-2024"]
    left = sorted(p.relative_to(served.cache).as_posix() for p in served.cache.rglob("*") if p.is_file())
    assert left == ["pages/k-copied.html", "pages/k-linked.html"]


def test_caches_that_vanish_while_copied_give_an_empty_copy_not_a_half_one(served, tmp_path, monkeypatch):
    cache_entry(served.cache, "pdf", "a.pdf", b"a")
    cache_entry(served.cache, "pdf", "a.json", b"{}")
    real = os.link

    def link_then_vanish(source, target, **kw):  # another build is served meanwhile: its caches replace these
        real(source, target, **kw)
        raise FileNotFoundError(2, "No such file or directory", source)

    monkeypatch.setattr(publish.os, "link", link_then_vanish)
    publish.copy_caches(served.cache, tmp_path / "copy")
    assert list((tmp_path / "copy").iterdir()) == []
    monkeypatch.undo()
    publish.copy_caches(tmp_path / "none", tmp_path / "empty")
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_push_waits_its_turn_behind_the_build_of_another_then_stops_waiting(served, capsys):
    owner = publish.owner_token(os.getpid())  # a push still under way
    with served.build_turn(A, owner, wait=5) as first:
        assert first is not None
        with served.build_turn(B, owner, wait=0.5) as second:
            assert second is None  # the wait ran out: it is built beside the other
    told = capsys.readouterr().err
    assert f"Another push (commit {A[:7]}) is being built. This push waits its turn" in told
    assert "seconds: this push is checked now, beside the other one" in told
    with served.build_turn(C, owner, wait=0) as third:
        assert third is not None  # the first push's turn has ended


def test_a_killed_push_never_keeps_the_turn(served):
    served.root.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os, time\n"
                               f"fd = os.open({str(served.root / '.build-lock')!r}, os.O_RDWR | os.O_CREAT)\n"
                               "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(600)"],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    with served.build_turn(A, "1.0", wait=0) as turn:
        assert turn is None
    holder.kill()
    holder.wait()
    with served.build_turn(A, "1.0", wait=0) as turn:
        assert turn is not None
