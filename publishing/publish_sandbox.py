"""The build's sandbox: bubblewrap (bwrap) with no network, the system and the server's installed
copy read-only, and write access only to the build's own folder and its own copy of the caches; limits
on time, memory and file size. publish.py runs every build and check of pushed content in it.

What the build sees, under /project (its working folder):
    generator/, theme/, mkdocs.yml   the server's installed copy (install.sh), read-only
    briefings/, docs/                the content taken from the push, read-only
    out/                             this build's one writable folder: the site is built into out/site
    .cache/                          out/cache, its own copy of the caches kept between builds (SERVE_DIR/.cache)
Nothing else of the server is there: not the repository, its hooks, the served releases or HOME.
The caches and the site are one mount, so that a kept page, PDF or slide pack is hard-linked into
the site: a link cannot cross from one mount to another (EXDEV), and copying the 30,000 files
instead took 8 to 10 s of a one-review build at 5,000 reviews.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Read-only system folders the build needs (Python, its libraries, Pango and fonts for PDFs).
SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/fonts", "/etc/ld.so.cache",
          "/etc/alternatives", "/etc/localtime", "/var/cache/fontconfig")
# Passed into the sandbox; nothing else of the hook's environment is (no GIT_*, no HOME, no secrets).
PASSED = ("LANG", "LC_ALL", "TZ", "BRIEFINGS_TODAY", "BRIEFINGS_DENYLIST", "SOURCE_DATE_EPOCH")


@dataclass(frozen=True)
class Limits:
    seconds: int = 1200          # wall-clock time for one build or check
    memory_mb: int = 4096        # address space of each process in the build
    file_mb: int = 1024          # largest file the build may write


@dataclass(frozen=True)
class Outcome:
    returncode: int
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


class SandboxMissing(Exception):
    """bwrap is not installed or cannot make its namespaces here; the message says what to do."""


def bwrap() -> str:
    found = shutil.which("bwrap") or ("/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None)
    if not found:
        raise SandboxMissing("bubblewrap is not installed on the server (Debian: apt-get install bubblewrap)")
    return found


def python_folders() -> list[str]:
    """Where this Python and its packages live (a virtual environment may sit outside /usr)."""
    folders = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    folders |= {sys.prefix, os.path.dirname(os.path.realpath(sys.executable))}
    return sorted(f for f in folders if not f.startswith(("/usr/", "/bin", "/lib")) and f != "/usr")


CACHE = "cache"  # the build's copy of the caches, inside its out/ folder: see above


def command(app: Path, content: Path, out: Path, argv: list[str],
            environ: dict[str, str] | None = None) -> list[str]:
    """The bwrap command line that runs argv in /project; out/cache is its /project/.cache."""
    environ = os.environ if environ is None else environ
    args = [bwrap(), "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--tmpfs", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    for folder in SYSTEM:
        if os.path.exists(folder):
            args += ["--ro-bind", folder, folder]
    for folder in python_folders():
        args += ["--ro-bind", folder, folder]
    for name in ("generator", "theme", "mkdocs.yml"):
        args += ["--ro-bind", str(app / name), f"/project/{name}"]
    for name in ("briefings", "docs"):
        args += ["--ro-bind", str(content / name), f"/project/{name}"]
    denylist = environ.get("BRIEFINGS_DENYLIST_FILE")
    if denylist and os.path.isfile(denylist):  # the administrator's private list, outside the repository
        args += ["--ro-bind", denylist, "/run/denylist.txt", "--setenv", "BRIEFINGS_DENYLIST_FILE", "/run/denylist.txt"]
    args += ["--bind", str(out), "/project/out", "--symlink", f"out/{CACHE}", "/project/.cache",
             "--remount-ro", "/", "--chdir", "/project"]
    settings = {"HOME": "/project/out/home", "PATH": "/usr/local/bin:/usr/bin:/bin",
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": "/project", "XDG_CACHE_HOME": "/project/out/home/.cache",
                **{k: environ[k] for k in PASSED if k in environ}}
    for key, value in sorted(settings.items()):
        args += ["--setenv", key, value]
    return [*args, "--", *argv]


def run(cmd: list[str], limits: Limits, stdout=None, stderr=None) -> Outcome:
    """Run cmd with the limits; on time out, kill it and everything it started."""
    def limit() -> None:  # runs in the child, before bwrap starts: every process inherits these
        memory, size = limits.memory_mb * 2**20, limits.file_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds * 4, limits.seconds * 4))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                               preexec_fn=limit, start_new_session=True)
    try:
        return Outcome(process.wait(timeout=limits.seconds))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return Outcome(-signal.SIGKILL, timed_out=True)


def probe() -> str | None:
    """None when bwrap can make its sandbox here, else why not (install.sh and every build ask)."""
    try:
        result = subprocess.run([bwrap(), "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                                 "--dev", "/dev", "--proc", "/proc", "true"],
                                capture_output=True, text=True, timeout=60)
    except SandboxMissing as missing:
        return str(missing)
    if result.returncode:
        return (f"bubblewrap cannot make its sandbox on this server ({result.stderr.strip() or result.returncode}); "
                "it needs user namespaces (Debian: sysctl kernel.unprivileged_userns_clone=1)")
    return None
