"""Benchmark at regional and national scale: python -m generator.dev.bench make|run.

    python -m generator.dev.bench make N DIR       write N synthetic reviews (and the data files) to DIR
    python -m generator.dev.bench run [N ...]      build each size and print the figures (default 100 1000 5000)
    python -m generator.dev.bench hostile [KB ...] time `check` of one hostile file of each size (default 100 500 990)
    python -m generator.dev.bench checked DIR      time `check` of DIR's reviews: none kept, all kept, one edited

It prints figures and asserts nothing about time. Each build runs in a fresh process, so that its
peak memory is its own. Stage times come from generator.speed.stopwatch, which the MkDocs hook fills in.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.dev import corpus

# Pages that list reviews or their items, so may grow with them: the home page and each year's,
# the theme and partnership pages, the tracker's, and What's new (each month's page lists the
# reviews published that month: about 40 at 5,000 reviews over ten years). The tracker's pages
# are measured apart too: split by partnership and year, none should grow with the number of reviews.
LISTING = ("index.html", "catalogue/", "themes/", "partnerships/", "tracker/", "whats-new/")
TRACKER = "tracker/"


def is_listing(page: str) -> bool:
    """Whether a built page (its path in site/) is one of the LISTING pages."""
    return page.startswith(LISTING)


@dataclass(frozen=True)
class BuildFigures:
    validation: float
    generation: float
    mkdocs: float
    search: float
    pdf: float | None
    total: float
    cpu_total: float
    cpu_generator: float
    cpu_mkdocs: float
    output_bytes: int
    html_pages: int
    largest_ordinary: int
    largest_ordinary_page: str
    largest_listing: int
    largest_listing_page: str
    largest_tracker: int  # the largest page of the recommendations tracker
    search_index_bytes: int
    peak_memory: int  # bytes: the largest of the build's process and the programs it ran
    peak_together: int  # bytes: the most the build and every program it ran held at one moment (PSS)
    peak_build: int  # bytes: the build's own process (MkDocs and the generator)
    peak_program: int  # bytes: the largest program it ran (Pagefind, a PDF or render worker)


def measure_build(root: Path) -> BuildFigures:
    """Build root with MkDocs and the hook, as `mkdocs build` does, in this process."""
    from generator.output.building import build
    from generator.speed.stopwatch import TIMES, _cpu

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    corpus.make_buildable(root)
    wall, cpu = time.perf_counter(), _cpu()
    with MemorySampler() as memory:
        site = build(root)
    total, cpu_total = time.perf_counter() - wall, _cpu() - cpu
    stage = {name: TIMES[name] for name in TIMES}
    ours = ("validation", "generation", "search", "pdf")
    pages = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    ordinary = {k: v for k, v in pages.items() if not is_listing(k) and k != "404.html"}
    largest = max(ordinary, key=ordinary.get)
    listing = max((k for k in pages if is_listing(k)), key=pages.get)
    return BuildFigures(
        validation=stage["validation"].wall,
        generation=stage["generation"].wall,
        mkdocs=total - sum(stage[n].wall for n in ours if n in stage),
        search=stage["search"].wall,
        pdf=stage["pdf"].wall if "pdf" in stage else None,
        total=total,
        cpu_total=cpu_total,
        cpu_generator=stage["validation"].cpu + stage["generation"].cpu,
        cpu_mkdocs=cpu_total - sum(stage[n].cpu for n in ours if n in stage),
        output_bytes=sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        html_pages=len(pages),
        largest_ordinary=ordinary[largest],
        largest_ordinary_page=largest,
        largest_listing=pages[listing],
        largest_listing_page=listing,
        largest_tracker=max(v for k, v in pages.items() if k.startswith(TRACKER)),
        search_index_bytes=sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()),
        peak_memory=max(resource.getrusage(who).ru_maxrss * 1024
                        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)),
        peak_together=memory.peak,
        peak_build=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        peak_program=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    )


class OnAThread:
    """A watch that runs _run on a thread of its own from `with` to its end (_stop tells it)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


class MemorySampler(OnAThread):
    """The memory of this process and all it started (the PDF and render workers, Pagefind),
    added up twice a second. Each process's proportional set size (PSS) counts a page shared by
    several processes once in all, as a fork shares the build's memory, so the sum is what the
    machine really gives the build; ru_maxrss counts shared pages in every process."""

    def __init__(self, every: float = 0.5):
        super().__init__()
        self.every, self.peak = every, 0

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, sum(_pss(pid) for pid in _family(os.getpid())))


def _family(root: int) -> list[int]:
    """root and every process descended from it."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(parent, []).append(int(entry))
    family, todo = [], [root]
    while todo:
        pid = todo.pop()
        family.append(pid)
        todo += parents.get(pid, [])
    return family


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def measure_plain(root: Path) -> dict:
    """A plain `mkdocs build` (no hook, no search index) of the same Markdown, written to disk."""
    import yaml
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.site import load_site
    from generator.pages.site import render_site

    site = load_site(root).site
    plain = root / "plain"
    shutil.rmtree(plain, ignore_errors=True)
    shutil.copytree(corpus.REPO / "docs", plain / "docs")
    for page in render_site(site):
        target = plain / "docs" / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    config = yaml.safe_load((corpus.REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks")
    config["theme"]["custom_dir"] = str(corpus.REPO / "theme")
    config["site_name"] = site.settings.site_name
    config["extra"] = {"partnership": site.settings.partnership, "contact_email": site.settings.contact_email}
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    wall = time.perf_counter()
    mkdocs_build(load_config(str(plain / "mkdocs.yml")))
    return {"plain_mkdocs": time.perf_counter() - wall}


def measure_incremental(root: Path) -> dict:
    """What `mkdocs serve` redoes when one review file is saved: the generator's stages only."""
    from generator.output.briefing_pdf import pdf_jobs
    from generator.adapter.serve_cache import Session
    from generator.pages.render_cache import FOLDER as RENDER_CACHE
    from generator.site import load_site
    from generator.pages.site import render_site

    session = Session()
    shutil.rmtree(root / RENDER_CACHE, ignore_errors=True)  # the build measured before left its pages: start cold

    def one_pass() -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        session.documents.start_pass()
        site = load_site(root, cache=session.documents).site
        session.pdf_jobs.start_pass(site)
        pdf_jobs(site, session.pdf_jobs)  # each briefing's print HTML; the PDFs themselves are the PDF stage's
        session.store.sync(render_site(site, cache=session.rendering(root)))
        return time.perf_counter() - start, time.process_time() - cpu

    cold, _ = one_pass()
    edited = sorted((root / "briefings").glob("[!_]*.yml"))[len(session.documents.entries) // 2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("\nsummary: ", "\nsummary: Revised. ", 1), encoding="utf-8")
    warm, warm_cpu = one_pass()
    return {"cold": cold, "after_one_save": warm, "after_one_save_cpu": warm_cpu, "files_read": session.documents.loaded,
            "reviews_rendered": session.rendering(root).reviews_rendered,
            "listings_rendered": session.rendering(root).listings_rendered, "pages_rewritten": session.store.written,
            "pages": len(session.store.texts)}


def one_review_changes(root: Path) -> list[tuple[str, object]]:
    """A publication of one review edited, one added and one withdrawn, each to make in turn."""
    files = sorted((root / "briefings").glob("[!_]*.yml"))

    def edit() -> None:  # the summary (listings, the page's description) and the briefing's own text (searched)
        _replace(files[len(files) // 3], "\nsummary: ", "\nsummary: Corrected. ")
        _replace(files[len(files) // 3], "\nbackground: >-\n  ", "\nbackground: >-\n  Corrected in this edit. ")

    def add() -> None:
        corpus.add_review(root, len(files) + 7)

    def withdraw() -> None:  # the first review still published from two thirds on (a corpus measured before has withdrawn some)
        later = files[2 * len(files) // 3:]
        published = next((f for f in later if "\nstatus: published" in f.read_text(encoding="utf-8")), later[0])
        _replace(published, "\nstatus: published", "\nstatus: withdrawn")

    return [("edit", edit), ("add", add), ("withdraw", withdraw)]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{path}: no {old.strip()!r} to change")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure_warm(root: Path) -> dict:
    """`python -m generator build` of one change at a time, with the caches of the build before."""
    from generator.output.building import build
    from generator.speed.stopwatch import TIMES, _cpu

    corpus.make_buildable(root)
    figures = {}
    for name, change in one_review_changes(root):
        change()
        wall, cpu = time.perf_counter(), _cpu()
        build(root)
        figures[f"warm_{name}"] = time.perf_counter() - wall
        figures[f"warm_{name}_cpu"] = _cpu() - cpu
        figures[f"warm_{name}_stages"] = {stage: round(t.wall, 2) for stage, t in TIMES.items()}
    return figures


def measure_checked(root: Path) -> dict:
    """`python -m generator check`, each in a new process: with no checked files kept (.cache/checked/
    emptied), with every file kept, and after one review is edited."""
    shutil.rmtree(root / ".cache" / "checked", ignore_errors=True)
    figures = {"check_cold": _check_seconds(root), "check_warm": _check_seconds(root)}
    files = sorted((root / "briefings").glob("[!_]*.yml"))
    _replace(files[len(files) // 2], "\nsummary: ", "\nsummary: Checked again. ")
    figures["check_one_edit"] = _check_seconds(root)
    return figures


def _check_seconds(root: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(corpus.REPO)}
    start = time.perf_counter()
    checked = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=root, env=env,
                             capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if checked.returncode not in (0, 1):  # 1: the corpus has problems, which is no failure of the check
        raise SystemExit(f"check failed in {root}:\n{checked.stderr[-3000:]}")
    return seconds


def measure_push(root: Path, seed_cache: bool = False) -> dict:
    """Real self-hosted publishing (publishing/install.sh, a bare repository, git push) of the
    corpus, then of each one-review change: the time from `git push` to the `current` link
    switched (push_<change>: the site is live), and to `git push` returning (push_<change>_returned:
    post-receive has also deleted what the switch made obsolete, such as every older build after a
    withdrawal).

    seed_cache: the server starts with the corpus's own .cache/ (from a build of the same
    content and code), as it would after its own first push, so that the first push is not a
    cold build (an hour of PDFs at 5,000 reviews); its row is then a warm build, not a cold one."""
    sys.path.insert(0, str(corpus.REPO / "publishing"))
    import publish_sandbox

    if publish_sandbox.probe():
        return {"push": None}
    # ignore_cleanup_errors: the last push's sweep-after watcher may still be tidying the served folder
    with tempfile.TemporaryDirectory(prefix="briefings-bench-push-", ignore_cleanup_errors=True) as folder:
        work = Path(folder)
        (work / "home").mkdir()
        (work / "home" / ".gitconfig").write_text("[user]\n\tname = Bench\n\temail = bench@example.org.uk\n")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env.update(HOME=str(work / "home"), GIT_CONFIG_NOSYSTEM="1")
        subprocess.run(["bash", str(corpus.REPO / "publishing" / "install.sh"), "--repo", str(work / "repo.git"),
                        "--serve", str(work / "www"), "--python", sys.executable],
                       env=env, check=True, capture_output=True)
        if seed_cache and (root / ".cache").is_dir():
            shutil.copytree(root / ".cache", work / "www" / ".cache", copy_function=os.link, dirs_exist_ok=True)
        clone = work / "clone"
        subprocess.run(["git", "clone", "--quiet", str(work / "repo.git"), str(clone)], env=env, check=True)
        shutil.copytree(root / "briefings", clone / "briefings")
        shutil.copytree(corpus.REPO / "docs", clone / "docs")  # the same as the server's own copy
        steps = env["BRIEFINGS_STEP_TIMES"] = str(work / "steps.log")  # the hook's own steps (publish.step)
        first = "push_seeded" if seed_cache else "push_cold"
        figures = dict(zip((first, f"{first}_returned"), _push(clone, env, "The corpus", work / "www")))
        figures[f"{first}_steps"] = _steps(Path(steps))
        for name, change in one_review_changes(clone):
            change()
            live, returned = _push(clone, env, f"One review: {name}", work / "www")
            figures.update({f"push_{name}": live, f"push_{name}_returned": returned,
                            f"push_{name}_steps": _steps(Path(steps))})
        return figures


def _steps(log: Path) -> dict[str, float]:
    """The hook's step times since the last push (summed by step), and the log emptied."""
    times: dict[str, float] = {}
    for line in log.read_text(encoding="utf-8").splitlines() if log.exists() else []:
        _, *name, seconds = line.split(" ")
        times[" ".join(name)] = round(times.get(" ".join(name), 0.0) + float(seconds), 2)
    log.unlink(missing_ok=True)
    return times


def _push(clone: Path, env: dict, message: str, served: Path) -> tuple[float, float]:
    """(seconds until `current` pointed at a new build, seconds until git push returned)."""
    for args in (["add", "--all"], ["commit", "--quiet", "-m", message]):
        subprocess.run(["git", *args], cwd=clone, env=env, check=True)
    with LinkWatch(served / "current") as switched:
        start = time.perf_counter()
        pushed = subprocess.run(["git", "push", "--quiet", "origin", "HEAD:main"], cwd=clone, env=env,
                                capture_output=True, text=True)
        returned = time.perf_counter() - start
    if pushed.returncode != 0:
        raise SystemExit(f"the push was refused:\n{pushed.stderr[-3000:]}")
    if switched.at is None:
        raise SystemExit(f"the push returned but `current` still points where it did:\n{pushed.stderr[-3000:]}")
    return switched.at - start, returned


class LinkWatch(OnAThread):
    """When a symbolic link first points somewhere new, read every 10 ms on a thread of its own
    (the switch is one rename, so there is no half state to see)."""

    def __init__(self, link: Path):
        super().__init__()
        self.link, self.at = link, None
        self._before = self._target()

    def _target(self) -> str | None:
        try:
            return os.readlink(self.link)
        except OSError:
            return None

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._target() != self._before:
                self.at = time.perf_counter()
                return
            self._stop.wait(0.01)

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        if self.at is None and self._target() != self._before:  # switched in the last 10 ms
            self.at = time.perf_counter()


def measure_search(root: Path, query: str) -> dict:
    from generator.dev.search_probe import measure_search as probe, serve

    page = next(p for p in sorted((root / "site" / "reviews").iterdir()))
    with serve(root / "site") as base:
        download = probe(base, f"reviews/{page.name}/", query)
    return asdict(download)


def _child(kind: str, root: Path, *extra: str) -> dict:
    """Run one measurement in a fresh Python, so each has its own memory and caches."""
    env = {**os.environ, "PYTHONPATH": str(corpus.REPO), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "generator.dev.bench", kind, str(root), *extra],
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"{kind} failed for {root}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(sizes: list[int], work: Path, search_query: str | None) -> None:
    rows = []
    for n in sizes:
        root = work / f"n{n}"
        shutil.rmtree(root, ignore_errors=True)
        corpus.make(n, root)
        row = {"n": n, **_child("measure", root), **_child("plain", root), **_child("incremental", root)}
        row.update(_child("warm", root))  # after the cold build above, with its caches
        row.update(_child("push", root))
        row.update(_child("checked", root))
        if search_query:
            row.update(_child("search", root, search_query))
        rows.append(row)
        print(f"... {n} reviews: {json.dumps(row)}", file=sys.stderr, flush=True)  # figures so far
    print(table(rows))
    print("\n" + hostile_table(measure_hostile([100, 500, 990])))


# Inputs whose check once took time growing with the square of their size, each as the text
# that fills a review file to a given size (issue 12): `check` must stay linear in all of them.
_BASE_REVIEW = """\
id: child-z-2024
status: published
title: "Review: Child Z"
type: lcspr
partnership: Example Partnership
children:
  - pseudonym: Child Z
dates:
  published: 2024-01
summary: A short summary.
themes: [neglect]
what_happened: Things went wrong.
why_it_matters: It matters.
findings:
  - number: 1
    title: First finding
    summary: Agencies did not share what they knew.
practice_points:
  - Share what you know.
questions:
  - What would you do?
"""


def _fill(size: int, item) -> str:
    """item(1), item(2) ... joined, up to size characters."""
    parts, total = [], 0
    while total + len(item(len(parts) + 1)) <= size:
        parts.append(item(len(parts) + 1))
        total += len(parts[-1])
    return "".join(parts)


def _quoted(text: str) -> str:
    return "background: '" + text.replace("'", "''") + "'\n"


def _block(lines: str) -> str:
    return "background: |\n" + lines


HOSTILE_INPUTS = {
    "'a.' * N + ' 1' (email detector)": lambda n: _quoted("a." * (n // 2) + " 1"),
    "'[' * N (Markdown guard)": lambda n: _quoted("[" * n),
    "digits (phone and NHS numbers)": lambda n: _quoted("0123456789 " * (n // 11)),
    "a note after '#' on every line": lambda n: "background: Start.\nagencies:\n" + "  - Some agency # a note\n" * (n // 25),
    "links, one a line": lambda n: _block("  [a](https://example.org/a) and [b](#b)\n" * (n // 43)),
    "lists nested on every line": lambda n: _block("  - - - - - - text\n" * (n // 19)),
    "'[' nested in YAML": lambda n: "background: " + "[" * (n // 2) + "]" * (n // 2) + "\n",
    "learning points": lambda n: "learning:\n" + _fill(n - 10, lambda i: f"  - number: {i}\n    text: A point.\n"),
}


HOSTILE_LIMIT = 120  # seconds: a measurement still running then is stopped and printed as such


def measure_hostile(sizes_kb: list[int], limit: float = HOSTILE_LIMIT) -> list[dict]:
    """The time `check` takes on one file of each hostile input at each size, and the time the
    Markdown guard takes on its text, each in a fresh process stopped after `limit` seconds."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefings-hostile-") as work:
        for name in HOSTILE_INPUTS:
            for kb in sizes_kb:
                row = {"input": name, "kb": kb, "seconds": None, "problems": None, "guard": None}
                row.update(_hostile_child(name, kb, Path(work), limit))
                rows.append(row)
                shown = "stopped" if row["seconds"] is None else f"{row['seconds']:.2f} s"
                print(f"... {name}, {kb:,} KB: {shown}", file=sys.stderr, flush=True)
    return rows


def _hostile_child(name: str, kb: int, work: Path, limit: float) -> dict:
    """What the child printed (one JSON line a figure) before it ended or was stopped."""
    env = {**os.environ, "PYTHONPATH": str(corpus.REPO)}
    command = [sys.executable, "-m", "generator.dev.bench", "hostile-one", name, str(kb), str(work)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=limit)
        if done.returncode != 0:
            raise SystemExit(f"hostile-one failed for {name}, {kb} KB:\n{done.stderr[-3000:]}")
        printed = done.stdout
    except subprocess.TimeoutExpired as stopped:
        printed = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else (stopped.stdout or "")
    figures: dict = {}
    for line in printed.splitlines():
        if line.startswith("{") and line.endswith("}"):
            figures.update(json.loads(line))
    return figures


def measure_hostile_one(name: str, kb: int, work: Path) -> None:
    """Print the check's figures, then the guard's: a child stopped in the guard keeps the first."""
    from generator.site import load_site

    root = work / "project"
    if not (root / "briefings" / "_site.yml").exists():
        corpus.make(0, root)
    review = root / "briefings" / "child-z-2024.yml"
    review.write_text(_BASE_REVIEW + HOSTILE_INPUTS[name](kb * 1000 - len(_BASE_REVIEW)), encoding="utf-8")
    start = time.perf_counter()
    problems = load_site(root).problems
    seconds = time.perf_counter() - start
    print(json.dumps({"kb": review.stat().st_size / 1000, "seconds": seconds, "problems": len(problems)}), flush=True)
    guard = _guard_time(review)
    print(json.dumps({"guard": "n/a" if guard is None else guard}), flush=True)


def _guard_time(review: Path) -> float | None:
    """The source-level Markdown guard's time on the file's background text, where there is one."""
    from generator.pages import environment as rendering
    from generator.load.documents import load_file

    guard = getattr(rendering, "safe_markdown", None)
    doc, _ = load_file(review)
    text = doc.data.get("background") if guard and doc and isinstance(doc.data, dict) else None
    if not isinstance(text, str):
        return None
    start = time.perf_counter()
    guard(text)
    return time.perf_counter() - start


def hostile_table(rows: list[dict], limit: float = HOSTILE_LIMIT) -> str:
    def seconds(value) -> str:
        return f"over {limit:.0f} s" if value is None else f"{value:.2f} s"

    out = [f"{'one hostile file':<40}{'size':>10}{'check':>12}{'Markdown guard':>16}{'problems':>10}"]
    for r in rows:
        guard = r["guard"] if r["guard"] == "n/a" else seconds(r["guard"])
        problems = "" if r["problems"] is None else f"{r['problems']:,}"
        out.append(f"{r['input']:<40}{r['kb']:>7,.0f} KB{seconds(r['seconds']):>12}{guard:>16}{problems:>10}")
    return "\n".join(out)


def _mb(n: float) -> str:
    return f"{n / 1_000_000:,.1f} MB"


def _seconds(value) -> str:
    return "n/a (no bwrap)" if value is None else f"{value:.1f} s"


def table(rows: list[dict]) -> str:
    lines = [
        ("reviews", lambda r: f"{r['n']:,}"),
        ("validation (load, check, model)", lambda r: f"{r['validation']:.2f} s"),
        ("generation (render Markdown)", lambda r: f"{r['generation']:.2f} s"),
        ("MkDocs", lambda r: f"{r['mkdocs']:.2f} s"),
        ("search index (Pagefind)", lambda r: f"{r['search']:.2f} s"),
        ("PDF", lambda r: "n/a" if r["pdf"] is None else f"{r['pdf']:.2f} s"),
        ("total", lambda r: f"{r['total']:.2f} s"),
        ("generator / MkDocs, wall", lambda r: f"{(r['validation'] + r['generation']) / r['mkdocs']:.1%}"),
        ("generator / MkDocs, CPU", lambda r: f"{r['cpu_generator'] / r['cpu_mkdocs']:.1%}"),
        ("plain mkdocs build of the same Markdown", lambda r: f"{r['plain_mkdocs']:.2f} s"),
        ("total / plain mkdocs build", lambda r: f"{r['total'] / r['plain_mkdocs']:.2f}"),
        ("output", lambda r: _mb(r["output_bytes"])),
        ("HTML pages", lambda r: f"{r['html_pages']:,}"),
        ("bytes per page", lambda r: f"{r['output_bytes'] / r['html_pages'] / 1000:,.1f} KB"),
        ("largest ordinary page", lambda r: f"{r['largest_ordinary'] / 1000:,.1f} KB"),
        ("largest listing page", lambda r: f"{r['largest_listing'] / 1000:,.1f} KB"),
        ("largest tracker page", lambda r: f"{r['largest_tracker'] / 1000:,.1f} KB"),
        ("search index on disk", lambda r: _mb(r["search_index_bytes"])),
        ("peak memory, all the build's processes at once", lambda r: _mb(r["peak_together"])),
        ("peak memory, largest process (RSS)", lambda r: _mb(r["peak_memory"])),
        ("  the build's own process", lambda r: _mb(r["peak_build"])),
        ("  the largest program it ran", lambda r: _mb(r["peak_program"])),
        ("serve: one save, generator stages", lambda r: f"{r['after_one_save']:.2f} s"),
        ("serve: one save, generator CPU", lambda r: f"{r['after_one_save_cpu']:.2f} s"),
        ("serve: files read / reviews rendered", lambda r: f"{r['files_read']} / {r['reviews_rendered']}"),
        ("serve: listing pages rendered", lambda r: f"{r['listings_rendered']}"),
        ("serve: pages rewritten / pages", lambda r: f"{r['pages_rewritten']} / {r['pages']:,}"),
        *[(f"build, warm caches: one review {what}", lambda r, w=what: f"{r[f'warm_{w}']:.1f} s")
          for what in ("edit", "add", "withdraw")],
        ("  CPU of the edit", lambda r: f"{r['warm_edit_cpu']:.1f} s"),
        *[(f"  the edit's {stage}", lambda r, s=stage: f"{r['warm_edit_stages'].get(s, 0):.1f} s")
          for stage in ("validation", "pdf", "generation", "search", "last-gate")],
        ("check, nothing in .cache/checked", lambda r: f"{r['check_cold']:.1f} s"),
        ("check, every file in .cache/checked", lambda r: f"{r['check_warm']:.1f} s"),
        ("check after one review's edit", lambda r: f"{r['check_one_edit']:.1f} s"),
        ("push to live, self-hosted: first push", lambda r: _seconds(r.get("push_cold"))),
        *[(f"push to live: one review {what}", lambda r, w=what: _seconds(r.get(f"push_{w}")))
          for what in ("edit", "add", "withdraw")],
        *[(f"  until git push returns ({what})", lambda r, w=what: _seconds(r.get(f"push_{w}_returned")))
          for what in ("edit", "add", "withdraw")],
    ]
    if "search_bytes" in rows[0]:
        lines += [("search: page before searching", lambda r: f"{r['page_bytes'] / 1000:,.0f} KB"),
                  ("search: downloaded until first result", lambda r: f"{r['search_bytes'] / 1000:,.0f} KB"),
                  ("search: requests", lambda r: f"{r['requests']}")]
    out = [f"{label:<40}" + "".join(f"{show(r):>16}" for r in rows) for label, show in lines]
    if len(rows) > 1:
        a, b = rows[-2], rows[-1]
        out.append(f"\ngrowth {a['n']:,} -> {b['n']:,}: time x{b['total'] / a['total']:.2f}, "
                   f"output x{b['output_bytes'] / a['output_bytes']:.2f} (reviews x{b['n'] / a['n']:.0f})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.dev.bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make", help="write N synthetic reviews and the data files into DIR/briefings")
    make.add_argument("n", type=int)
    make.add_argument("dir", type=Path)
    bench = sub.add_parser("run", help="build each size and print the figures")
    bench.add_argument("sizes", type=int, nargs="*", default=[100, 1000, 5000])
    bench.add_argument("--work", type=Path, help="keep the corpora and sites here (default: a temporary folder)")
    bench.add_argument("--search", metavar="QUERY", help="also measure a search in Chromium for this query")
    hostile = sub.add_parser("hostile", help="time `check` of hostile files of each size, in kilobytes")
    hostile.add_argument("sizes", type=int, nargs="*", default=[100, 500, 990])
    one = sub.add_parser("hostile-one", help=argparse.SUPPRESS)
    one.add_argument("name")
    one.add_argument("kb", type=int)
    one.add_argument("work", type=Path)
    for kind in ("measure", "plain", "incremental", "search", "warm", "push", "checked"):
        child = sub.add_parser(kind, help=argparse.SUPPRESS)
        child.add_argument("dir", type=Path)
        if kind == "search":
            child.add_argument("query")
        if kind == "push":
            child.add_argument("--seed-cache", action="store_true", help="start the server from DIR/.cache")
    args = parser.parse_args(argv)
    if args.command == "make":
        made = corpus.make(args.n, args.dir)
        print(f"Wrote {len(made.ids):,} reviews to {args.dir / 'briefings'}.")
    elif args.command == "run":
        if args.work:
            run(args.sizes, args.work, args.search)
        else:
            with tempfile.TemporaryDirectory(prefix="briefings-bench-") as work:
                run(args.sizes, Path(work), args.search)
    elif args.command == "hostile":
        print(hostile_table(measure_hostile(args.sizes)))
    elif args.command == "hostile-one":
        measure_hostile_one(args.name, args.kb, args.work)
    elif args.command == "measure":
        print(json.dumps(asdict(measure_build(args.dir))))
    elif args.command == "plain":
        print(json.dumps(measure_plain(args.dir)))
    elif args.command == "incremental":
        print(json.dumps(measure_incremental(args.dir)))
    elif args.command == "warm":
        print(json.dumps(measure_warm(args.dir)))
    elif args.command == "push":
        print(json.dumps(measure_push(args.dir, args.seed_cache)))
    elif args.command == "checked":
        print(json.dumps(measure_checked(args.dir)))
    else:
        print(json.dumps(measure_search(args.dir, args.query)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
