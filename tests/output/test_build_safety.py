"""A build that races another, is killed, runs under a strict umask or meets a full, read-only or
busy disk: the last good site/ stays whole, nothing is left running, and the message is plain."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from conftest import REPO, make_buildable, make_project, minimal, run_cli

pytestmark = pytest.mark.build


def example_copy(root: Path) -> Path:
    """The repo's example site in a folder of its own, with no PDF cache yet."""
    shutil.copytree(REPO / "briefings", root / "briefings")
    return make_buildable(root)


def small_project(root: Path) -> Path:
    """Two reviews: two PDFs, which are made by workers (one is made in the build's own process)."""
    second = minimal(id="child-y-2024").replace("Child Z", "Child Y")
    return make_buildable(make_project(root, {"child-z-2024.yml": minimal(), "child-y-2024.yml": second}))


def contents(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith((".site.new", ".site.old")))


def start_build(project: Path, marker: str = "", *extra: str, **popen) -> subprocess.Popen:
    """`python -m generator build` in project, its output in files (a pipe would be held open by
    any process it left behind). marker goes into the environment of the build and all its children."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1", BUILD_SAFETY_MARKER=marker)
    out, err = (open(project / f".{name}-{uuid.uuid4().hex[:6]}.txt", "w+") for name in ("out", "err"))
    # Ctrl-C reaches the build as at a terminal, even when the tests themselves run in the
    # background, where the shell starts every process with SIGINT ignored
    popen.setdefault("preexec_fn", lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", *extra], cwd=project, env=env,
                               stdout=out, stderr=err, **popen)
    process.output = (out, err)  # type: ignore[attr-defined]
    return process


def finish(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    code = process.wait(timeout)
    out, err = process.output  # type: ignore[attr-defined]
    texts = []
    for stream in (out, err):
        stream.seek(0)
        texts.append(stream.read())
        stream.close()
        os.unlink(stream.name)
    return code, texts[0], texts[1]


def wait_for(condition, timeout: float = 120, what: str = "") -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.02)


# --- two builds at once --------------------------------------------------------------------

def test_two_builds_at_once_run_one_after_the_other_and_the_site_is_complete(tmp_path, example_site):
    project = example_copy(tmp_path)
    first = start_build(project)
    # the second starts while the first is writing its tree: before the lock it deleted that tree
    wait_for(lambda: any(len(list(p.rglob("*"))) > 20 for p in project.glob(".site.new-*")),
             what="the first build to write its pages")
    second = start_build(project)
    (code_1, out_1, err_1), (code_2, out_2, err_2) = finish(first), finish(second)
    assert (code_1, code_2) == (0, 0), err_1 + err_2
    assert out_1.strip().endswith(f"into {project / 'site'}.") and out_2.strip().endswith(f"into {project / 'site'}.")
    assert err_1 == ""
    assert f"Another build of {project / 'site'} is running (process {first.pid}): waiting for it to finish." in err_2
    assert contents(project / "site").keys() == contents(example_site).keys()  # every file, CSS, JS and PDF
    wait_for(lambda: leftovers(project) == [], what="the replaced site to be deleted (in the background)")


def test_a_build_told_not_to_wait_stops_at_once_and_leaves_the_site(tmp_path):
    from generator.output.building import one_build_at_a_time

    project = small_project(tmp_path)
    assert run_cli(project, "build").returncode == 0
    before = contents(project / "site")
    with one_build_at_a_time(project / "site"):  # as a running build holds it
        result = run_cli(project, "build", "--no-wait")
    assert result.returncode == 1
    assert (f"Another build of {project / 'site'} is running (process {os.getpid()}), so this one stopped. "
            "The site is unchanged; build again when that one has finished.") in result.stderr
    assert "Traceback" not in result.stderr
    assert contents(project / "site") == before


def test_a_waiting_build_goes_on_when_the_lock_is_released(tmp_path):
    from generator.output.building import one_build_at_a_time

    project = small_project(tmp_path)
    with one_build_at_a_time(project / "site"):
        waiting = start_build(project)
        err = waiting.output[1]  # type: ignore[attr-defined]
        wait_for(lambda: "waiting for it to finish" in Path(err.name).read_text(), what="the waiting message")
        time.sleep(0.5)
        assert waiting.poll() is None and not (project / "site").exists()  # it waits, doing nothing
    code, out, err_text = finish(waiting)
    assert code == 0, err_text
    assert (project / "site" / "reviews" / "child-z-2024" / "index.html").exists()


def test_a_tree_removed_while_it_was_built_is_not_swapped_in(tmp_path, monkeypatch):
    """Whoever removes it (before the lock, another build did): the build fails, site/ stays."""
    from generator.output import building

    project = small_project(tmp_path)
    assert run_cli(project, "build").returncode == 0
    before = contents(project / "site")
    real = building.make_readable

    def then_removed(fresh):  # after MkDocs and the last gate, before the swap
        shutil.rmtree(fresh)
        (fresh / "index.html").parent.mkdir()  # made again, part-written, by someone else
        (fresh / "index.html").write_text("half")
        real(fresh)
    monkeypatch.setattr(building, "make_readable", then_removed)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    with pytest.raises(building.BuildFailed, match="was removed or replaced while it ran"):
        building.build(project)
    assert contents(project / "site") == before


# --- a killed build leaves nothing running -------------------------------------------------

def processes_with(marker: str) -> dict[int, str]:
    """Every live process whose environment holds the marker, with its command line."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if f"BUILD_SAFETY_MARKER={marker}".encode() not in environ.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/stat", "rb") as stat:
                if stat.read().rpartition(b")")[2].split()[0] == b"Z":
                    continue  # ended; only its parent's bookkeeping is left
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                found[int(entry)] = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
    return found


def none_left(marker: str, timeout: float = 30) -> dict[int, str]:
    """Wait until no process of the build is left; return those left after timeout seconds."""
    end = time.monotonic() + timeout
    while (left := processes_with(marker)) and time.monotonic() < end:
        time.sleep(0.1)
    for pid in left:  # do not leave them running after a failed test either
        os.kill(pid, signal.SIGKILL)
    return left


def kill_when(process: subprocess.Popen, marker: str, running: str, signum: int, count: int = 1,
              pause: bool = False) -> None:
    """Send signum to the build once count of its children of the kind `running` are at work.
    pause: stop those children first, so that they cannot end by finishing their work."""
    def children():
        assert process.poll() is None, "the build ended before it could be stopped midway"
        return [pid for pid, command in processes_with(marker).items() if pid != process.pid and running in command]
    wait_for(lambda: len(children()) >= count, what=running)
    if pause:
        for pid in children():
            os.kill(pid, signal.SIGSTOP)
    os.kill(process.pid, signum)


@pytest.mark.parametrize("running, count, pause", [("multiprocessing.forkserver", 2, False), ("pagefind", 1, True)])
def test_a_build_killed_midway_leaves_no_process_behind(tmp_path, running, count, pause):
    """SIGKILL of the build: its PDF server and workers, and Pagefind, end with it. The next
    build clears the folder it left and builds the whole site. (Count 2: the PDF server and a
    worker. Pagefind is paused first: on a small site it would soon end by itself, but the kernel
    kills it as the build ends, paused or not.)"""
    project, marker = example_copy(tmp_path), uuid.uuid4().hex
    build = start_build(project, marker)
    kill_when(build, marker, running, signal.SIGKILL, count, pause)
    code, left = finish(build)[0], none_left(marker)  # none_left also ends any it finds
    assert code == -signal.SIGKILL
    assert left == {}
    assert leftovers(project)  # SIGKILL cannot be caught: the next build clears it
    again = start_build(project)
    code, out, err = finish(again)
    assert code == 0, err
    wait_for(lambda: leftovers(project) == [], what="the folders left to be deleted")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_build_stopped_by_a_signal_cleans_up_and_says_so(tmp_path, signum):
    # eight PDFs, so that the workers are still at work when the signal comes (one takes 0.3 s)
    reviews = {f"child-{c}-2024.yml": minimal(id=f"child-{c}-2024").replace("Child Z", f"Child {c.upper()}") for c in "stuvwxyz"}
    project, marker = make_buildable(make_project(tmp_path, reviews)), uuid.uuid4().hex
    assert run_cli(project, "build").returncode == 0
    before = contents(project / "site")
    shutil.rmtree(project / ".cache")  # so that the PDFs are made again, by workers
    build = start_build(project, marker)
    kill_when(build, marker, "multiprocessing.forkserver", signum, 2)
    (code, out, err), left = finish(build), none_left(marker)
    assert code == 128 + signum
    assert err.strip().endswith("The build was stopped, so the site is unchanged."), err
    assert "Traceback" not in err
    assert left == {}
    assert contents(project / "site") == before
    assert leftovers(project) == []


WORKER_SCRIPT = """
import os, sys, time
from generator.speed import parallel

if sys.argv[1] == "fork":
    parallel.in_forks(time.sleep, [600])
else:  # the folder says that the worker is past its start and at work
    pool = parallel.lean_pool(1, ["generator.speed.parallel"])
    pool.submit(os.mkdir, sys.argv[2])
    pool.submit(time.sleep, 600)
time.sleep(600)
"""


@pytest.mark.parametrize("kind", ["fork", "forkserver"])
def test_a_worker_busy_with_a_long_item_ends_with_its_killed_parent(tmp_path, kind):
    """The check and render workers (forks), and the PDF workers (forks of a server)."""
    marker = uuid.uuid4().hex
    env = {**os.environ, "PYTHONPATH": str(REPO), "BUILD_SAFETY_MARKER": marker}
    at_work = tmp_path / "at-work"
    parent = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT, kind, str(at_work)], env=env, cwd=tmp_path)
    try:
        seen = "-c" if kind == "fork" else "forkserver"  # a fork has its parent's command line
        wait_for(lambda: sum(seen in command for command in processes_with(marker).values()) >= 2, what="the worker")
        if kind == "forkserver":
            wait_for(at_work.exists, what="the worker to start work")
    finally:
        parent.kill()
        parent.wait()
    assert none_left(marker) == {}


# --- the site is readable by a web server running as another user --------------------------

def test_the_site_is_world_readable_whatever_the_umask(tmp_path):
    project = small_project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env, umask=0o077,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    modes = {p.relative_to(site).as_posix(): oct(p.stat().st_mode & 0o777) for p in site.rglob("*")}
    assert {name: mode for name, mode in modes.items() if mode != ("0o755" if (site / name).is_dir() else "0o644")} == {}
    assert oct(site.stat().st_mode & 0o777) == "0o755"
    assert any(name.endswith(".pdf") for name in modes) and any(name.startswith("pagefind/") for name in modes)


# --- full, read-only and busy disks --------------------------------------------------------

def test_a_full_disk_while_mkdocs_writes_is_said_plainly_and_the_site_stays(tmp_path, monkeypatch, capsys):
    """Simulated in this process (the real disk is below, where this machine allows it)."""
    import mkdocs.utils

    from generator import cli

    project = small_project(tmp_path)
    assert run_cli(project, "build").returncode == 0
    before = contents(project / "site")
    written = []

    def fills_up(content, output_path):
        written.append(output_path)
        if len(written) > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)
        real(content, output_path)
    real = mkdocs.utils.write_file
    monkeypatch.setattr(mkdocs.utils, "write_file", fills_up)
    monkeypatch.chdir(project)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert f"The build failed, so the site is unchanged:\nthe disk is full ({written[-1]}). " in err
    assert "Free some space on it and build again." in err
    assert "Traceback" not in err and "Errno" not in err
    assert contents(project / "site") == before
    assert leftovers(project) == []


# Run as root in a mount namespace of its own, so that its tmpfs mounts vanish with it.
DISK_SCRIPT = """
import json, os, shutil, subprocess, sys
from pathlib import Path

case, source, disk = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
def mount(*args):
    subprocess.run(["mount", *args], check=True)
def build():
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
def snapshot():
    return {str(p.relative_to(project)): p.read_bytes().hex()[:64] + str(p.stat().st_size)
            for p in (project / "site").rglob("*") if p.is_file()}

mount("--make-rprivate", "/")
disk.mkdir(exist_ok=True)
mount("-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk))
project = disk / "project"
shutil.copytree(source, project, symlinks=True)
first = build()
assert first.returncode == 0, first.stderr
for _ in range(2400):  # the site it replaced is deleted in the background: wait, so the space is free
    if not any(p.name.startswith(".site.old") for p in project.iterdir()):
        break
    __import__("time").sleep(0.05)
before = snapshot()
if case == "full":
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(disk / "ballast", "wb") as ballast:  # leave too little for a second site
        ballast.write(b"x" * (free - 400_000))
elif case == "busy":  # site/ is a mount point, as a container's volume is: it cannot be renamed
    mount("--bind", str(project / "site"), str(project / "site"))
elif case == "read-only":
    mount("-o", "remount,ro", str(disk))
second = build()
print(json.dumps({"code": second.returncode, "err": second.stderr, "same": snapshot() == before,
                  "left": sorted(p.name for p in project.iterdir() if p.name.startswith((".site.new", ".site.old")))}))
"""


def in_mount_namespace() -> list[str] | None:
    """The command that runs a program in a mount namespace of its own, where it may mount a tmpfs."""
    for command in (["unshare", "--mount"], ["unshare", "--mount", "--map-root-user"]):
        if shutil.which("unshare") and subprocess.run([*command, "mount", "-t", "tmpfs", "tmpfs", "/mnt"],
                                                       capture_output=True).returncode == 0:
            return command
    return None


@pytest.mark.parametrize("case, message", [
    ("full", "the disk is full ("),
    ("busy", "the folder is in use, or is a mount point, so it cannot be replaced ("),
    ("read-only", "the disk is read-only ("),
])
def test_a_real_full_busy_or_read_only_disk_is_said_plainly_and_the_site_stays(tmp_path, case, message):
    namespace = in_mount_namespace()
    if namespace is None:
        assert os.geteuid() != 0, "root could not mount a tmpfs in a mount namespace of its own"
        pytest.skip("mounting a small disk needs root or user namespaces; the simulated full disk is tested above")
    project = small_project(tmp_path / "source")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run([*namespace, sys.executable, "-c", DISK_SCRIPT, case, str(project), str(tmp_path / "disk")],
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["code"] == 1, outcome["err"]
    assert message in outcome["err"], outcome["err"]
    assert "Traceback" not in outcome["err"] and "Errno" not in outcome["err"], outcome["err"]
    assert outcome["same"], "the last good site changed"
    assert outcome["left"] == [], "a temporary folder was left beside site/"


@pytest.mark.parametrize("find", ["there", "missing"])
def test_make_readable_sets_every_mode_with_find_or_without_it(tmp_path, monkeypatch, find):
    from generator.output import building

    tree = tmp_path / "tree"
    (tree / "a" / "b").mkdir(parents=True)
    for path, mode in ((tree / "a" / "page.html", 0o600), (tree / "a" / "b" / "x.pdf", 0o644), (tree / "top.xml", 0o640)):
        path.write_text("x")
        path.chmod(mode)
    (tree / "a" / "b").chmod(0o700)
    (tree / "link").symlink_to("top.xml")
    if find == "missing":
        def no_find(*args, **kwargs):
            raise FileNotFoundError("find")
        monkeypatch.setattr(building.subprocess, "run", no_find)
    building.make_readable(tree)
    modes = {p.relative_to(tree).as_posix(): oct(p.stat().st_mode & 0o777) for p in tree.rglob("*") if not p.is_symlink()}
    assert modes == {"a": "0o755", "a/b": "0o755", "a/page.html": "0o644", "a/b/x.pdf": "0o644", "top.xml": "0o644"}
    assert oct(tree.stat().st_mode & 0o777) == "0o755"
