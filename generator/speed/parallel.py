"""Work shared between processes on a large site. The build machine has 2 cores and MkDocs uses
one, so the generator's own stages use both while they run: each worker is a fork of the build,
so it starts at once with the site, the templates and the imports already in memory."""
from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, TypeVar

T = TypeVar("T")
F = TypeVar("F")

WORKERS = min(2, os.cpu_count() or 1)
# Below this many review files one process is quicker: starting workers and sending results back
# costs about a tenth of a second.
PARALLEL_FROM = 200


def shared(count: int, work: Callable[[int], T], first: Callable[[], F] = lambda: None) -> tuple[F, list[T]]:
    """work(i) for every i in range(count), on every core: the workers (forks of this process)
    take items from the start while this process does first() and then takes items from the end,
    until they meet. So the two halves end together however long first() or any item takes, and
    the results are in order. Returns first()'s result and the items' results."""
    if WORKERS < 2 or count < PARALLEL_FROM:
        return first(), [work(i) for i in range(count)]
    context = multiprocessing.get_context("fork")
    _SHARED.update(work=work, bounds=context.Array("q", [0, count]))  # a fork inherits them
    taken, done = in_forks(_from_start, [None] * (WORKERS - 1)), []
    try:
        before = first()
        done += _done(from_start=False)
        done += [pair for part in taken() for pair in part]
    except BaseException:  # a failed item or a stop, here or in a worker
        _take_all()  # the workers stop at their next item
        with contextlib.suppress(Exception):  # a worker's failure is the one raised, or comes after it
            taken()  # and end
        raise
    finally:
        _SHARED.clear()
    results: list = [None] * count
    for i, result in done:
        results[i] = result
    if len(done) != count:  # each index is taken once, so this means a worker stopped without saying so
        raise RuntimeError(f"{count} items were to be done and {len(done)} were")
    return before, results


# What the workers of shared() do, and the next item at each end: set before they fork.
_SHARED: dict = {}


def _take(from_start: bool) -> int | None:
    bounds = _SHARED["bounds"]
    with bounds.get_lock():
        start, end = bounds[0], bounds[1]
        if start >= end:
            return None
        if from_start:
            bounds[0] = start + 1
            return start
        bounds[1] = end - 1
        return end - 1


def _done(from_start: bool) -> list[tuple[int, object]]:
    """Take items from one end and do them until none is left: (index, result) for each."""
    work, done = _SHARED["work"], []
    while (i := _take(from_start)) is not None:
        done.append((i, work(i)))
    return done


def _from_start(_) -> list[tuple[int, object]]:
    return _done(from_start=True)


def _take_all() -> None:
    bounds = _SHARED["bounds"]
    with bounds.get_lock():
        bounds[0] = bounds[1]


def in_forks(function: Callable, parts: list) -> Callable[[], list]:
    """Start function(part) for each part in a fork of this process; return what waits for the
    results, in the order of the parts. The objects already made are frozen while the workers
    fork, so that their garbage collector leaves them alone and does not copy the memory they
    share with this process (the whole site, at 5,000 reviews)."""
    gc.freeze()
    pool = ProcessPoolExecutor(max_workers=len(parts), mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with, initargs=(os.getpid(),))
    try:
        with signals_held():
            futures = [pool.submit(function, part) for part in parts]  # the workers fork here
    finally:
        gc.unfreeze()

    def results() -> list:
        try:
            return [future.result() for future in futures]
        finally:
            pool.shutdown()
    return results


def lean_pool(workers: int, preload: list[str]) -> ProcessPoolExecutor:
    """Workers that start small: forks of a server process that has imported only `preload`,
    not of the build, which holds the whole site (1 GB at 5,000 reviews)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    # The server ends once this process and all its workers have (each holds its pipe open), so
    # the workers watch this process: see die_with.
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=die_with,
                               initargs=(os.getpid(),))


def lean_map(function: Callable, workers: int, preload: list[str], *items: list) -> list:
    """function over the items, as map() does, on a lean pool (see lean_pool): the results in
    order. A failed item, Ctrl-C or SIGTERM drops the items not yet begun."""
    pool = lean_pool(workers, preload)
    try:
        with signals_held():
            results = pool.map(function, *items)  # the workers start here
        results = list(results)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()
    return results


# Raised by a handler (the build's, or Python's for Ctrl-C) while a pool starts a worker, these
# would leave the worker started but not yet counted by its pool. That worker could then take the
# pool's word to stop that was meant for a counted one, which would wait for ever, and the build
# with it. So they wait until the pool has started its workers, and come then.
HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextlib.contextmanager
def signals_held():
    """Ctrl-C, SIGTERM and SIGHUP wait until the block ends (see HELD), then come as they would
    have. Their handlers only note them meanwhile: Python runs a handler in the main thread
    whichever thread the kernel chose (a mask would hold a signal from one thread only)."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread sets handlers
        yield
        return
    came: list[int] = []
    before = {signum: signal.signal(signum, lambda signum, _frame: came.append(signum)) for signum in HELD}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(came):
            signal.raise_signal(signum)  # now, to the handler the build had


# Linux's prctl(PR_SET_PDEATHSIG): the kernel sends the signal to this process when its parent
# ends, even by SIGKILL, which no handler in the parent could pass on.
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with(build: int) -> None:
    """Run first in every worker of a build (a pool's initializer), so that none outlives a
    killed build: a 90 MB worker would otherwise go on alone for minutes. The build stops its workers itself on Ctrl-C or SIGTERM,
    so they leave both to it."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the build handles it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's handler, inherited by a fork,
    signal.signal(signal.SIGHUP, signal.SIG_DFL)   # nor signals_held's
    if os.getppid() != build:
        # A fork of the forkserver, whose death the kernel would report: but the server lives
        # as long as its workers do, so the worker watches the build itself. (Also when the
        # build ended before prctl above: then the parent is no longer the build.)
        threading.Thread(target=_exit_when_ended, args=(build,), daemon=True).start()


def ends_with_this_process() -> Callable[[], None]:
    """A preexec_fn for subprocess: the program it starts is killed when this process ends."""
    build = os.getpid()
    # looked up here, not in the child: a child forked from one of several threads must take no
    # lock another thread may have held (the first lookup of a C function takes the loader's)
    prctl = _LIBC.prctl if _LIBC is not None else None

    def preexec() -> None:  # runs in the child, between fork and exec
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != build:  # the build ended before prctl: do not start the program
            os._exit(1)
    return preexec


def _exit_when_ended(pid: int) -> None:
    try:
        handle = os.pidfd_open(pid)  # readable once the process has ended (Linux 5.3)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd: look twice a second
        while running(pid):
            time.sleep(0.5)
        os._exit(1)
    select.select([handle], [], [])
    os._exit(1)


def running(pid: int) -> bool:
    """Whether process pid is alive: not ended, and not ended awaiting its parent (a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel, which cannot tell a zombie
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
