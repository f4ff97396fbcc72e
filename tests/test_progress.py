"""The progress reporter: numbered stages."""
import io

from generator.progress import Progress, plural

from conftest import make_buildable, make_project, minimal, run_cli


def test_stages_are_numbered_as_they_start():
    out = io.StringIO()
    progress = Progress(stages=3, stream=out)
    progress.stage("Checking 10 review files")
    progress.stage("Building the site")
    assert out.getvalue() == "[1/3] Checking 10 review files\n[2/3] Building the site\n"


def test_plural():
    assert [plural(n, "review") for n in (0, 1, 2)] == ["0 reviews", "1 review", "2 reviews"]


def test_build_shows_its_stages(tmp_path):
    project = make_buildable(make_project(tmp_path, {"child-a-2024.yml": minimal(id="child-a-2024"),
                                                   "child-b-2024.yml": minimal(id="child-b-2024", status="draft")}))
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["[1/2] Checking 2 review files",
                                              "[2/2] Building the site for 1 review with MkDocs"]
