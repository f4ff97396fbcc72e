"""The progress reporter: numbered stages, and counts that stay short in a log."""
import io

from generator.progress import Progress, plural

from conftest import make_buildable, make_project, minimal, run_cli


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_stages_are_numbered_as_they_start():
    out = io.StringIO()
    progress = Progress(stages=3, stream=out)
    progress.stage("Checking 10 review files")
    progress.stage("Building the site")
    assert out.getvalue() == "[1/3] Checking 10 review files\n[2/3] Building the site\n"


def test_counts_in_a_log_print_at_each_tenth_only():
    out = io.StringIO()
    progress = Progress(stages=1, stream=out)
    for done in range(1, 101):
        progress.count("PDFs done", done, 100)
    lines = out.getvalue().splitlines()
    assert lines == [f"    PDFs done {n}/100" for n in range(10, 101, 10)]


def test_small_counts_print_every_step_and_always_the_last():
    out = io.StringIO()
    progress = Progress(stages=1, stream=out)
    for done in range(1, 4):
        progress.count("PDFs done", done, 3)
    assert out.getvalue().splitlines() == ["    PDFs done 1/3", "    PDFs done 2/3", "    PDFs done 3/3"]


def test_counts_on_a_terminal_rewrite_one_line():
    out = Terminal()
    progress = Progress(stages=1, stream=out)
    for done in range(1, 4):
        progress.count("PDFs done", done, 3)
    assert out.getvalue() == "\r    PDFs done 1/3\r    PDFs done 2/3\r    PDFs done 3/3\n"


def test_disabled_progress_prints_nothing():
    out = io.StringIO()
    progress = Progress(stages=1, stream=out, enabled=False)
    progress.stage("Building")
    progress.count("PDFs done", 1, 1)
    assert out.getvalue() == ""


def test_plural():
    assert [plural(n, "review") for n in (0, 1, 2)] == ["0 reviews", "1 review", "2 reviews"]


def test_build_shows_its_stages(tmp_path):
    project = make_buildable(make_project(tmp_path, {"child-a-2024.yml": minimal(id="child-a-2024"),
                                                   "child-b-2024.yml": minimal(id="child-b-2024", status="draft")}))
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["[1/2] Checking 2 review files",
                                              "[2/2] Building the site for 1 review with MkDocs"]
