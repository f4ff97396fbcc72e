"""Checked review files, kept so that `check`, `build` and `mkdocs serve` check again only the
files that changed: one mechanism for all three.

- DocumentCache: in memory, a file is taken as it was while its size and modification time are
  (serve's rebuilds; the build taking what `python -m generator build` checked just before).
- CheckedStore: on disk, a file whose time is new is checked again only when its bytes are.

A self-hosted build runs in a fresh checkout, where every file's date is new, and the hosted CI
restores .cache/ from an archive, so an entry is found by what the check was made from, never by
dates: the key is the hash of

- the file's bytes and its name (problems name the file, and its name must match its id);
- the context of the checks (the theme vocabulary, the size limit, the denylist, the site's
  contact addresses, the agency vocabulary: site.py's `context`);
- the generator's code and every installed package's version (fingerprint.py).

Today's date is not in the key: no check of one file reads it. Whether a review is held back,
and whether it is overdue, is decided after, from the model, with today's date.

Each entry is .cache/checked/<key>.pickle: the slimmed Document and its problems, written beside
and renamed in, so a killed build leaves nothing half written. A file with an error is not kept:
its text may be what the privacy check refused (a real name, an NHS number), and it stops the
build anyway. The entries still hold review text, so publishing's keep_only_served deletes the
folder when a review is taken off. A corrupt or unreadable entry is a miss, never an error: the
cache can only make a build slower. Loading a pickle can run code, so whoever can write this
folder can run code in the build: only the build writes it, as it writes the page cache beside
it, whose HTML is published as it is. The modelled Review is not kept on disk: at 1,000 reviews
reading it back took as long as making it again from the Document (about 0.2 s in all).
"""
from __future__ import annotations

import contextlib
import os
import pickle
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from generator.load.documents import Document
from generator.load.problems import Problem, errors
from generator.model.types import Review
from generator.speed import parallel
from generator.speed.fingerprint import code_fingerprint, digest, packages, prune_unused

FOLDER = Path(".cache") / "checked"
KEEP_SECONDS = 3600  # as the other caches': another build in the same folder may be about to read them
SUFFIX = ".pickle"

Checked = tuple[Document | None, list[Problem]]


def context_key(context: object) -> str:
    """What every file's key shares: the checks' context (tuples of text, numbers and frozen
    dataclasses, whose repr is the same in every process), the code and the packages."""
    return digest(code_fingerprint(), packages(), repr(context))


class CheckedStore:
    """The folder of entries: each found, kept or pruned by its key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def under(cls, root: Path) -> "CheckedStore":
        return cls(root / FOLDER)

    @staticmethod
    def key(shared: str, display: str, data: bytes) -> str:
        return digest(shared, display, data)

    def find(self, key: str) -> Checked | None:
        """The entry kept under key, or None: missing, half-copied, made by other code, unreadable."""
        try:
            with open(self.folder / f"{key}{SUFFIX}", "rb") as file:
                kept = pickle.load(file)
        except Exception:  # noqa: BLE001 - unpickling a damaged file can raise almost anything
            return None
        if not (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == key):
            return None
        _, doc, problems = kept
        if not ((doc is None or isinstance(doc, Document)) and isinstance(problems, list)
                and all(isinstance(p, Problem) for p in problems)):
            return None
        return doc, problems

    def keep(self, key: str, checked: Checked) -> None:
        """Keep a file's checks under its key, unless they found an error (see the module's docstring)."""
        doc, problems = checked
        if errors(problems):
            return
        temporary = self.folder / f".{key}.{os.getpid()}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(pickle.dumps((key, doc, problems), protocol=pickle.HIGHEST_PROTOCOL))
            temporary.rename(self.folder / f"{key}{SUFFIX}")
        except OSError:  # a full disk, a read-only checkout, no folder: the cache only saves time
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    def prune(self, used: set[str]) -> None:
        """Entries no file asked for go after an hour, and so do killed builds' leftovers."""
        prune_unused(self.folder, used, SUFFIX, KEEP_SECONDS)


@dataclass
class _Entry:
    stamp: tuple[int, int]
    context: object
    doc: Document | None
    problems: list[Problem]
    key: str | None = None  # its name in the store
    review: Review | None = None
    settings: object = None  # the settings the review was modelled with (they fill in review_by)


class Checks(Protocol):
    """What DocumentCache asks of site.FileChecks."""

    def read(self, path: Path) -> bytes | None: ...

    def review(self, path: Path, display: str, data: bytes | None = None) -> Checked: ...


@dataclass
class DocumentCache:
    store: CheckedStore | None = None  # files checked by earlier runs, found by their bytes
    entries: dict[Path, _Entry] = field(default_factory=dict)
    by_doc: dict[int, _Entry] = field(default_factory=dict)  # id() of each cached, live document
    loaded: int = 0  # files checked in the last pass, for the benchmark and the tests
    restored: int = 0  # files taken from the store in the last pass

    def checked_all(self, files: list[tuple[Path, str]], context: object, checks: Checks) -> list[Checked]:
        """Each (path, display name) checked, in order: from memory while its size, time and the
        context are unchanged (serve), else from the store while its bytes are, else checked again
        (on a large site shared with a worker). A link or anything but a plain file is never
        cached: the check refuses it."""
        shared_key = context_key(context) if self.store else ""
        results: list[Checked | None] = [None] * len(files)
        todo, restored = [], 0
        for i, (path, display) in enumerate(files):
            stamp = _stamp(path)
            entry = self.entries.get(path)
            if stamp is not None and entry is not None and entry.stamp == stamp and entry.context == context:
                results[i] = entry.doc, entry.problems
                continue
            found = self._restore(checks, path, display, shared_key) if stamp and self.store else None
            if found is None:
                todo.append((i, path, display, stamp))
                continue
            (results[i], key), restored = found, restored + 1
            self._remember(path, _Entry(stamp, context, *results[i], key))
        done = parallel.shared(len(todo), lambda j: self._check(checks, todo[j][1], todo[j][2], shared_key))[1]
        for (i, path, _, stamp), (checked, key) in zip(todo, done):
            if stamp is not None:
                self._remember(path, _Entry(stamp, context, *checked, key))
            results[i] = checked
        self.loaded += len(todo)
        self.restored += restored
        if self.store and (todo or restored):  # the store was looked in: entries no file asked for may go
            self.store.prune({e.key for e in self.entries.values() if e.key})
        return results

    def _restore(self, checks: Checks, path: Path, display: str, shared_key: str) -> tuple[Checked, str] | None:
        """The file's checks from the store, and their key; None if it holds none."""
        data = checks.read(path)  # None for a file the check refuses (over the size limit ...): it is checked
        if data is None:
            return None
        key = self.store.key(shared_key, display, data)
        found = self.store.find(key)
        return None if found is None else (found, key)

    def _check(self, checks: Checks, path: Path, display: str, shared_key: str) -> tuple[Checked, str | None]:
        """Check a file, and keep the result under the key of the very bytes checked (the file
        may have changed since _restore read it). Runs in a worker on a large site."""
        data = checks.read(path) if self.store else None
        checked = checks.review(path, display, data)
        if data is None:
            return checked, None
        key = self.store.key(shared_key, display, data)
        self.store.keep(key, checked)
        return checked, key

    def _remember(self, path: Path, entry: _Entry) -> None:
        old = self.entries.get(path)
        if old is not None:
            self.by_doc.pop(id(old.doc), None)
        self.entries[path] = entry
        self.by_doc[id(entry.doc)] = entry

    def review(self, doc: Document, settings: object, make: Callable[[], Review]) -> Review:
        """The modelled review of a cached document, made once for the site's settings."""
        entry = self.by_doc.get(id(doc))
        if entry is None or entry.doc is not doc:
            return make()
        if entry.review is None or not (entry.settings is settings or entry.settings == settings):
            entry.review, entry.settings = make(), settings
        return entry.review

    def forget_missing(self) -> None:
        """Drop deleted files, so a long serve session does not keep them."""
        for path in [p for p in self.entries if not p.exists()]:
            self.by_doc.pop(id(self.entries.pop(path).doc), None)

    def start_pass(self) -> None:
        self.loaded = self.restored = 0
        self.forget_missing()


def _stamp(path: Path) -> tuple[int, int] | None:
    """A plain file's time and size; None for a link or anything else, which is never cached."""
    try:
        info = path.lstat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size) if stat.S_ISREG(info.st_mode) else None
