"""Work shared between processes on a large site. The build machine has 2 cores and MkDocs uses
one, so the generator's own stages use both while they run: each worker is a fork of the build,
so it starts at once with the site, the templates and the imports already in memory."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

WORKERS = min(2, os.cpu_count() or 1)
# Below this many review files one process is quicker: starting workers and sending results back
# costs about a tenth of a second.
PARALLEL_FROM = 200


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """Workers that are forks of this process (spawn would import everything again)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def chunks(items: list, parts: int) -> list[list]:
    """items cut into `parts` runs of nearly equal length, in order: joined, they are items again."""
    n = len(items)
    return [items[k * n // parts:(k + 1) * n // parts] for k in range(parts)]
