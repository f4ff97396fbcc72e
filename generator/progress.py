"""Progress of a long build, in lines an officer can follow (also in `git push` output).

Stages are numbered as they start: "[2/3] Building the site with MkDocs". Counts such as
"PDFs done 12/40" rewrite one line on a terminal; in a log (CI, a git hook) they print at every
tenth, so a thousand reviews give ten lines, not a thousand.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Progress:
    stages: int  # how many stages the run will announce
    stream: TextIO = field(default_factory=lambda: sys.stdout)
    enabled: bool = True
    _stage: int = 0
    _last_tenth: dict[str, int] = field(default_factory=dict)

    def stage(self, name: str) -> None:
        """Announce the next stage, e.g. progress.stage("Checking 10 review files")."""
        self._stage += 1
        self._write(f"[{self._stage}/{self.stages}] {name}")

    def count(self, label: str, done: int, total: int) -> None:
        """Report how far a stage has gone, e.g. progress.count("PDFs done", 3, 10)."""
        if not self.enabled or total <= 0:
            return
        text = f"    {label} {done}/{total}"
        if self._is_terminal():
            end = "\n" if done >= total else ""
            self.stream.write(f"\r{text}{end}")
            self.stream.flush()
            return
        tenth = done * 10 // total
        if tenth > self._last_tenth.get(label, 0):
            self._last_tenth[label] = tenth
            self._write(text)

    def _write(self, line: str) -> None:
        if self.enabled:
            print(line, file=self.stream, flush=True)

    def _is_terminal(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
