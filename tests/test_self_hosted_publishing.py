"""Self-hosted publishing end to end: a real bare repository with the hooks, a real clone, real
`git push`. A good push is published; a bad one is refused with the file:line messages and the
served folder is left exactly as it was."""
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, make_buildable, make_project, minimal

pytestmark = pytest.mark.build


def git(*args, cwd, env, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check, timeout=300)


class Server:
    """A bare repository set up by publishing/install.sh, and an officer's clone of it."""

    def __init__(self, root: Path, python: str = sys.executable):
        self.root = root
        self.bare, self.serve, self.clone = root / "briefings.git", root / "www", root / "work"
        home = root / "home"
        home.mkdir()
        (home / ".gitconfig").write_text("[user]\n\tname = Business Unit\n\temail = unit@example.org.uk\n")
        self.env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
        self.env.pop("PYTHONPATH", None)  # the hook must use the commit's own generator package
        self.installed = subprocess.run(
            ["bash", str(REPO / "publishing" / "install.sh"), "--repo", str(self.bare), "--serve", str(self.serve),
             "--python", python], env=self.env, capture_output=True, text=True, timeout=300)
        assert self.installed.returncode == 0, self.installed.stderr
        git("clone", "--quiet", str(self.bare), str(self.clone), cwd=root, env=self.env)

    def push(self, message: str) -> subprocess.CompletedProcess:
        git("add", "--all", cwd=self.clone, env=self.env)
        git("commit", "--quiet", "-m", message, cwd=self.clone, env=self.env)
        return git("push", "origin", "HEAD:main", cwd=self.clone, env=self.env, check=False)

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
