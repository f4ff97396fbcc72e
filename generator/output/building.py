"""Build the site with MkDocs into a fresh folder, then swap it in: a failed build leaves the
last good site/ untouched.

One build at a time per site folder: a build holds a lock on .site.lock (beside site/) from the
moment it touches any folder beside site/ until its tree is swapped in, so a second build waits
(or stops, if asked) instead of deleting the first one's folder while it is being written."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.output import last_gate

FILE_MODE, FOLDER_MODE = 0o644, 0o755  # a web server running as another user reads the site


class BuildFailed(Exception):
    pass


class BuildBusy(BuildFailed):
    """Another build of the same site is running, and this one was asked not to wait."""


class BuildStopped(BaseException):
    """The build was asked to stop (SIGTERM, SIGHUP): raised where it is, so that it cleans up
    like an interrupted build. A BaseException, so that no `except Exception` swallows it."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_briefings", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.addFilter(_said_plainly_later)
        handler._briefings = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def _said_plainly_later(record: logging.LogRecord) -> bool:
    """MkDocs logs a page it could not write with Python's words for the disk's refusal
    ("[Errno 28] ..."); build() says the same plainly, so that line is left out."""
    message = record.getMessage()
    return not (message.startswith("Error building page") and any(f"[Errno {e}]" in message for e in _DISK))


def build(root: Path, site_dir: Path | None = None, verbose: bool = False, wait: bool = True) -> Path:
    """Run MkDocs for root/mkdocs.yml; replace site_dir only when the build succeeded.
    wait=False: raise BuildBusy at once if another build of site_dir is running."""
    _logging(verbose)
    target = (site_dir or root / "site").resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with one_build_at_a_time(target, wait), _stopped_by_signals():
            _remove_leftovers(target)  # only under the lock: no live build is using them
            with FreshFolder(target) as fresh:
                _run_mkdocs(root, fresh.path)
                make_readable(fresh.path)
                swap_in(fresh, target)
    except OSError as exc:
        raise BuildFailed(disk_problem(exc)) from None
    return target


def _run_mkdocs(root: Path, fresh: Path) -> None:
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(fresh))
        # Dirty, as `mkdocs build --dirty` is: the folder is fresh, and the hook puts in place the
        # HTML of pages that come out the same as before (adapter/page_reuse.py), which MkDocs skips.
        config.plugins.on_startup(command="build", dirty=True)
        try:
            with _quiet_dirty():
                mkdocs_build(config, dirty=True)
        finally:
            config.plugins.on_shutdown()
        last_gate.check(root, fresh)  # every file to publish, against the denylist and detectors: a hit stops the swap
    except last_gate.GateClosed as exc:
        raise BuildFailed(str(exc)) from None
    except (MkDocsException, SystemExit) as exc:
        if (cause := os_error_in(exc)) is not None:
            raise cause from None  # a full or read-only disk: said plainly by build()
        raise BuildFailed(str(exc) or "MkDocs stopped the build") from None
    except jinja2.TemplateError as exc:  # a mistake in theme/ or generator/templates, not in the briefings
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "filename", None) else ""
        raise BuildFailed(f"{where}a page template has an error: {exc.message or exc}") from None


DIRTY_WARNING = "A 'dirty' build is being performed"


class _NotDirty(logging.Filter):
    """MkDocs warns that a dirty build may leave stale files and navigation; a fresh folder has
    none, and only pages that come out the same are skipped. Under `strict` the warning would stop
    the build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


@contextlib.contextmanager
def _quiet_dirty():
    logger, quiet = logging.getLogger("mkdocs.commands.build"), _NotDirty()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


# --- one build at a time ---------------------------------------------------------------------

def lock_path(target: Path) -> Path:
    """Kept after the build: removing it while a second build waits on it would let a third lock a
    new file beside the second's."""
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def one_build_at_a_time(target: Path, wait: bool = True):
    """Hold the lock of target's builds. The kernel releases it when the process ends, however it
    ends, so a killed build never leaves the site locked."""
    path = lock_path(target)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise BuildBusy(f"Another build of {target} is running{holder}, so this one stopped. "
                                "The site is unchanged; build again when that one has finished.") from None
            print(f"Another build of {target} is running{holder}: waiting for it to finish.",
                  file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)  # who holds it, for the message above
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return f" (process {text})" if text.isdigit() else ""


def _remove_leftovers(target: Path) -> None:
    """Folders left by a build that was killed before it could remove them, and sites replaced by
    earlier builds that may still be being deleted: deleted beside this build, which waits for none."""
    for stale in [*target.parent.glob(f".{target.name}.new-*"), *target.parent.glob(f".{target.name}.old*")]:
        remove_in_background(stale)


@contextlib.contextmanager
def _stopped_by_signals():
    """SIGTERM and SIGHUP stop the build as Ctrl-C does, so its fresh folder is removed. (SIGKILL
    cannot be caught: the next build removes the folder, and the workers die with the build.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def stop(signum, _frame):
        raise BuildStopped(signum)
    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


# --- the fresh tree and the swap -------------------------------------------------------------

class FreshFolder:
    """The folder this build writes: made beside the target, removed unless it was swapped in.
    It is held open, so that its identity can be checked before the swap (a folder deleted and
    made again by someone else is not this build's tree, and its number cannot be reused while
    it is held)."""

    def __init__(self, target: Path):
        self.path = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        self._fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)

    def is_ours(self) -> bool:
        try:
            now, made = os.stat(self.path), os.fstat(self._fd)
        except OSError:
            return False
        return (now.st_dev, now.st_ino) == (made.st_dev, made.st_ino)

    def __enter__(self) -> FreshFolder:
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.is_ours():  # not swapped in: the build failed or was stopped
                shutil.rmtree(self.path, ignore_errors=True)
        finally:
            os.close(self._fd)


def make_readable(tree: Path) -> None:
    """Files 0644 and folders 0755 whatever the umask (077 would make every file 0600). find does
    it, changing only what differs: one by one from Python, 41,000 files took 2 s at 5,000 reviews
    (most are the caches' entries, linked in, and already readable)."""
    modes = [(kind, f"{mode:o}") for kind, mode in (("d", FOLDER_MODE), ("f", FILE_MODE))]
    command = ["find", str(tree), "(", "-type", modes[0][0], "!", "-perm", modes[0][1], "-exec", "chmod", modes[0][1],
               "{}", "+", ")", "-o", "(", "-type", modes[1][0], "!", "-perm", modes[1][1], "-exec", "chmod",
               modes[1][1], "{}", "+", ")"]
    try:
        if subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True).returncode == 0:
            return
    except OSError:  # no find to run
        pass
    _make_readable_here(tree)


def _make_readable_here(tree: Path) -> None:
    tree.chmod(FOLDER_MODE)
    for folder, folders, files in os.walk(tree):
        for names, mode in ((folders, FOLDER_MODE), (files, FILE_MODE)):
            for name in names:
                path = os.path.join(folder, name)
                if not os.path.islink(path):  # a link has no mode of its own
                    os.chmod(path, mode)


def swap_in(fresh: FreshFolder, target: Path) -> None:
    """Two renames: the old site is replaced in one step, never half-written. Only this build's
    own tree is swapped in: if its folder was deleted or replaced while it ran, nothing is."""
    if not fresh.is_ours():
        raise BuildFailed(f"the folder this build was writing ({fresh.path.name}) was removed or replaced "
                          "while it ran, so its site is incomplete. Build again.")
    # a name no other build uses: a site replaced earlier may still be being deleted under its own
    old = target.parent / f".{target.name}.old-{os.getpid()}-{os.urandom(4).hex()}"
    if target.exists():
        target.rename(old)
    try:
        fresh.path.rename(target)
    except BaseException:
        if old.exists():
            old.rename(target)  # the last good site goes back
        raise
    remove_in_background(old)


def remove_in_background(tree: Path) -> None:
    """Delete tree in a process of its own, so that nothing waits for it: deleting a built site
    takes 5 to 16 seconds at 1,000 reviews on a disk mounted with `discard`, and grows with the
    site. A delete cut short leaves a `.site.old-*` folder, which the next build removes. Two
    deletes of one tree at once are harmless: each skips what the other removed."""
    if not tree.exists():
        return
    try:
        subprocess.Popen(["rm", "-rf", "--", str(tree)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:  # no `rm` to run: delete it here
        shutil.rmtree(tree, ignore_errors=True)


# --- plain words for the operating system's refusals -----------------------------------------

def os_error_in(exc: BaseException) -> OSError | None:
    """The OSError behind a MkDocs Abort (the hook raises them `from None`), if a disk caused it."""
    seen: BaseException | None = exc
    for _ in range(10):  # a chain is short; the bound guards against a loop in it
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.errno in _DISK:
            return seen
        seen = seen.__cause__ or seen.__context__
    if "No space left on device" in str(exc):  # Pagefind says so on its error output
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return None


_DISK = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission was refused",
    errno.EPERM: "permission was refused",
    errno.EBUSY: "the folder is in use, or is a mount point, so it cannot be replaced",
}
_ADVICE = {
    errno.ENOSPC: "Free some space on it and build again.",
    errno.EDQUOT: "Free some space on it and build again.",
    errno.EROFS: "Build into a folder on a writable disk with --site-dir.",
    errno.EACCES: "Build as a user who may write there, or into another folder with --site-dir.",
    errno.EPERM: "Build as a user who may write there, or into another folder with --site-dir.",
    errno.EBUSY: "Mount the folder above it instead, or build into another folder with --site-dir "
                 "and point the web server at that.",
}


def disk_problem(exc: OSError) -> str:
    """What went wrong, in words an officer can act on, without Python's error codes."""
    path = exc.filename2 or exc.filename  # a copy names its source first, and the file it writes second
    where = f" ({path})" if path else ""
    what = _DISK.get(exc.errno, (exc.strerror or str(exc)).lower())
    return f"{what}{where}. {_ADVICE.get(exc.errno, '')}".strip()
