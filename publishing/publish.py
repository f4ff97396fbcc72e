"""Self-hosted publishing by `git push`: build what is pushed, refuse it on any problem, and
switch the served folder to the new build in one step.

The git hooks (installed by install.sh) call this as `publish.py pre-receive` and
`publish.py post-receive`; an administrator calls `publish.py rollback SERVE_DIR` and
`publish.py status SERVE_DIR`, and a daily cron job `publish.py rebuild REPO` (so that a review
goes live on the day its embargo ends). The served folder holds:

    releases/0007-<commit>/   one complete build per accepted push
    current  -> releases/...  what the web server serves (its document root is SERVE_DIR/current)
    previous -> releases/...  the build before, for rollback
    .lock                     one build or switch at a time

pre-receive builds the pushed commit into a new release and refuses the push on any problem;
post-receive, which git runs only once the branch has really moved, makes that release current.
So a push that git itself rejects (say, a race with another push) never reaches the site.
Only the standard library is used here, so rollback and status run with any Python 3.11.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ZERO = "0" * 40
# What `python -m generator build` imports; checked first so a broken server says so plainly.
DEPENDENCIES = ("mkdocs", "material", "jinja2", "yaml", "jsonschema", "markdown")
_RELEASE = re.compile(r"^(\d{4,})-([0-9a-f]{40})$")


class PublishError(Exception):
    """Something an officer or administrator must act on; the message says what."""


def say(*lines: str) -> None:
    """A message for the person pushing: git shows a hook's output as 'remote: ...' lines."""
    for line in lines:
        print(line, file=sys.stderr, flush=True)


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

    @classmethod
    def from_git(cls) -> "Settings":
        serve = _git_config("briefings.serveDir")
        if not serve:
            raise PublishError("publishing is not set up: git config briefings.serveDir is not set; "
                               "ask the administrator to run publishing/install.sh")
        return cls(Path(serve), _git_config("briefings.branch") or "main")

    @property
    def ref(self) -> str:
        return f"refs/heads/{self.branch}"


def _git_config(key: str) -> str:
    result = subprocess.run(["git", "config", "--get", key], capture_output=True, text=True)
    return result.stdout.strip()


class Served:
    """The served folder: numbered releases and the `current` and `previous` links."""

    def __init__(self, root: Path):
        self.root = root
        self.releases = root / "releases"

    @contextmanager
    def lock(self) -> Iterator[None]:
        self.releases.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def all_releases(self) -> list[Path]:
        """Complete releases, oldest first (a build in progress has a dotted temporary name)."""
        found = [p for p in self.releases.iterdir() if _RELEASE.match(p.name)] if self.releases.is_dir() else []
        return sorted(found, key=lambda p: int(p.name.split("-")[0]))

    def next_release(self, commit: str) -> Path:
        numbers = [int(p.name.split("-")[0]) for p in self.all_releases()]
        return self.releases / f"{max(numbers, default=0) + 1:04d}-{commit}"

    def release_for(self, commit: str) -> Path | None:
        """The newest build of a commit."""
        builds = [p for p in self.all_releases() if p.name.endswith(f"-{commit}")]
        return builds[-1] if builds else None

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
        if taken_off:
            self.forget_all_but_current()
        else:
            self.prune()
        return taken_off

    def rollback(self) -> tuple[Path, list[str]]:
        """Serve the previous build again; returns it and the reviews this took off."""
        previous = self.linked("previous")
        if previous is None:
            raise PublishError("there is no earlier build to go back to")
        return previous, self.switch(previous)

    def prune(self) -> None:
        """Delete releases older than `current`, except `previous`, and leftovers of interrupted builds."""
        current, previous = self.linked("current"), self.linked("previous")
        if current is None:
            return
        for release in self.all_releases():
            if release.resolve() not in (current, previous) and _number(release) < _number(current):
                shutil.rmtree(release)
        for leftover in self.releases.glob(".*.new-*"):  # we hold the lock: no build is running
            shutil.rmtree(leftover, ignore_errors=True)

    def forget_all_but_current(self) -> None:
        """A review came off the site: no other build may keep it, so rollback cannot bring it back."""
        current = self.linked("current")
        (self.root / "previous").unlink(missing_ok=True)
        for release in self.all_releases():
            if release.resolve() != current:
                shutil.rmtree(release)

    def _link(self, name: str, target: Path) -> None:
        """Point `name` at `target` with one rename, so a reader never finds it missing."""
        temporary = self.root / f".{name}.{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(os.path.relpath(target, self.root))
        os.replace(temporary, self.root / name)


def _number(release: Path) -> int:
    return int(release.name.split("-")[0])


def reviews_in(release: Path | None) -> set[str]:
    folder = release / "reviews" if release else None
    return {p.name for p in folder.iterdir() if p.is_dir()} if folder and folder.is_dir() else set()


def missing_dependencies() -> list[str]:
    import importlib.util

    return [name for name in DEPENDENCIES if importlib.util.find_spec(name) is None]


def checkout(commit: str, into: Path) -> None:
    """The pushed files, as they are in the commit (git's quarantine makes them visible here)."""
    with subprocess.Popen(["git", "archive", "--format=tar", commit], stdout=subprocess.PIPE) as archive:
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            tar.extractall(into, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    if archive.returncode:
        raise PublishError(f"git could not read commit {commit[:7]}")


def build(source: Path, release: Path) -> bool:
    """The project's own build, from the pushed files; its messages go straight to the pusher."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(release)],
                            cwd=source, env=environment, stdout=sys.stderr)
    return result.returncode == 0


def pre_receive(settings: Settings, updates: list[RefUpdate]) -> int:
    for update in updates:
        if update.ref != settings.ref:
            continue  # only the publishing branch reaches the site
        if update.deletes:
            say(f"The push was refused: the branch '{settings.branch}' cannot be deleted, "
                "because the site is built from it.")
            return 1
        if not check_and_build(settings, update.new):
            say("The push was refused: nothing was published and the site is unchanged.",
                "Fix each problem listed above (file:line: field: message), commit, and push again.")
            return 1
    return 0


def check_and_build(settings: Settings, commit: str) -> bool:
    missing = missing_dependencies()
    if missing:
        say(f"The server's Python ({sys.executable}) lacks {', '.join(missing)}: "
            "ask the administrator to run publishing/install.sh again.")
        return False
    say(f"Checking and building commit {commit[:7]} for the site...")
    served = Served(settings.serve)
    with tempfile.TemporaryDirectory(prefix="briefings-push-") as folder:
        checkout(commit, Path(folder))
        with served.lock():
            return build(Path(folder), served.next_release(commit))


def post_receive(settings: Settings, updates: list[RefUpdate]) -> int:
    served = Served(settings.serve)
    for update in updates:
        if update.ref != settings.ref or update.deletes:
            continue
        with served.lock():
            release = served.release_for(update.new)
            if release is None:
                say(f"Commit {update.new[:7]} was pushed but its build is missing, so the site was not changed.",
                    "Ask the administrator to check the server.")
                return 1
            taken_off = served.switch(release)
        say(f"Published commit {update.new[:7]}: the site now shows it.")
        report_taken_off(taken_off)
    return 0


def rebuild(repo: Path) -> int:
    """Build the branch's newest commit again and publish it: today's date may lift an embargo."""
    os.environ["GIT_DIR"] = str(repo)
    settings = Settings.from_git()
    commit = _git_rev(settings.ref)
    if not commit:
        raise PublishError(f"{repo} has no branch '{settings.branch}' yet")
    if not check_and_build(settings, commit):
        say("The rebuild failed, so the site is unchanged.")
        return 1
    return post_receive(settings, [RefUpdate(commit, commit, settings.ref)])


def _git_rev(ref: str) -> str:
    result = subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref], capture_output=True, text=True)
    return result.stdout.strip()


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


def run_hook(name: str) -> int:
    settings = Settings.from_git()
    updates = read_updates(sys.stdin)
    return pre_receive(settings, updates) if name == "pre-receive" else post_receive(settings, updates)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] in (["pre-receive"], ["post-receive"]):
            return run_hook(argv[0])
        return run_command(argv)
    except PublishError as problem:
        say(f"Nothing was changed: {problem}.")
        return 1


def run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="publish.py", description="Look after a self-hosted briefing site.")
    parser.add_argument("command", choices=["rollback", "status", "rebuild"],
                        help="rollback: serve the previous build again; status: show what is served; "
                             "rebuild: build and publish the branch again (daily, for embargoes)")
    parser.add_argument("folder", type=Path,
                        help="the served folder given to install.sh (--serve); for rebuild, the repository (--repo)")
    args = parser.parse_args(argv)
    if args.command == "rebuild":
        return rebuild(args.folder.resolve())
    served = Served(args.folder)
    if args.command == "rollback":
        with served.lock():
            release, taken_off = served.rollback()
        print(f"Rolled back: the site now shows {release.name}. The branch still holds the newer commit,",
              "so the next push publishes from it again: revert the commit in git to keep this rollback.")
        report_taken_off(taken_off)
    print(status(served))
    return 0


if __name__ == "__main__":
    sys.exit(main())
