"""Self-hosted publishing by `git push`: build what is pushed, refuse it on any problem, and
switch the served folder to the new build in one step.

The git hooks (installed by install.sh) call this as `publish.py pre-receive` and
`publish.py post-receive`; an administrator calls `publish.py rollback SERVE_DIR` and
`publish.py status SERVE_DIR`, and a daily cron job `publish.py rebuild REPO` (so that a review
goes live on the day its embargo ends).

What a push can do: change the content, briefings/ and the Markdown pages in docs/. The build
runs the server's own installed copy of the generator, theme and mkdocs.yml (REPO/installed, set
up by install.sh from a release), never code from the push, and it runs in a bubblewrap sandbox
(publish_sandbox.py). A push that changes code or site configuration is refused.

The served folder holds:

    releases/0007-<commit>/        one complete build per accepted commit (the web server's root
    releases/0007-<commit>.json    is SERVE_DIR/current); what it was built from (not served)
    releases/.pending-<commit>-<owner>/   a build whose push git has not accepted yet: never served
    releases/.build-.../           a build in progress
    current  -> releases/...       what the web server serves
    previous -> releases/...       the build before, for rollback
    .lock                          held only to switch, never while building
    .build-lock                    held by the push being built, until that push has ended; it
                                   names the commit, for the push that waits its turn
    .cache/                        the caches of the live build (PDFs, the last gate's verdicts):
                                   each build starts from a copy and never writes this one
    .cache-pending/<pending>/      the caches a pending build ends with: they replace .cache/
                                   when that build is served, and go with it otherwise
    .repository                    the bare repository's path, for rollback and status

pre-receive waits its turn (.build-lock: one push is built at a time, so that two pushes at once
are both checked and the later one is refused at once, not after a wasted build, if the earlier one
moved the branch), then builds the pushed commit into a pending build. The wait is bounded
(briefings.waitSeconds): after it, a push builds beside the one that holds the turn, so a push
that hangs cannot hold up an urgent withdrawal for longer. post-receive, which git runs only once
the branch has really moved, takes the lock, reads the branch there and serves the build of the
newest accepted commit: never an older one, and never a build of a push that git rejected (those
are deleted once their push has ended).
"""
from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import publish_sandbox as sandbox  # noqa: E402  (beside this file, in the hooks folder)

ZERO = "0" * 40
# What `python -m generator build` imports; checked first so a broken server says so plainly.
DEPENDENCIES = ("mkdocs", "material", "jinja2", "yaml", "jsonschema", "markdown", "nh3", "defusedcsv", "phonenumbers",
                "confusable_homoglyphs", "pypdfium2", "weasyprint")
_RELEASE = re.compile(r"^(\d{4,})-([0-9a-f]{40})$")
_PENDING = re.compile(r"^\.pending-([0-9a-f]{40})-(\d+\.\d+)$")
_BUILDING = re.compile(r"^\.build-([0-9a-f]{40})-(\d+\.\d+)-\w+$")
# The server's own copy supplies these; a push may not change them (see code_changes).
SERVER_FOLDERS = ("generator/", "theme/", "publishing/", "docs/")
SERVER_FILES = ("mkdocs.yml", "requirements.txt", "pyproject.toml")
DELETING = ".deleting-"  # an old release renamed away, being deleted in the background
REPLACED_CACHES = ".cache.old-"  # a cache folder a newer build's caches replaced, to delete
LOCK_WAIT = 300  # seconds; the lock is only held to switch links, so a longer wait means trouble
TURN_WAIT = 120  # seconds a push waits for another push's build (git config briefings.waitSeconds)


class PublishError(Exception):
    """Something an officer or administrator must act on; the message says what."""


def say(*lines: str) -> None:
    """A message for the person pushing: git shows a hook's output as 'remote: ...' lines."""
    for line in lines:
        print(line, file=sys.stderr, flush=True)


@contextmanager
def step(name: str) -> Iterator[None]:
    """How long a step of publishing took, appended to the file that BRIEFINGS_STEP_TIMES names
    (the benchmark's): never shown to the officer, and nothing at all without it."""
    record, start = os.environ.get("BRIEFINGS_STEP_TIMES"), time.perf_counter()
    try:
        yield
    finally:
        if record:
            with open(record, "a", encoding="utf-8") as out:
                out.write(f"{os.getpid()} {name} {time.perf_counter() - start:.2f}\n")


@dataclass(frozen=True)
class RefUpdate:
    old: str
    new: str
    ref: str

    @property
    def deletes(self) -> bool:
        return self.new == ZERO


def read_updates(lines: Iterator[str]) -> list[RefUpdate]:
    """git gives a hook one line per ref: '<old> <new> <ref>'."""
    return [RefUpdate(*line.split()) for line in lines if line.strip()]


@dataclass(frozen=True)
class Settings:
    """The hook's settings, stored in the bare repository's git config by install.sh."""

    serve: Path
    branch: str = "main"
    installed: Path | None = None
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    denylist_file: str = ""
    wait_seconds: int = TURN_WAIT

    @classmethod
    def from_git(cls) -> "Settings":
        serve = _git_config("briefings.serveDir")
        installed = _git_config("briefings.installed")
        if not serve or not installed:
            raise PublishError("publishing is not set up: git config briefings.serveDir or briefings.installed "
                               "is not set; ask the administrator to run publishing/install.sh")
        limits = sandbox.Limits(int(_git_config("briefings.buildSeconds") or sandbox.Limits.seconds),
                                int(_git_config("briefings.buildMemoryMB") or sandbox.Limits.memory_mb))
        return cls(Path(serve), _git_config("briefings.branch") or "main", Path(installed), limits,
                   _git_config("briefings.denylistFile"), int(_git_config("briefings.waitSeconds") or TURN_WAIT))

    @property
    def ref(self) -> str:
        return f"refs/heads/{self.branch}"


def _git(*args: str, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], capture_output=True, text=not binary)


def _git_config(key: str) -> str:
    return _git("config", "--get", key).stdout.strip()


def branch_tip(settings: Settings) -> str:
    """The newest accepted commit: read it under the lock before every switch."""
    return _git("rev-parse", "--verify", "--quiet", settings.ref).stdout.strip()


# -- who owns a build that is not yet accepted ------------------------------------------------

def owner_token(pid: int) -> str:
    """pid.start-time: a pid alone may be reused by another process once its owner has ended."""
    return f"{pid}.{_start_time(pid)}"


def _start_time(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "0"
    return stat.rsplit(")", 1)[1].split()[19]


def owner_alive(token: str) -> bool:
    pid, start = token.split(".")
    return _start_time(int(pid)) == start != "0"


# -- the served folder --------------------------------------------------------------------------

class Served:
    """The served folder: numbered releases and the `current` and `previous` links."""

    def __init__(self, root: Path):
        self.root = root
        self.releases = root / "releases"
        self.cache = root / ".cache"
        self.pending_caches = root / ".cache-pending"

    @contextmanager
    def lock(self, wait: float = LOCK_WAIT) -> Iterator[None]:
        self.releases.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            if not flock_within(handle, wait, lambda: say("Waiting for another publication to finish switching the site...")):
                raise PublishError(f"another publication has held {self.root / '.lock'} for over "
                                   f"{wait:.0f} seconds; ask the administrator to check the server")
            yield

    @contextmanager
    def build_turn(self, commit: str, owner: str, wait: float) -> Iterator[int | None]:
        """This push's turn to be built: wait up to `wait` seconds for the push being built to end,
        then hold .build-lock, noting this commit in it. Yields the lock's descriptor, for the process
        that keeps the turn until the push has ended, or None if the wait ran out: then this push is
        built beside the other (a kernel lock, so a killed push never keeps the turn)."""
        self.releases.mkdir(parents=True, exist_ok=True)
        path = self.root / ".build-lock"
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # not truncated: it names the holder
        try:
            if flock_within(descriptor, wait, lambda: say(_waiting_for(path, wait))):
                os.ftruncate(descriptor, 0)
                os.pwrite(descriptor, f"{commit} {owner}\n".encode(), 0)
                yield descriptor
            else:
                say(f"Still waiting after {wait:.0f} seconds: this push is checked now, beside the other one, "
                    "so that an urgent change is not held up any longer.")
                yield None
        finally:
            os.close(descriptor)

    def all_releases(self) -> list[Path]:
        """Accepted releases, oldest first (pending and unfinished builds have dotted names)."""
        found = [p for p in self.releases.iterdir() if _RELEASE.match(p.name) and p.is_dir()] \
            if self.releases.is_dir() else []
        return sorted(found, key=_number)

    def pending(self) -> list[Path]:
        return [p for p in self.releases.glob(".pending-*") if _PENDING.match(p.name)] if self.releases.is_dir() else []

    def next_release(self, commit: str) -> Path:
        numbers = [_number(p) for p in self.all_releases()]
        return self.releases / f"{max(numbers, default=0) + 1:04d}-{commit}"

    def release_for(self, commit: str) -> Path | None:
        """The newest accepted build of a commit."""
        builds = [p for p in self.all_releases() if p.name.endswith(f"-{commit}")]
        return builds[-1] if builds else None

    def pending_for(self, commit: str) -> Path | None:
        builds = sorted((p for p in self.pending() if _PENDING.match(p.name)[1] == commit),
                        key=lambda p: p.stat().st_mtime)
        return builds[-1] if builds else None

    def promote(self, pending: Path) -> Path:
        """A pending build whose commit git accepted becomes the next numbered release, and the
        caches it ended with become the ones the next build starts from."""
        release = self.next_release(_PENDING.match(pending.name)[1])
        _manifest_path(pending).replace(_manifest_path(release))
        pending.rename(release)
        self._take_caches(self.pending_caches / pending.name)
        return release

    def _take_caches(self, caches: Path) -> None:
        """Two renames: a build never finds the cache folder half replaced. The replaced folder
        is deleted by the sweep after the switch: at 1,000 reviews it is 25,000 files, and a
        push is live once `current` is switched."""
        if not caches.is_dir():
            return
        if self.cache.exists():
            self.cache.rename(self.root / f"{REPLACED_CACHES}{os.getpid()}-{secrets.token_hex(4)}")
        caches.rename(self.cache)

    def linked(self, name: str) -> Path | None:
        """The release that `current` or `previous` points to, if it is still there."""
        link = self.root / name
        target = link.resolve() if link.is_symlink() else None
        return target if target and target.is_dir() else None

    def switch(self, release: Path) -> list[str]:
        """Serve `release`; keep the one it replaces as `previous`. Returns reviews taken off."""
        old = self.linked("current")
        if old and old != release.resolve():
            self._link("previous", old)
        self._link("current", release)
        taken_off = sorted(reviews_in(old) - reviews_in(release)) if old else []
        with step("delete the older builds"):
            if taken_off or self._redacted():
                self.forget_all_but_current()
            else:
                self.prune()
        return taken_off

    def _redacted(self) -> bool:
        """The denylist changed since `previous` was built: it may show a term now on the list."""
        current, previous = self.linked("current"), self.linked("previous")
        return bool(current and previous and read_manifest(current).get("denylist") != read_manifest(previous).get("denylist"))

    def rollback(self) -> tuple[Path, list[str]]:
        """Serve the previous build again; returns it and the reviews this took off."""
        previous = self.linked("previous")
        if previous is None:
            raise PublishError("there is no earlier build to go back to")
        return previous, self.switch(previous)

    def prune(self) -> None:
        """Delete the releases older than `current`, except `previous`."""
        current, previous = self.linked("current"), self.linked("previous")
        if current is None:
            return
        for release in self.all_releases():
            if release.resolve() not in (current, previous) and _number(release) < _number(current):
                self.delete_later(release)

    def sweep(self, tip: str) -> None:
        """Delete builds that can never be served: pending builds of commits git did not accept
        (their push has ended and the branch is elsewhere) and builds that were interrupted."""
        for path in self.releases.glob(".*") if self.releases.is_dir() else []:
            pending, building = _PENDING.match(path.name), _BUILDING.match(path.name)
            if pending and (pending[1] == tip or owner_alive(pending[2])):
                continue
            if building and owner_alive(building[2]):
                continue
            if path.name.startswith(DELETING):
                delete_in_background(path)  # one may already be deleting it: two are harmless
            elif pending or building or path.name.startswith(".0"):  # .0007-... left by older versions
                self.delete(path)
            elif path.suffix == ".json" and not path.with_suffix("").exists():
                path.unlink(missing_ok=True)  # the manifest of a build deleted above
        for caches in self.pending_caches.iterdir() if self.pending_caches.is_dir() else []:
            if not (self.releases / caches.name).is_dir():  # its build was served or deleted
                shutil.rmtree(caches, ignore_errors=True)
        for replaced in self.root.glob(f"{REPLACED_CACHES}*"):  # no build reads one: it was renamed away
            shutil.rmtree(replaced, ignore_errors=True)

    def forget_all_but_current(self) -> None:
        """A review came off the site, or text was redacted: no other build may keep it, so
        rollback cannot bring it back. Nor may the caches: of what holds text, only the PDFs that
        `current` itself serves are kept (the gate's verdicts hold none, only hashes)."""
        current = self.linked("current")
        (self.root / "previous").unlink(missing_ok=True)
        with step("delete every other build"):
            for release in self.all_releases():
                if release.resolve() != current:
                    self.delete(release)
        with step("empty the caches of text"):
            if self.cache.is_dir():
                keep_only_served(self.cache, current)

    def delete(self, release: Path) -> None:
        _manifest_path(release).unlink(missing_ok=True)
        shutil.rmtree(release, ignore_errors=True)
        shutil.rmtree(self.pending_caches / release.name, ignore_errors=True)

    def delete_later(self, release: Path) -> None:
        """An old build no one can be served any longer: renamed away at once (a dotted name is
        never served nor rolled back to), and deleted by a process of its own, so that the push
        does not wait for it (41,000 files, 12 s at 5,000 reviews). One cut short is swept."""
        _manifest_path(release).unlink(missing_ok=True)
        doomed = self.releases / f"{DELETING}{release.name}-{secrets.token_hex(4)}"
        try:
            release.rename(doomed)
        except OSError:  # cannot be renamed: deleted here, as before
            self.delete(release)
            return
        shutil.rmtree(self.pending_caches / release.name, ignore_errors=True)
        delete_in_background(doomed)

    def delete_builds_of(self, owner: str) -> None:
        """The build folders of one push (its checkout of the content), once its build is served."""
        for path in self.releases.glob(".build-*") if self.releases.is_dir() else []:
            building = _BUILDING.match(path.name)
            if building and building[2] == owner:
                shutil.rmtree(path, ignore_errors=True)

    def _link(self, name: str, target: Path) -> None:
        """Point `name` at `target` with one rename, so a reader never finds it missing."""
        temporary = self.root / f".{name}.{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(os.path.relpath(target, self.root))
        os.replace(temporary, self.root / name)


def delete_in_background(tree: Path) -> None:
    """rm -rf in a process of its own, which the push does not wait for (nor git, for its output).
    (generator/output/building.py does the same for a built site: this file runs without the
    generator on its path.)"""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(tree)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:
        shutil.rmtree(tree, ignore_errors=True)


def flock_within(handle, seconds: float, on_wait: Callable[[], None]) -> bool:
    """Take an exclusive flock on handle (a file or a descriptor) within `seconds`; on_wait is
    called once if it must wait. False if the lock never came free."""
    deadline, told = time.monotonic() + seconds, False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            if not told:
                on_wait()
                told = True
            time.sleep(0.1)


def _waiting_for(build_lock: Path, wait: float) -> str:
    """What a push that must wait its turn is told: which commit is being built, if its push is alive."""
    noted = build_lock.read_text(encoding="utf-8").split() if build_lock.exists() else []
    commit = f" (commit {noted[0][:7]})" if len(noted) == 2 and owner_alive(noted[1]) else ""
    return (f"Another push{commit} is being built. This push waits its turn (up to {wait:.0f} seconds) "
            "and is checked next.")


CACHES_WITHOUT_TEXT = ("gate",)  # the last gate's verdicts: file hashes and what was found, never text
# but beside them the hashes of the sentences it checked: a short one could be matched by guessing
SENTENCE_HASHES = "sentences-*"


SERVED_CACHES = ("pdf", "pages", "slides")  # caches whose entries the site serves byte for byte


def keep_only_served(cache: Path, current: Path | None) -> None:
    """Empty the cache of any text `current` does not serve. Of the PDFs', pages' and slide packs'
    caches, the entries that are byte for byte in `current` stay (they are public there anyway;
    most are the very files linked in), with their notes; the gate keeps its verdicts but not its
    sentences' hashes; everything else goes. So the next build renders the pages' Markdown again,
    but not every page's HTML."""
    served = ServedFiles(current)
    for entry in cache.iterdir():
        if entry.name in CACHES_WITHOUT_TEXT:
            for hashes in entry.glob(SENTENCE_HASHES):
                hashes.unlink(missing_ok=True)
            continue
        if entry.name in SERVED_CACHES and entry.is_dir() and not entry.is_symlink():
            _keep_served_entries(entry, served)
            continue
        shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)


def _keep_served_entries(folder: Path, served: "ServedFiles") -> None:
    """An entry stays if the site serves it, and so do its notes (<entry's name>.json); anything
    else, a folder or a link included, goes."""
    entries = list(folder.iterdir())
    plain = {e for e in entries if e.is_file() and not e.is_symlink()}  # a set: 80,000 entries at 5,000 reviews
    kept = {e.stem for e in plain if e.suffix != ".json" and served.serves(e)}
    for entry in entries:
        if entry in plain and entry.stem in kept:
            continue
        shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() and not entry.is_symlink() else entry.unlink(missing_ok=True)


class ServedFiles:
    """The files of a release: a cache entry is served if it is one of them (the same file, linked
    in) or has the same bytes as one. Bytes are hashed only where the sizes agree."""

    def __init__(self, release: Path | None):
        self.inodes: set[tuple[int, int]] = set()
        self.by_size: dict[int, list[str]] = {}
        self._hashes: dict[int, set[str]] = {}
        for folder, _, names in os.walk(release) if release else []:
            for name in names:
                path = os.path.join(folder, name)
                info = os.lstat(path)
                if not os.path.islink(path):
                    self.inodes.add((info.st_dev, info.st_ino))
                    self.by_size.setdefault(info.st_size, []).append(path)

    def serves(self, cached: Path) -> bool:
        info = cached.lstat()
        if (info.st_dev, info.st_ino) in self.inodes:
            return True
        if info.st_size not in self.by_size:
            return False
        if info.st_size not in self._hashes:
            self._hashes[info.st_size] = {_sha256(Path(p)) for p in self.by_size[info.st_size]}
        return _sha256(cached) in self._hashes[info.st_size]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _number(release: Path) -> int:
    return int(release.name.split("-")[0])


def commit_of(release: Path) -> str:
    match = _RELEASE.match(release.name) or _PENDING.match(release.name)
    return match[2] if _RELEASE.match(release.name) else match[1]


def _manifest_path(release: Path) -> Path:
    return release.with_name(release.name + ".json")


def read_manifest(release: Path) -> dict:
    try:
        return json.loads(_manifest_path(release).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def reviews_in(release: Path | None) -> set[str]:
    folder = release / "reviews" if release else None
    return {p.name for p in folder.iterdir() if p.is_dir()} if folder and folder.is_dir() else set()


def missing_dependencies() -> list[str]:
    import importlib.util

    return [name for name in DEPENDENCIES if importlib.util.find_spec(name) is None]


# -- what a push may change -------------------------------------------------------------------

def is_content(path: str) -> bool:
    return path.startswith("briefings/") or (path.startswith("docs/") and path.endswith(".md"))


def server_owned(path: str) -> bool:
    return not is_content(path) and (path in SERVER_FILES or path.startswith(SERVER_FOLDERS))


def blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def installed_files(installed: Path) -> dict[str, str]:
    """Every code and configuration file of the server's copy, with its git blob id."""
    files = {}
    for path in installed.rglob("*"):
        name = path.relative_to(installed).as_posix()
        if path.is_file() and "__pycache__" not in name and server_owned(name):
            files[name] = blob_id(path.read_bytes())
    return files


def changed_files(old: str, new: str) -> list[tuple[str, str]]:
    """(path, blob id) of each file the push adds or changes, against the branch's last commit."""
    if old == ZERO:
        listing = _git("ls-tree", "-r", "-z", new).stdout.split("\0")
        return [(line.split("\t", 1)[1], line.split()[2]) for line in listing if "\t" in line]
    fields = _git("diff-tree", "-r", "-z", "--no-renames", old, new).stdout.split("\0")
    changes = []
    for meta, path in zip(fields[0::2], fields[1::2]):
        parts = meta.split()
        if len(parts) == 5 and parts[4] != "D":
            changes.append((path, parts[3]))
    return changes


def code_changes(settings: Settings, update: RefUpdate) -> list[str]:
    """Code or site configuration the push changes to anything but the server's own copy."""
    owned = installed_files(settings.installed)
    return sorted(path for path, blob in changed_files(update.old, update.new)
                  if server_owned(path) and owned.get(path) != blob)


def content_links(commit: str) -> list[str]:
    """Content that is a link (symlink or submodule) rather than a file: never accepted."""
    listing = _git("ls-tree", "-r", "-z", commit, "--", "briefings", "docs").stdout.split("\0")
    return sorted(line.split("\t", 1)[1] for line in listing
                  if "\t" in line and line.split()[0] in ("120000", "160000"))


def refuse_code_changes(settings: Settings, paths: list[str]) -> None:
    shown = ", ".join(paths[:10]) + (f" and {len(paths) - 10} more" if len(paths) > 10 else "")
    say(f"The push was refused: it changes code or site configuration: {shown}.",
        "A push may change only briefings/ and the Markdown pages (.md) in docs/. The server builds",
        "with its own installed copy of the generator, the theme and mkdocs.yml, so that a push cannot",
        "run code on the server. Only the server's administrator changes that copy, by installing a new",
        "release: publishing/install.sh --repo ... --serve ... run on the server from the new release.",
        "Then push the same files again, or leave them as they are in the server's copy.",
        "Nothing was published and the site is unchanged.")


# -- building -----------------------------------------------------------------------------------

def extract_content(commit: str, into: Path, installed: Path) -> None:
    """briefings/ and the Markdown of docs/ from the commit; the rest of docs/ from the server's copy."""
    (into / "briefings").mkdir(parents=True)
    shutil.copytree(installed / "docs", into / "docs", ignore=lambda d, names: [n for n in names if n.endswith(".md")])
    with subprocess.Popen(["git", "archive", "--format=tar", commit], stdout=subprocess.PIPE) as archive:
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            for member in tar:
                if member.isfile() and is_content(member.name) and ".." not in member.name.split("/"):
                    target = into / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as source, open(target, "wb") as out:
                        shutil.copyfileobj(source, out)
    if archive.returncode:
        raise PublishError(f"git could not read commit {commit[:7]}")


def denylist_state(content: Path, environ: dict[str, str]) -> str:
    """A fingerprint of every denylist the build used: a change means text may have been redacted."""
    parts = [(content / "briefings" / "_denylist.yml").read_bytes() if (content / "briefings" / "_denylist.yml").exists() else b"",
             environ.get("BRIEFINGS_DENYLIST", "").encode()]
    outside = environ.get("BRIEFINGS_DENYLIST_FILE")
    if outside and os.path.isfile(outside):
        parts.append(Path(outside).read_bytes())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


LEFT_FOR_AFTER_THE_SWITCH = "built"


@contextmanager
def build_folder(settings: Settings, commit: str, owner: str) -> Iterator[Path]:
    served = Served(settings.serve)
    served.releases.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".build-{commit}-{owner}-", dir=served.releases))
    try:
        with step("extract the commit"):
            extract_content(commit, work / "content", settings.installed)
        (work / "out").mkdir()
        with step("copy the caches"):
            copy_caches(served.cache, work / "out" / sandbox.CACHE)
        yield work
    finally:
        if not (work / LEFT_FOR_AFTER_THE_SWITCH).exists():
            shutil.rmtree(work, ignore_errors=True)


def copy_caches(cache: Path, into: Path) -> None:
    """The build's own copy of the live caches, made of hard links (a second or so at 5,000
    reviews). Every cache entry is written beside and renamed into place, never changed in place,
    so nothing the build does reaches the live caches: a refused or failed build leaves them as
    they were."""
    try:
        shutil.copytree(cache, into, symlinks=False, copy_function=os.link,
                        ignore=shutil.ignore_patterns(".*"))  # not another build's unfinished files
    except (OSError, shutil.Error):  # none yet, or replaced while copied (a build was served): start cold
        shutil.rmtree(into, ignore_errors=True)
        into.mkdir()


def build_environ(settings: Settings) -> dict[str, str]:
    """The hook's environment, with the administrator's private denylist file if one is set."""
    extra = {"BRIEFINGS_DENYLIST_FILE": settings.denylist_file} if settings.denylist_file else {}
    return {**os.environ, **extra}


def sandboxed(settings: Settings, work: Path, argv: list[str], **streams) -> sandbox.Outcome:
    cmd = sandbox.command(settings.installed, work / "content", work / "out", argv, build_environ(settings))
    return sandbox.run(cmd, settings.limits, **streams)


def build_commit(settings: Settings, commit: str, owner: str) -> Path | None:
    """Build the commit, in the sandbox, into a pending build (never served until accepted)."""
    problem = sandbox.probe()
    if problem:
        say(f"The server cannot build safely: {problem}. Ask the administrator to install it.")
        return None
    served = Served(settings.serve)
    with build_folder(settings, commit, owner) as work:
        with step("build in the sandbox"):
            outcome = sandboxed(settings, work, [sys.executable, "-m", "generator", "build", "--site-dir", "/project/out/site"],
                                stdout=sys.stderr)
        if outcome.timed_out:
            say(f"The build took longer than {settings.limits.seconds} seconds and was stopped.")
        if not outcome.ok or not (work / "out" / "site").is_dir():
            return None
        pending = served.releases / f".pending-{commit}-{owner}"
        manifest = {"commit": commit, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "reviews": sorted(reviews_in(work / "out" / "site")),
                    "denylist": denylist_state(work / "content", build_environ(settings)),
                    "installed": (settings.installed / "RELEASE").read_text().strip() if (settings.installed / "RELEASE").exists() else ""}
        _manifest_path(pending).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        served.pending_caches.mkdir(exist_ok=True)
        (work / "out" / sandbox.CACHE).rename(served.pending_caches / pending.name)  # served with it, or deleted with it
        (work / "out" / "site").rename(pending)
        # the checkout of the content is deleted once the build is live (post-receive), or once the
        # push has ended (sweep-after): not here, where the site would wait for it (1 s at 5,000 reviews)
        (work / LEFT_FOR_AFTER_THE_SWITCH).touch()
        return pending


# Run by the server's Python in the sandbox: what today's checks make of some content.
_INSPECT = """
import json
from pathlib import Path
from generator.site import load_site
from generator.load.problems import errors
result = load_site(Path.cwd())
site = result.site
Path("/project/out/state.json").write_text(json.dumps({
    "published": [r.id for r in site.reviews] if site else [],
    "held": {h.id: h.reason for h in site.held_back} if site else {},
    "errors": [str(p) for p in errors(result.problems)]}))
"""


def inspect(settings: Settings, commit: str, denylist_from: str | None = None) -> dict:
    """Check a commit's content with today's date, the server's generator and (optionally) the
    denylist of another commit; returns what is published, what is held back and any errors."""
    with build_folder(settings, commit, owner_token(os.getpid())) as work:
        if denylist_from:
            today = _git("show", f"{denylist_from}:briefings/_denylist.yml", binary=True)
            target = work / "content" / "briefings" / "_denylist.yml"
            target.unlink(missing_ok=True)
            if today.returncode == 0:
                target.write_bytes(today.stdout)
        outcome = sandboxed(settings, work, [sys.executable, "-c", _INSPECT],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        state = work / "out" / "state.json"
        if not outcome.ok or not state.exists():
            raise PublishError(f"the server could not check commit {commit[:7]} (the check "
                               f"{'took too long' if outcome.timed_out else 'failed'})")
        return json.loads(state.read_text(encoding="utf-8"))


def why_not_servable(settings: Settings, release: Path, tip: str) -> list[str]:
    """Why `release` must not be served today: reviews since withdrawn, held back or removed, and
    text that today's checks (today's denylist and detectors) refuse. Empty when it may be served."""
    today = inspect(settings, tip)
    reasons = [f"{review} is {today['held'].get(review) or 'no longer in briefings/'} now"
               for review in sorted(reviews_in(release) - set(today["published"]))]
    reasons += inspect(settings, commit_of(release), denylist_from=tip)["errors"]
    return reasons


# -- the hooks and commands ---------------------------------------------------------------------

def pre_receive(settings: Settings, updates: list[RefUpdate]) -> int:
    for update in updates:
        if update.ref != settings.ref:
            continue  # only the publishing branch reaches the site
        if update.deletes:
            say(f"The push was refused: the branch '{settings.branch}' cannot be deleted, "
                "because the site is built from it.")
            return 1
        with step("look at the pushed paths"):
            changes = code_changes(settings, update)
        if changes:
            refuse_code_changes(settings, changes)
            return 1
        with step("look for links"):
            links = content_links(update.new)
        if links:
            say(f"The push was refused: {', '.join(links)}: a link (symlink or submodule) is not accepted "
                "in briefings/ or docs/; commit the file itself.", "Nothing was published and the site is unchanged.")
            return 1
        if not check_and_build(settings, update):
            return 1
    return 0


REFUSED = "The push was refused: nothing was published and the site is unchanged."


def check_and_build(settings: Settings, update: RefUpdate) -> bool:
    """Build the pushed commit in its turn; False (and the officer is told why) if it is refused."""
    with step("look for the dependencies"):
        missing = missing_dependencies()
    if missing:
        say(f"The server's Python ({sys.executable}) lacks {', '.join(missing)}: "
            "ask the administrator to run publishing/install.sh again.", REFUSED)
        return False
    receive_pack = owner_token(os.getppid())  # the push: its build is swept once it has ended
    with Served(settings.serve).build_turn(update.new, receive_pack, settings.wait_seconds) as turn:
        if branch_moved(settings, update):
            refuse_as_overtaken(settings, "first")
            return False
        say(f"Checking and building commit {update.new[:7]} for the site...")
        watch_until_push_ends(settings, receive_pack, turn)
        pending = build_commit(settings, update.new, receive_pack)
    if pending is None:
        say(REFUSED, "Fix each problem listed above (file:line: field: message), commit, and push again.")
        return False
    if branch_moved(settings, update):  # only when it was built beside another push (the wait ran out)
        Served(settings.serve).delete(pending)
        Served(settings.serve).delete_builds_of(receive_pack)
        refuse_as_overtaken(settings, "while this one was being checked")
        return False
    return True


def branch_moved(settings: Settings, update: RefUpdate) -> bool:
    """The branch is no longer where the officer's clone saw it: git would refuse the push anyway."""
    return branch_tip(settings) != (update.old if update.old != ZERO else "")


def refuse_as_overtaken(settings: Settings, when: str) -> None:
    say(f"Another push (commit {branch_tip(settings)[:7]}) reached '{settings.branch}' {when}. Your commit is "
        "still in your clone: add the other push to it (git pull --rebase), then push again.", REFUSED)


def watch_until_push_ends(settings: Settings, owner: str, turn: int | None) -> None:
    """Start a small process that deletes this push's build if git does not accept the push
    (say, another push moved the branch first): a build never accepted is never kept. It also keeps
    this push's turn (the build lock, `turn`) until the push has ended: git moves the branch only
    after this hook, so the next push must not look at the branch before then."""
    kept = (turn,) if turn is not None else ()
    subprocess.Popen([sys.executable, __file__, "sweep-after", owner, str(settings.serve), os.path.abspath(_git_dir()),
                      *map(str, kept)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=kept,
                     start_new_session=True, env={k: v for k, v in os.environ.items() if not k.startswith("GIT_")})


def _git_dir() -> str:
    return os.environ.get("GIT_DIR") or _git("rev-parse", "--git-dir").stdout.strip()


def sweep_after(owner: str, repo: Path, turn: int | None) -> int:
    while owner_alive(owner):
        time.sleep(0.2)
    if turn is not None:
        os.close(turn)  # the push has ended, so the branch is where it will stay: the next push's turn
    os.environ["GIT_DIR"] = str(repo)
    settings = Settings.from_git()
    served = Served(settings.serve)
    with served.lock():
        served.sweep(branch_tip(settings))
    return 0


def serve_newest(settings: Settings, fresh: Path | None = None) -> tuple[str, list[str] | None]:
    """Under the lock, serve the build of the branch's newest commit (`fresh`, when it is of that
    commit). Returns the commit, and the reviews taken off (None: there is no build of it yet)."""
    served = Served(settings.serve)
    with served.lock():
        tip = branch_tip(settings)
        if fresh is not None and commit_of(fresh) != tip:
            served.delete(fresh)  # built from a commit that is no longer the newest
            fresh = None
        candidate = fresh or served.pending_for(tip)
        with step("promote"):
            release = served.promote(candidate) if candidate else served.release_for(tip)
        if release is None:
            return tip, None
        with step("switch and forget"):
            taken_off = served.switch(release) if release.resolve() != served.linked("current") else []
        with step("sweep"):
            served.sweep(tip)
        return tip, taken_off


def publish_newest(settings: Settings, fresh: Path | None, accepted: str) -> int:
    tip, taken_off = serve_newest(settings, fresh)
    if taken_off is None:  # no build of the newest commit (say, the branch was moved by hand): make one
        built = build_commit(settings, tip, owner_token(os.getpid()))
        tip, taken_off = serve_newest(settings, built) if built else (tip, None)
    Served(settings.serve).delete_builds_of(owner_token(os.getpid()))  # this process's checkout, if it built
    if taken_off is None:
        say(f"Commit {tip[:7]} is the newest on '{settings.branch}' but could not be built, so the site "
            "was not changed. Ask the administrator to check the server.")
        return 1
    if tip != accepted:
        say(f"Commit {accepted[:7]} was followed by {tip[:7]}, pushed meanwhile: the site shows that.")
    say(f"Published commit {tip[:7]}: the site now shows it.")
    report_taken_off(taken_off)
    return 0


def post_receive(settings: Settings, updates: list[RefUpdate]) -> int:
    try:
        for update in updates:
            if update.ref == settings.ref and not update.deletes:
                return publish_newest(settings, None, update.new)
        return 0
    finally:  # the push's checkout of the content, left by pre-receive so that the site did not wait for it
        with step("delete the build folder"):
            Served(settings.serve).delete_builds_of(owner_token(os.getppid()))


def rebuild(repo: Path) -> int:
    """Build the branch's newest commit again and publish it: today's date may lift an embargo.
    If a push lands meanwhile, its build (as new as this one) is served instead, never this one."""
    os.environ["GIT_DIR"] = str(repo)
    settings = Settings.from_git()
    commit = branch_tip(settings)
    if not commit:
        raise PublishError(f"{repo} has no branch '{settings.branch}' yet")
    built = build_commit(settings, commit, owner_token(os.getpid()))
    if built is None:
        say("The rebuild failed, so the site is unchanged.")
        return 1
    return publish_newest(settings, built, commit)


def report_taken_off(taken_off: list[str]) -> None:
    if taken_off:
        say(f"Taken off the site: {', '.join(taken_off)}. Every older build was deleted, "
            "so a rollback cannot bring it back.")


def status(served: Served) -> str:
    lines = []
    for name in ("current", "previous"):
        release = served.linked(name)
        commit = release.name.split("-")[1][:7] if release else ""
        lines.append(f"{name}: {release.relative_to(served.root.resolve())} (commit {commit})" if release else f"{name}: none")
    return "\n".join(lines)


def settings_for(serve: Path) -> Settings:
    """The repository's settings, found from the served folder (install.sh notes the repository)."""
    noted = serve / ".repository"
    if not noted.exists():
        raise PublishError(f"{serve} was not set up by publishing/install.sh (it has no .repository)")
    os.environ["GIT_DIR"] = noted.read_text(encoding="utf-8").strip()
    return Settings.from_git()


def rollback(serve: Path) -> int:
    """Serve the previous build again, once it passes today's checks; otherwise delete it."""
    settings = settings_for(serve)
    served = Served(settings.serve)
    previous, tip = served.linked("previous"), branch_tip(settings)
    if previous is None:
        raise PublishError("there is no earlier build to go back to")
    reasons = why_not_servable(settings, previous, tip)  # without the lock: it takes seconds
    with served.lock():
        if served.linked("previous") != previous or branch_tip(settings) != tip:
            raise PublishError("a push changed the site while the rollback was checking; run it again")
        if reasons:
            served.forget_all_but_current()
            raise PublishError(f"the earlier build ({previous.name}) fails today's checks, so it was deleted "
                               "and the site still shows the current build:\n  " + "\n  ".join(reasons) +
                               "\nTo change what is served, commit the change in git and push it")
        release, taken_off = served.rollback()
    print(f"Rolled back: the site now shows {release.name}. The branch still holds the newer commit,",
          "so the next push publishes from it again: revert the commit in git to keep this rollback.")
    report_taken_off(taken_off)
    print(status(served))
    return 0


def run_hook(name: str) -> int:
    settings = Settings.from_git()
    updates = read_updates(sys.stdin)
    with step(name):
        return pre_receive(settings, updates) if name == "pre-receive" else post_receive(settings, updates)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] in (["pre-receive"], ["post-receive"]):
            return run_hook(argv[0])
        if argv[:1] == ["sweep-after"]:
            return sweep_after(argv[1], Path(argv[3]), int(argv[4]) if len(argv) > 4 else None)
        if argv[:1] == ["probe"]:
            problem = sandbox.probe()
            print(problem or "bubblewrap works here", file=sys.stderr if problem else sys.stdout)
            return 1 if problem else 0
        return run_command(argv)
    except PublishError as problem:
        say(f"Nothing was changed: {problem}.")
        return 1


def run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="publish.py", description="Look after a self-hosted briefing site.")
    parser.add_argument("command", choices=["rollback", "status", "rebuild"],
                        help="rollback: serve the previous build again, if it passes today's checks; "
                             "status: show what is served; rebuild: build and publish the branch again (daily, for embargoes)")
    parser.add_argument("folder", type=Path,
                        help="the served folder given to install.sh (--serve); for rebuild, the repository (--repo)")
    args = parser.parse_args(argv)
    if args.command == "rebuild":
        return rebuild(args.folder.resolve())
    if args.command == "rollback":
        return rollback(args.folder.resolve())
    print(status(Served(args.folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
