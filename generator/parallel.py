"""Work shared between processes on a large site. The build machine has 2 cores and MkDocs uses
one, so the generator's own stages use both while they run: each worker is a fork of the build,
so it starts at once with the site, the templates and the imports already in memory."""
from __future__ import annotations

import gc
import multiprocessing
import os
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
    except BaseException:
        _take_all()  # the workers stop at their next item
        raise
    finally:
        try:
            done += [pair for part in taken() for pair in part]
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
    pool = ProcessPoolExecutor(max_workers=len(parts), mp_context=multiprocessing.get_context("fork"))
    try:
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
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)
