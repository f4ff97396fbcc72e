"""On a large site the generator's stages use both cores: the result must be exactly what one
process makes, problems and pages in the same order."""
import gc
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import pytest

from generator.dev import corpus
from generator.speed import parallel
from generator.site import load_site
from generator.pages.site import render_site


def test_checking_and_rendering_in_workers_gives_what_one_process_gives(tmp_path, monkeypatch):
    made = corpus.make(9, tmp_path)
    for i, old, new in ((2, "\ntype: ", "\ntype: nonsense-"), (7, "\nsummary: ", "\nsummary: Call 07700 900123. ")):
        path = tmp_path / "briefings" / f"{made.ids[i]}.yml"
        path.write_text(path.read_text().replace(old, new, 1))
    monkeypatch.setattr(parallel, "WORKERS", 1)
    alone = load_site(tmp_path)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    shared = load_site(tmp_path)
    assert [str(p) for p in shared.problems] == [str(p) for p in alone.problems]
    assert {p.file for p in shared.problems} == {f"briefings/{made.ids[i]}.yml" for i in (2, 7)}

    (tmp_path / "briefings" / f"{made.ids[2]}.yml").unlink()
    (tmp_path / "briefings" / f"{made.ids[7]}.yml").unlink()
    site = load_site(tmp_path).site
    assert len(site.reviews) == 7
    in_workers = render_site(site)
    monkeypatch.setattr(parallel, "WORKERS", 1)
    assert render_site(site) == in_workers


def _pid_of(i: int) -> tuple[int, int]:
    time.sleep(0.01)  # long enough for both processes to take some
    return i, os.getpid()


def test_shared_work_meets_in_the_middle_and_keeps_the_order(monkeypatch):
    monkeypatch.setattr(parallel, "WORKERS", 2)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    taken = multiprocessing.get_context("fork").Value("i", 0)  # the worker is a fork: it counts here too

    def work(i: int) -> tuple[int, int]:
        with taken.get_lock():
            taken.value += 1
        return _pid_of(i)

    def first() -> str:  # slow, as the listing pages are: the worker goes on taking items meanwhile
        deadline = time.monotonic() + 20
        while taken.value < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        return "listings"

    before, results = parallel.shared(50, work, first)
    assert before == "listings"
    assert [i for i, _ in results] == list(range(50))
    by = {pid for _, pid in results}
    assert len(by) == 2 and os.getpid() in by  # both processes did some
    assert all(pid != os.getpid() for _, pid in results[:10])  # the worker took the first ones


class _FailsAtSeven:
    def __call__(self, i: int) -> int:
        if i == 7:
            raise ValueError("item 7")
        return i


def test_a_failure_in_shared_work_reaches_the_caller_and_leaves_nothing_behind(monkeypatch):
    monkeypatch.setattr(parallel, "WORKERS", 2)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    work = _FailsAtSeven()
    kept = weakref.ref(work)
    with pytest.raises(ValueError, match="item 7"):
        parallel.shared(40, work)
    del work
    gc.collect()
    assert kept() is None  # nothing of this build's work is held for the next one
    assert parallel.shared(40, lambda i: i * 2)[1] == [i * 2 for i in range(40)]


# --- a stop while a pool starts its workers ------------------------------------------------

class _Stopped(BaseException):
    pass


def _stop(signum, frame):
    raise _Stopped(signum)


def test_a_signal_while_the_pool_starts_its_workers_comes_once_they_are_started():
    """With another thread running too, which the kernel may choose to take the signal."""
    previous = signal.signal(signal.SIGTERM, _stop)
    other = threading.Thread(target=time.sleep, args=(1,))
    other.start()
    reached = False
    try:
        with pytest.raises(_Stopped):
            with parallel.signals_held():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)  # it would be raised here, were it not held
                reached = True
        assert reached
        assert signal.getsignal(signal.SIGTERM) is _stop  # the handler it had, again
    finally:
        signal.signal(signal.SIGTERM, previous)
        other.join()


STOPPED_WHILE_STARTING = """
import os, signal, sys, time, traceback
import multiprocessing.forkserver as forkserver
from generator.speed import parallel

class Stopped(BaseException):
    pass

def stop(signum, frame):
    raise Stopped()

signal.signal(signal.SIGTERM, stop)
read = forkserver.read_signed

def read_signed(fd):  # where the pool waits to hear the number of the worker just forked
    forkserver.read_signed = read
    os.kill(os.getpid(), signal.SIGTERM)
    return read(fd)

forkserver.read_signed = read_signed
try:
    parallel.lean_map(time.sleep, 2, ["generator.speed.parallel"], [0.2] * 6)
except Stopped:
    print("".join(traceback.format_exc()))
"""


def test_a_stop_while_a_pool_worker_starts_ends_the_pool_and_leaves_no_worker_unknown():
    """A SIGTERM at the moment the pool waits to learn a new worker's number (the moment a test or
    an officer, seeing the worker appear, stops the build): without holding it, the worker is
    forked but never counted by the pool, and it takes the word to stop meant for another, so
    the build waits for ever, or it fails to start and writes its own traceback."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    result = subprocess.run([sys.executable, "-c", STOPPED_WHILE_STARTING], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Stopped" in result.stdout
    assert "signals_held" in result.stdout and "_spawn_process" not in result.stdout, result.stdout
    assert "Traceback" not in result.stderr, result.stderr


def _handlers(_=None) -> list:
    return [signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]


def test_workers_leave_ctrl_c_to_the_build_and_end_on_sigterm_and_sighup():
    wanted = [signal.SIG_IGN, signal.SIG_DFL, signal.SIG_DFL]
    assert parallel.in_forks(_handlers, [None])() == [wanted]
    assert parallel.lean_map(_handlers, 1, [__name__], [None]) == [wanted]
