"""Work shared between processes on a large site. The build machine has 2 cores and MkDocs uses
one, so the generator's own stages use both while they run: each worker is a fork of the build,
so it starts at once with the site, the templates and the imports already in memory."""
from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

WORKERS = min(2, os.cpu_count() or 1)
# Below this many review files one process is quicker: starting workers and sending results back
# costs about a tenth of a second.
PARALLEL_FROM = 200


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


def chunks(items: list, parts: int) -> list[list]:
    """items cut into `parts` runs of nearly equal length, in order: joined, they are items again."""
    n = len(items)
    return [items[k * n // parts:(k + 1) * n // parts] for k in range(parts)]
