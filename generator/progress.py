"""Progress of a long build, in lines an officer can follow (also in `git push` output).

Stages are numbered as they start: "[2/3] Building the site with MkDocs".
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Progress:
    stages: int  # how many stages the run will announce
    stream: TextIO = field(default_factory=lambda: sys.stdout)
    _stage: int = 0

    def stage(self, name: str) -> None:
        """Announce the next stage, e.g. progress.stage("Checking 10 review files")."""
        self._stage += 1
        print(f"[{self._stage}/{self.stages}] {name}", file=self.stream, flush=True)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
