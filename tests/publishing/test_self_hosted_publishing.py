"""Self-hosted publishing end to end: a real bare repository with the hooks, a real clone, real
`git push`. A good push is published; a bad one is refused with the file:line messages and the
served folder is left exactly as it was."""
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO, make_buildable, make_project, minimal, run_cli

pytestmark = pytest.mark.build


def git(*args, cwd, env, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check, timeout=300)


class Server:
    """A bare repository set up by publishing/install.sh, and an officer's clone of it."""

    def __init__(self, root: Path, python: str = sys.executable, project: Path = REPO):
        self.root = root
        self.bare, self.serve, self.clone = root / "briefings.git", root / "www", root / "work"
        home = root / "home"
        home.mkdir()
        (home / ".gitconfig").write_text("[user]\n\tname = Business Unit\n\temail = unit@example.org.uk\n")
        self.env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
        self.env.pop("PYTHONPATH", None)  # the hook must use the server's installed generator
        self.installed = subprocess.run(
            ["bash", str(project / "publishing" / "install.sh"), "--repo", str(self.bare), "--serve", str(self.serve),
             "--python", python], env=self.env, capture_output=True, text=True, timeout=300)
        assert self.installed.returncode == 0, self.installed.stderr
        git("clone", "--quiet", str(self.bare), str(self.clone), cwd=root, env=self.env)
        self.hooks = hooks_state(self.bare)

    def commit(self, message: str, clone: Path | None = None) -> str:
        clone = clone or self.clone
        git("add", "--all", cwd=clone, env=self.env)
        git("commit", "--quiet", "-m", message, cwd=clone, env=self.env)
        return git("rev-parse", "HEAD", cwd=clone, env=self.env).stdout.strip()

    def push(self, message: str, clone: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        self.commit(message, clone)
        return git("push", "origin", "HEAD:main", cwd=clone or self.clone, env={**self.env, **(env or {})}, check=False)

    def push_in_background(self, message: str, clone: Path, log: Path | None = None) -> subprocess.Popen:
        """A push that runs on while the test goes on; its output goes to `log` if given (to be
        read while it runs), otherwise to a pipe."""
        self.commit(message, clone)
        output = open(log, "w") if log else subprocess.PIPE
        try:
            return subprocess.Popen(["git", "push", "origin", "HEAD:main"], cwd=clone, env=self.env,
                                    stdout=output, stderr=output, text=True)
        finally:
            if log:
                output.close()

    def wait_for_a_build(self) -> None:
        """Until a push's build has begun (it then holds the turn: other pushes wait for it)."""
        wait_for(lambda: any(p.name.startswith(".build-") for p in (self.serve / "releases").iterdir()))

    def releases(self) -> list[str]:
        """The numbered releases kept in the served folder."""
        return sorted(p.name for p in (self.serve / "releases").iterdir() if p.is_dir() and not p.name.startswith("."))

    def another_clone(self, name: str) -> Path:
        git("clone", "--quiet", str(self.bare), str(self.root / name), cwd=self.root, env=self.env)
        return self.root / name

    def wait_for_main(self, commit: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while self.main() != commit:
            assert time.monotonic() < deadline, f"main never reached {commit[:7]}"
            time.sleep(0.05)

    def leftovers(self) -> list[str]:
        """Builds in the served folder that are neither a numbered release nor its manifest."""
        return sorted(p.name for p in (self.serve / "releases").iterdir() if p.name.startswith("."))

    def files_containing(self, text: str) -> list[str]:
        """Every file anywhere in the served folder (releases, caches, links) that holds text."""
        needle = text.encode()
        return sorted(str(p.relative_to(self.serve)) for p in self.serve.rglob("*")
                      if p.is_file() and not p.is_symlink() and needle in p.read_bytes())

    def caches(self) -> dict[str, tuple[str, int]]:
        """The hash and modification time of every file in the caches beside the releases."""
        return {str(p.relative_to(self.serve)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
                for folder in (".cache", ".cache-pending") for p in (self.serve / folder).rglob("*") if p.is_file()}

    def main(self) -> str:
        return git("rev-parse", "--verify", "--quiet", "main", cwd=self.bare, env=self.env, check=False).stdout.strip()

    def served(self) -> dict[str, str]:
        """Where `current` points and a hash of every file it serves."""
        current = self.serve / "current"
        files = {str(p.relative_to(current)): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in current.rglob("*") if p.is_file()}
        return {"->": os.readlink(current), **files}

    def publish_py(self, command: str, folder: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(self.bare / "hooks" / "publish.py"), command, str(folder or self.serve)],
                              capture_output=True, text=True, env={**self.env, **(env or {})}, timeout=300)


def small_project(folder: Path, reviews: dict[str, str]) -> None:
    make_buildable(make_project(folder, reviews))


def hooks_state(bare: Path) -> dict[str, str]:
    """A hash of every file in the bare repository's hooks folder and its config."""
    files = [p for p in (bare / "hooks").rglob("*") if p.is_file()] + [bare / "config"]
    return {str(p.relative_to(bare)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture
def server(tmp_path):
    return Server(tmp_path)


def test_install_sets_up_the_hooks_and_the_python_they_use(server):
    hooks = server.bare / "hooks"
    assert os.access(hooks / "pre-receive", os.X_OK) and os.access(hooks / "post-receive", os.X_OK)
    config = git("config", "--get", "briefings.python", cwd=server.bare, env=server.env).stdout.strip()
    assert config == sys.executable
    assert f"The web server serves:   {server.serve}/current" in server.installed.stdout


def test_good_push_publishes_bad_push_is_refused_and_the_site_is_unchanged(server):
    small_project(server.clone, {"child-z-2024.yml": minimal()})
    good = server.push("Publish Child Z")
    assert good.returncode == 0, good.stderr
    assert "remote: Published commit" in good.stderr
    page = server.serve / "current" / "reviews" / "child-z-2024" / "index.html"
    assert "Child Z" in page.read_text(encoding="utf-8")
    before, published = server.served(), server.main()

    review = server.clone / "briefings" / "child-z-2024.yml"
    review.write_text(minimal().replace("type: lcspr", "type: nonsense").replace("summary:", "sumary:", 1))
    bad = server.push("A broken edit")
    assert bad.returncode != 0
    assert "remote: briefings/child-z-2024.yml:4: type: found 'nonsense'" in bad.stderr
    assert "remote: briefings/child-z-2024.yml:11: sumary: unknown field 'sumary'" in bad.stderr
    assert "remote: The push was refused: nothing was published and the site is unchanged." in bad.stderr
    assert "[remote rejected] HEAD -> main (pre-receive hook declined)" in bad.stderr, bad.stderr
    assert "Traceback" not in bad.stderr
    assert server.served() == before
    assert server.main() == published
    assert [p.name for p in (server.serve / "releases").iterdir() if p.is_dir()] == [before["->"].split("/")[1]]

    deleted = git("push", "origin", ":main", cwd=server.clone, env=server.env, check=False)
    assert "remote: The push was refused: the branch 'main' cannot be deleted" in deleted.stderr
    assert server.main() == published and server.served() == before


def test_each_push_starts_from_the_caches_of_the_live_build_and_a_refused_one_leaves_them(server):
    small_project(server.clone, {"child-z-2024.yml": minimal(), "child-w-2024.yml": minimal(id="child-w-2024")})
    assert server.push("Two reviews").returncode == 0
    first = server.caches()
    pdfs = {name for name in first if name.endswith(".pdf")}
    assert len(pdfs) == 2 and any(name.startswith(".cache/gate/verdicts-") for name in first), first
    review = server.clone / "briefings" / "child-w-2024.yml"
    review.write_text(minimal(id="child-w-2024").replace("Things went wrong.", "An edit."))
    assert server.push("Edit W").returncode == 0
    second = server.caches()
    assert {name: first[name] for name in pdfs} == {name: second[name] for name in pdfs}  # Z's PDF not made again
    assert len([name for name in second if name.endswith(".pdf")]) == 3
    # what the build kept is linked into the site from the caches, not copied: one mount in the sandbox
    cached = {_inode(p) for p in (server.serve / ".cache").rglob("*") if p.is_file()}
    served = [*(server.serve / "current").rglob("*.pdf"), server.serve / "current" / "reviews" / "child-z-2024" / "index.html"]
    assert len(served) == 3 and all(_inode(p) in cached for p in served), served
    review.write_text(minimal(id="child-w-2024").replace("type: lcspr", "type: nonsense"))
    assert server.push("A broken edit").returncode != 0
    assert server.caches() == second


def _inode(path: Path) -> tuple[int, int]:
    found = path.stat()
    return found.st_dev, found.st_ino


def test_rollback_serves_the_previous_build_and_back_again(server):
    small_project(server.clone, {"child-z-2024.yml": minimal()})
    assert server.push("First").returncode == 0
    first = server.served()
    (server.clone / "briefings" / "child-z-2024.yml").write_text(minimal().replace("Things went wrong.", "Revised."))
    assert server.push("Second").returncode == 0
    second = server.served()
    assert first != second

    rolled = server.publish_py("rollback")
    assert rolled.returncode == 0, rolled.stderr
    assert server.served() == first
    assert f"previous: {second['->']}" in rolled.stdout
    assert server.publish_py("rollback").returncode == 0
    assert server.served() == second


def test_a_review_taken_off_leaves_no_build_that_shows_it(server):
    small_project(server.clone, {"child-z-2024.yml": minimal(), "child-w-2024.yml": minimal(id="child-w-2024")})
    assert server.push("Two reviews").returncode == 0
    (server.clone / "briefings" / "child-w-2024.yml").write_text(minimal(id="child-w-2024", status="withdrawn"))
    withdrawn = server.push("Withdraw Child W: court order")
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "remote: Taken off the site: child-w-2024." in withdrawn.stderr
    assert not (server.serve / "current" / "reviews" / "child-w-2024").exists()
    assert [p for p in server.serve.rglob("child-w-2024")] == []
    assert not (server.serve / "previous").exists()
    refused = server.publish_py("rollback")
    assert refused.returncode == 1
    assert refused.stderr == "Nothing was changed: there is no earlier build to go back to.\n"


def test_the_daily_rebuild_publishes_a_review_whose_embargo_has_ended(server):
    small_project(server.clone, {"child-z-2024.yml": minimal(), "child-e-2030.yml": minimal(id="child-e-2030", published="2030-06")})
    assert server.push("One live, one embargoed").returncode == 0
    assert not (server.serve / "current" / "reviews" / "child-e-2030").exists()
    rebuilt = server.publish_py("rebuild", server.bare, env={"BRIEFINGS_TODAY": "2030-06-01"})
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Published commit" in rebuilt.stderr
    assert (server.serve / "current" / "reviews" / "child-e-2030" / "index.html").exists()


def test_push_is_refused_when_the_server_has_no_python_for_the_site(server, tmp_path):
    git("config", "briefings.python", str(tmp_path / "no-such-venv" / "bin" / "python"), cwd=server.bare, env=server.env)
    small_project(server.clone, {"child-z-2024.yml": minimal()})
    refused = server.push("First")
    assert refused.returncode != 0
    assert "remote: The push was refused: publishing is not set up on this server" in refused.stderr
    assert server.main() == "" and not (server.serve / "current").exists()


def test_a_python_without_the_dependencies_is_refused_at_install_and_at_push(server, tmp_path):
    bare_venv = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare_venv)], check=True, timeout=120)
    python = str(bare_venv / "bin" / "python")
    install = subprocess.run(["bash", str(REPO / "publishing" / "install.sh"), "--repo", str(server.bare),
                              "--serve", str(server.serve), "--python", python], capture_output=True, text=True)
    assert install.returncode == 1
    assert install.stderr == f"{python} lacks the site's dependencies: install requirements.txt into it, or leave out --python\n"

    git("config", "briefings.python", python, cwd=server.bare, env=server.env)
    small_project(server.clone, {"child-z-2024.yml": minimal()})
    refused = server.push("First")
    assert f"remote: The server's Python ({python}) lacks mkdocs, material" in refused.stderr
    assert "remote: The push was refused: nothing was published and the site is unchanged." in refused.stderr
    assert server.main() == ""


def test_push_to_published_time_for_the_example_site(server, capsys):
    """Not a timed test: it prints the figure for the report (run with -s)."""
    for name in ("briefings", "generator", "theme", "docs"):
        shutil.copytree(REPO / name, server.clone / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", server.clone / "mkdocs.yml")
    git("add", "--all", cwd=server.clone, env=server.env)
    git("commit", "--quiet", "-m", "The example site", cwd=server.clone, env=server.env)
    started = time.perf_counter()
    pushed = git("push", "origin", "HEAD:main", cwd=server.clone, env=server.env, check=False)
    seconds = time.perf_counter() - started
    assert pushed.returncode == 0, pushed.stderr
    assert (server.serve / "current" / "reviews" / "patricia-2020" / "index.html").exists()
    with capsys.disabled():
        print(f"\n[benchmark] git push to published, example site (10 reviews): {seconds:.1f} s")

    # An urgent withdrawal pushed by a second officer while the first officer's push is building.
    other = server.another_clone("officer2")
    with open(server.clone / "briefings" / "patricia-2020.yml", "a") as review:
        review.write("# an ordinary edit\n")
    busy = server.push_in_background("An ordinary edit", server.clone)
    server.wait_for_a_build()
    alan = other / "briefings" / "alan-2023.yml"
    alan.write_text(alan.read_text().replace("status: published", "status: withdrawn", 1))
    started = time.perf_counter()
    withdrawal, attempts = server.push("Withdraw Alan: court order", other), 1
    while withdrawal.returncode and attempts < 3:  # the other push reached main first: pull, push again
        git("pull", "--quiet", "--rebase", "origin", "main", cwd=other, env=server.env)
        withdrawal = git("push", "origin", "HEAD:main", cwd=other, env=server.env, check=False)
        attempts += 1
    seconds = time.perf_counter() - started
    busy.communicate(timeout=300)
    assert withdrawal.returncode == 0, withdrawal.stderr
    assert not (server.serve / "current" / "reviews" / "alan-2023").exists()
    with capsys.disabled():
        print(f"[benchmark] urgent withdrawal published while another push builds, example site: {seconds:.1f} s "
              f"({attempts} push{'es' if attempts > 1 else ''}; the other push {'was' if busy.returncode == 0 else 'was not'} accepted)")


# -- removed content never comes back ----------------------------------------------------------

NAME = "Jordan Smithson"


def with_name(text: str) -> str:
    return text.replace("Child Z lived with her mother.", f"Child Z lived with {NAME}.")


def test_a_redaction_with_the_denylist_deletes_every_build_that_holds_the_name(server):
    small_project(server.clone, {"child-z-2024.yml": with_name(minimal())})
    assert server.push("With the name").returncode == 0
    assert server.files_containing(NAME)
    (server.clone / "briefings" / "child-z-2024.yml").write_text(minimal())
    assert run_cli(server.clone, "deny", NAME).returncode == 0
    redacted = server.push("Redact the name and denylist it")
    assert redacted.returncode == 0, redacted.stderr
    assert server.files_containing(NAME) == []  # no older build, no cached PDF
    assert not (server.serve / "previous").exists()
    refused = server.publish_py("rollback")
    assert refused.returncode == 1 and "there is no earlier build to go back to" in refused.stderr


def test_rollback_is_refused_when_the_earlier_build_fails_todays_denylist(server, tmp_path):
    small_project(server.clone, {"child-z-2024.yml": with_name(minimal())})
    assert server.push("With the name").returncode == 0
    (server.clone / "briefings" / "child-z-2024.yml").write_text(minimal())
    assert server.push("Redact the name").returncode == 0
    before = server.served()
    assert (server.serve / "previous").exists()  # nothing told the server the name is identifying
    private = tmp_path / "private-denylist.txt"
    private.write_text(f"{NAME}\n")
    git("config", "briefings.denylistFile", str(private), cwd=server.bare, env=server.env)

    refused = server.publish_py("rollback")
    assert refused.returncode == 1
    assert "fails today's checks, so it was deleted and the site still shows the current build" in refused.stderr
    assert "briefings/child-z-2024.yml:13: background: contains a term on the denylist" in refused.stderr
    assert NAME not in refused.stderr + refused.stdout
    assert server.served() == before
    assert server.files_containing(NAME) == []


def test_rollback_is_refused_for_a_review_withdrawn_since(server):
    """The branch withdrew a review after the current build was made (here by moving the branch
    without the hooks, as an administrator's repair might): rollback still refuses to show it."""
    small_project(server.clone, {"child-z-2024.yml": minimal(), "child-w-2024.yml": minimal(id="child-w-2024")})
    assert server.push("Two reviews").returncode == 0
    (server.clone / "briefings" / "child-z-2024.yml").write_text(minimal().replace("Things went wrong.", "Revised."))
    assert server.push("Edit Z").returncode == 0
    (server.clone / "briefings" / "child-w-2024.yml").write_text(minimal(id="child-w-2024", status="withdrawn"))
    withdrawn = server.commit("Withdraw W")
    git("fetch", "--quiet", str(server.clone), f"{withdrawn}:refs/heads/main", cwd=server.bare, env=server.env)
    assert server.main() == withdrawn
    refused = server.publish_py("rollback")
    assert refused.returncode == 1
    assert "child-w-2024 is withdrawn now" in refused.stderr, refused.stderr


# -- only the newest accepted commit is ever served ------------------------------------------------

def test_a_withdrawal_pushed_while_the_daily_rebuild_waits_is_what_gets_served(server, tmp_path):
    small_project(server.clone, {"child-z-2024.yml": minimal(), "child-w-2024.yml": minimal(id="child-w-2024")})
    assert server.push("Two reviews").returncode == 0
    before_withdrawal = server.main()
    log = tmp_path / "rebuild.log"
    with open(server.serve / ".lock", "w") as lock, open(log, "w") as output:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another publication is switching: the rebuild must wait
        rebuild = subprocess.Popen([sys.executable, str(server.bare / "hooks" / "publish.py"), "rebuild", str(server.bare)],
                                   env=server.env, stdout=output, stderr=output, text=True)
        wait_for(lambda: "Waiting for another publication" in log.read_text())
        (server.clone / "briefings" / "child-w-2024.yml").write_text(minimal(id="child-w-2024", status="withdrawn"))
        withdrawal = server.push_in_background("Withdraw Child W: court order", server.clone)
        server.wait_for_main(git("rev-parse", "HEAD", cwd=server.clone, env=server.env).stdout.strip())
        fcntl.flock(lock, fcntl.LOCK_UN)
        assert rebuild.wait(timeout=300) == 0, log.read_text()
    pushed = withdrawal.communicate(timeout=300)[1]
    assert withdrawal.returncode == 0, pushed
    rebuilt = log.read_text()
    assert f"Published commit {before_withdrawal[:7]}" not in rebuilt
    assert f"Published commit {server.main()[:7]}" in rebuilt
    assert not (server.serve / "current" / "reviews" / "child-w-2024").exists()
    assert server.files_containing("child-w-2024") == []
    assert f"(commit {server.main()[:7]})" in server.publish_py("status").stdout.splitlines()[0]


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_push_git_rejects_after_its_build_leaves_nothing_that_could_be_served(server):
    small_project(server.clone, {"child-z-2024.yml": minimal()})
    assert server.push("First").returncode == 0
    before, first, caches = server.served(), server.main(), server.caches()
    (server.clone / "briefings" / "child-z-2024.yml").write_text(minimal().replace("Things went wrong.", "Never accepted."))
    ref_lock = server.bare / "refs" / "heads" / "main.lock"
    ref_lock.write_text("")  # git cannot move the branch: as when another push holds it
    try:
        rejected = server.push("Rejected by git")
    finally:
        ref_lock.unlink()
    assert rejected.returncode != 0
    assert "cannot lock ref 'refs/heads/main'" in rejected.stderr, rejected.stderr
    # the sweep after the push deletes the refused build, then its copy of the caches
    wait_for(lambda: server.leftovers() == [] and not any((server.serve / ".cache-pending").iterdir()), seconds=30)
    assert server.main() == first and server.served() == before
    assert server.files_containing("Never accepted.") == []
    assert server.caches() == caches  # the build's own copy went with it
    again = git("push", "origin", "HEAD:main", cwd=server.clone, env=server.env, check=False)
    assert again.returncode == 0, again.stderr
    assert "Never accepted." in (server.serve / "current" / "reviews" / "child-z-2024" / "index.html").read_text()


def two_edits(server: Server) -> Path:
    """Child Z and Child W published; officer one edits Z, officer two (a second clone) edits W."""
    assert server.push("Two reviews").returncode == 0
    other = server.another_clone("work2")
    (server.clone / "briefings" / "child-z-2024.yml").write_text(minimal().replace("Things went wrong.", "Edit one."))
    (other / "briefings" / "child-w-2024.yml").write_text(minimal(id="child-w-2024").replace("Things went wrong.", "Edit two."))
    return other


def test_two_pushes_at_once_publish_one_and_leave_nothing_behind(server):
    small_project(server.clone, {"child-z-2024.yml": minimal(), "child-w-2024.yml": minimal(id="child-w-2024")})
    other = two_edits(server)
    pushes = [server.push_in_background("One", server.clone), server.push_in_background("Two", other)]
    results = [(p.communicate(timeout=300)[1], p.returncode) for p in pushes]
    assert sorted(code == 0 for _, code in results) == [False, True], results
    loser = next(err for err, code in results if code)
    # Refused by the hook once the other push had moved main, or by git before the hook runs (the
    # loser's clone already saw the other commit); never after a build of its own.
    assert "reached 'main' first" in loser and "git pull --rebase" in loser or "fetch first" in loser, loser
    assert "Checking and building" not in loser, loser
    wait_for(lambda: server.leftovers() == [], seconds=30)
    assert f"(commit {server.main()[:7]})" in server.publish_py("status").stdout.splitlines()[0]
    winner = "Edit one." if results[0][1] == 0 else "Edit two."
    assert server.files_containing("Edit one.") + server.files_containing("Edit two.") == server.files_containing(winner)


# -- embargoes are decided in UK time ---------------------------------------------------------------

def test_an_embargo_ends_on_the_uk_date_whatever_the_servers_time_zone(server):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    london = datetime.now(ZoneInfo("Europe/London")).date()
    zone = "Pacific/Kiritimati"  # UTC+14: from 10:00 UK time (winter) it is already tomorrow there
    if datetime.now(ZoneInfo(zone)).date() == london:
        zone = "Pacific/Pago_Pago"  # UTC-11: before 11:00 UK time it is still yesterday there
    there = datetime.now(ZoneInfo(zone)).date()
    published = there if there > london else london  # live there but not in the UK, or the other way
    small_project(server.clone, {"child-z-2024.yml": minimal(),
                                 "child-e-2026.yml": minimal(id="child-e-2026", published=published.isoformat())})
    pushed = server.push("An embargo ending today somewhere", env={"TZ": zone})
    assert pushed.returncode == 0, pushed.stderr
    page = server.serve / "current" / "reviews" / "child-e-2026" / "index.html"
    assert page.exists() == (published <= london), (zone, published, london)
    rebuilt = server.publish_py("rebuild", server.bare, env={"TZ": zone})
    assert rebuilt.returncode == 0 and page.exists() == (published <= london)


# -- a push cannot run code on the server -------------------------------------------------------

def test_a_push_adding_a_hook_to_mkdocs_yml_is_refused_and_never_runs(server, tmp_path):
    small_project(server.clone, {"child-z-2024.yml": minimal()})
    assert server.push("First").returncode == 0
    published, marker = server.main(), tmp_path / "evil-ran"
    (server.clone / "evil_hook.py").write_text(
        "from pathlib import Path\n"
        f"Path({str(server.bare / 'hooks' / 'pre-receive')!r}).write_text('#!/bin/sh\\nexit 0\\n')\n"
        f"Path({str(marker)!r}).write_text('ran')\n")
    config = server.clone / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - generator/adapter/mkdocs_hook.py\n", "  - generator/adapter/mkdocs_hook.py\n  - evil_hook.py\n"))
    assert "evil_hook.py" in config.read_text()  # the hook really is added
    refused = server.push("Add a hook")
    assert refused.returncode != 0
    assert "remote: The push was refused: it changes code or site configuration: mkdocs.yml." in refused.stderr
    assert "remote: run code on the server. Only the server's administrator changes that copy, by installing a new" in refused.stderr
    assert not marker.exists() and server.main() == published
    assert hooks_state(server.bare) == server.hooks


def test_a_push_changing_the_generator_is_refused(server):
    small_project(server.clone, {"child-z-2024.yml": minimal()})
    assert server.push("First").returncode == 0
    published = server.main()
    cli = server.clone / "generator" / "cli.py"
    cli.write_text(cli.read_text() + "\nimport os\nos.system('touch /tmp/evil')\n")
    (server.clone / "generator" / "evil.py").write_text("print('evil')\n")
    refused = server.push("Change the generator")
    assert refused.returncode != 0
    assert "it changes code or site configuration: generator/cli.py, generator/evil.py." in refused.stderr
    assert server.main() == published and hooks_state(server.bare) == server.hooks
    git("reset", "--quiet", "--hard", "HEAD~1", cwd=server.clone, env=server.env)  # the same code as the server's
    (server.clone / "briefings" / "child-z-2024.yml").write_text(minimal().replace("Things went wrong.", "Revised."))
    assert server.push("Content only").returncode == 0


def test_a_symlink_in_the_content_is_refused(server):
    small_project(server.clone, {"child-z-2024.yml": minimal()})
    (server.clone / "docs" / "secret.md").symlink_to(server.bare / "config")
    refused = server.push("A link")
    assert refused.returncode != 0
    assert "remote: The push was refused: docs/secret.md: a link (symlink or submodule) is not accepted" in refused.stderr
    assert server.main() == ""


HOSTILE = '''\
# Test only: the installed generator itself misbehaves (as if content had found a flaw in it).
import socket, sys, time
from pathlib import Path
for target in {targets!r}:
    try:
        Path(target).write_text("escaped")
        print("escaped:", target, file=sys.stderr)
    except OSError as exc:
        print("contained:", target, type(exc).__name__, file=sys.stderr)
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    print("network: reached the server", file=sys.stderr)
except OSError:
    print("network: none", file=sys.stderr)
if Path("briefings/_hang.yml").exists():
    time.sleep(3600)
'''


def server_whose_generator_starts_with(tmp_path: Path, prelude: str) -> Server:
    """A server installed from a release whose generator runs `prelude` first on every build. The
    officer's clone holds content only (Child Z and Child W): no code in this repository."""
    release = tmp_path / "release"
    for name in ("generator", "theme", "publishing", "docs", "tools"):
        shutil.copytree(REPO / name, release / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "requirements.txt", "pyproject.toml"):
        shutil.copy(REPO / name, release / name)
    main = release / "generator" / "__main__.py"
    main.write_text(prelude + main.read_text())
    (tmp_path / "server").mkdir()
    server = Server(tmp_path / "server", project=release)
    make_project(server.clone, {"child-z-2024.yml": minimal(), "child-w-2024.yml": minimal(id="child-w-2024")})
    shutil.copytree(REPO / "docs", server.clone / "docs")
    return server


@pytest.fixture
def hostile_server(tmp_path):
    """A server whose installed generator tries to break out on every build, then builds."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    root = tmp_path / "server"
    targets = [str(root / "briefings.git" / "hooks" / "pre-receive"), str(root / "briefings.git" / "hooks" / "evil"),
               str(root / "briefings.git" / "installed" / "generator" / "evil.py"), str(root / "www" / "evil.html"),
               str(root / "home" / "evil"), str(tmp_path / "evil"), "/project/generator/evil.py",
               "/project/briefings/evil.yml"]
    server = server_whose_generator_starts_with(tmp_path, HOSTILE.format(targets=targets, port=listener.getsockname()[1]))
    server.targets = [t for t in targets if not t.startswith("/project/")]
    yield server
    listener.close()


def test_a_build_that_tries_to_write_outside_its_folder_is_contained(hostile_server):
    server = hostile_server
    pushed = server.push("Content only")
    assert pushed.returncode == 0, pushed.stderr
    assert "escaped:" not in pushed.stderr
    assert pushed.stderr.count("remote: contained:") == 8
    assert "remote: network: none" in pushed.stderr
    assert [t for t in server.targets if Path(t).exists() and Path(t).read_text() == "escaped"] == []
    assert hooks_state(server.bare) == server.hooks
    assert (server.serve / "current" / "reviews" / "child-w-2024" / "index.html").exists()


def test_an_urgent_withdrawal_is_published_while_another_push_hangs(hostile_server, capsys):
    server = hostile_server
    assert server.push("Two reviews").returncode == 0
    git("config", "briefings.buildSeconds", "30", cwd=server.bare, env=server.env)
    # The withdrawal waits its turn behind the hanging push only this long, then is built beside
    # it: shorter than the hang's 30 s, so the withdrawal is published while the other still hangs.
    git("config", "briefings.waitSeconds", "3", cwd=server.bare, env=server.env)
    server.hooks = hooks_state(server.bare)  # the administrator's settings; no push may change them
    other = server.another_clone("officer2")
    (server.clone / "briefings" / "_hang.yml").write_text("hang: true\n")
    hanging = server.push_in_background("A push that hangs", server.clone)
    server.wait_for_a_build()
    (other / "briefings" / "child-w-2024.yml").write_text(minimal(id="child-w-2024", status="withdrawn"))
    started = time.perf_counter()
    withdrawal = server.push("Withdraw Child W: court order", other)
    seconds = time.perf_counter() - started
    assert withdrawal.returncode == 0, withdrawal.stderr
    assert "This push waits its turn (up to 3 seconds)" in withdrawal.stderr, withdrawal.stderr
    assert "remote: Still waiting after 3 seconds: this push is checked now, beside the other one" in withdrawal.stderr
    assert hanging.poll() is None  # still building: the withdrawal did not wait for it
    assert not (server.serve / "current" / "reviews" / "child-w-2024").exists()
    refused = hanging.communicate(timeout=300)[1]
    assert hanging.returncode != 0
    assert "remote: The build took longer than 30 seconds and was stopped." in refused
    wait_for(lambda: server.leftovers() == [], seconds=30)
    assert hooks_state(server.bare) == server.hooks
    with capsys.disabled():
        print(f"\n[benchmark] urgent withdrawal published while another push hangs: {seconds:.1f} s")


# -- two pushes at once: each waits its turn --------------------------------------------------------

PAUSE = """\
# Test only: a build waits here while the test holds builds (a file beside this one in the installed copy).
import time
from pathlib import Path
while Path(__file__).with_name("_paused").exists():
    time.sleep(0.1)
"""


@pytest.fixture
def paused_server(tmp_path):
    """A server whose builds the test can hold at their start, so that a second push surely
    arrives while the first is being built."""
    return server_whose_generator_starts_with(tmp_path, PAUSE)


@contextmanager
def builds_held(server: Server) -> Iterator[None]:
    paused = server.bare / "installed" / "generator" / "_paused"  # the build sees it, read-only
    paused.write_text("")
    try:
        yield
    finally:
        paused.unlink()


def test_a_push_that_arrives_while_another_is_built_waits_then_is_refused_without_a_build(paused_server):
    """Officer two pushes while officer one's push is being built: it waits its turn, and as one's
    push moved main it is refused at once, with no build. After `git pull --rebase` it is pushed
    again and the site shows both edits."""
    server, log = paused_server, paused_server.root / "two.log"
    other = two_edits(server)
    with builds_held(server):
        first = server.push_in_background("One", server.clone)
        server.wait_for_a_build()
        second = server.push_in_background("Two", other, log=log)
        wait_for(lambda: "waits its turn" in log.read_text())
    assert first.wait(timeout=300) == 0, first.communicate()[1]
    assert second.wait(timeout=300) != 0
    refused, one = log.read_text(), server.main()
    assert (f"remote: Another push (commit {one[:7]}) is being built. This push waits its turn (up to 120 seconds) "
            "and is checked next.") in refused, refused
    assert (f"remote: Another push (commit {one[:7]}) reached 'main' first. Your commit is still in your clone: "
            "add the other push to it (git pull --rebase), then push again.") in refused, refused
    assert "remote: The push was refused: nothing was published and the site is unchanged." in refused
    assert "Checking and building" not in refused and "Fix each problem" not in refused, refused
    wait_for(lambda: server.leftovers() == [], seconds=30)
    assert len(server.releases()) == 2 and server.releases()[-1].endswith(one)  # none of officer two's commit

    git("pull", "--quiet", "--rebase", "origin", "main", cwd=other, env=server.env)
    again = git("push", "origin", "HEAD:main", cwd=other, env=server.env, check=False)
    assert again.returncode == 0, again.stderr
    two = git("rev-parse", "HEAD", cwd=other, env=server.env).stdout.strip()
    assert "waits its turn" not in again.stderr and f"remote: Published commit {two[:7]}" in again.stderr
    assert server.main() == two and f"(commit {two[:7]})" in server.publish_py("status").stdout.splitlines()[0]
    reviews = server.serve / "current" / "reviews"
    assert "Edit one." in (reviews / "child-z-2024" / "index.html").read_text(encoding="utf-8")
    assert "Edit two." in (reviews / "child-w-2024" / "index.html").read_text(encoding="utf-8")


def test_a_push_waiting_behind_one_that_is_refused_is_built_and_published(paused_server):
    server, log = paused_server, paused_server.root / "two.log"
    other = two_edits(server)
    (server.clone / "briefings" / "child-z-2024.yml").write_text(minimal().replace("type: lcspr", "type: nonsense"))
    with builds_held(server):
        bad = server.push_in_background("A broken edit", server.clone)
        server.wait_for_a_build()
        waiting = server.push_in_background("Two", other, log=log)
        wait_for(lambda: "waits its turn" in log.read_text())
    refused = bad.communicate(timeout=300)[1]
    assert bad.returncode != 0 and "remote: briefings/child-z-2024.yml:4: type: found 'nonsense'" in refused, refused
    assert waiting.wait(timeout=300) == 0, log.read_text()
    broken = git("rev-parse", "HEAD", cwd=server.clone, env=server.env).stdout.strip()
    two = git("rev-parse", "HEAD", cwd=other, env=server.env).stdout.strip()
    built = log.read_text()
    assert f"remote: Another push (commit {broken[:7]}) is being built. This push waits its turn" in built, built
    assert f"remote: Published commit {two[:7]}" in built and server.main() == two
    assert "Edit two." in (server.serve / "current" / "reviews" / "child-w-2024" / "index.html").read_text(encoding="utf-8")
    wait_for(lambda: server.leftovers() == [], seconds=30)


def test_the_sandbox_limits_memory_and_time(tmp_path):
    sys.path.insert(0, str(REPO / "publishing"))
    import publish_sandbox as sandbox

    for name in ("content/briefings", "content/docs", "out/cache"):
        (tmp_path / name).mkdir(parents=True)

    def run(code: str, limits) -> tuple:
        cmd = sandbox.command(REPO, tmp_path / "content", tmp_path / "out", [sys.executable, "-c", code])
        with open(tmp_path / "stderr", "w") as errors:
            started = time.monotonic()
            outcome = sandbox.run(cmd, limits, stderr=errors)
        return outcome, time.monotonic() - started, (tmp_path / "stderr").read_text()

    outcome, _, errors = run("x = bytearray(2 * 1024 ** 3)", sandbox.Limits(seconds=60, memory_mb=1024))
    assert outcome.returncode != 0 and "MemoryError" in errors
    outcome, seconds, _ = run("import subprocess; subprocess.run(['sleep', '600'])", sandbox.Limits(seconds=3))
    assert outcome.timed_out and not outcome.ok and seconds < 30
    outcome, _, errors = run("open('/project/out/fine', 'w').write('ok'); open('/project/generator/x', 'w')", sandbox.Limits())
    assert (tmp_path / "out" / "fine").read_text() == "ok" and "Read-only file system" in errors
    (tmp_path / "out" / "cache" / "kept.html").write_text("kept")
    outcome, _, errors = run("import os; os.mkdir('/project/out/site'); "
                             "os.link('/project/.cache/kept.html', '/project/out/site/index.html')", sandbox.Limits())
    assert outcome.ok, errors  # the caches and the site are one mount: a kept file is linked in, not copied
    assert _inode(tmp_path / "out" / "site" / "index.html") == _inode(tmp_path / "out" / "cache" / "kept.html")
