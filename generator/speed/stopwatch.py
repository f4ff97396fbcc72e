"""Time of each stage of the current build (wall clock and CPU), for the benchmark to read.

The MkDocs hook wraps its stages in `stage(...)`; nothing else depends on these figures.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # this process and the programs it ran (Pagefind's indexer)


TIMES: dict[str, Timing] = {}


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@contextmanager
def stage(name: str):
    wall, cpu = time.perf_counter(), _cpu()
    try:
        yield
    finally:
        TIMES[name] = Timing(time.perf_counter() - wall, _cpu() - cpu)
