"""Command line: python -m generator check|build."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
from collections import Counter
from pathlib import Path

from generator.model.types import REVIEW_TYPES
from generator.site import count_review_files, load_site
from generator.progress import Progress, plural
from generator.load.problems import errors, warnings


SHOWN_PER_FILE = 100  # a file with thousands of the same mistake shows the first ones and a count


def _report(problems, strict: bool) -> bool:
    """Print problems; True when they should stop the build or fail the check."""
    shown: Counter = Counter()
    for problem in problems:
        shown[problem.file] += 1
        if shown[problem.file] <= SHOWN_PER_FILE:
            print(problem, file=sys.stderr)
    for file, count in shown.items():
        if count > SHOWN_PER_FILE:
            print(f"{file}: and {count - SHOWN_PER_FILE:,} more problems in this file; correct the ones above "
                  "and check again", file=sys.stderr)
    stop = bool(errors(problems)) or (strict and bool(warnings(problems)))
    if problems:
        e, w = len(errors(problems)), len(warnings(problems))
        print(f"{e:,} error{'s' if e != 1 else ''}, {w:,} warning{'s' if w != 1 else ''}.", file=sys.stderr)
    return stop


def cmd_check(args) -> int:
    root = Path.cwd()
    files = [Path(f) for f in args.files] if args.files else None
    for f in files or []:
        if not f.exists():
            print(f"{f}: there is no such file", file=sys.stderr)
            return 2
    from generator.adapter.checked_files import CheckedStore, DocumentCache

    # the files checked before (by a check or a build) are not checked again while their bytes are the same
    result = load_site(root, only=files, overdue=True, cache=DocumentCache(CheckedStore.under(root)))
    from generator.site_schema import staleness
    stop = _report(result.problems + staleness(root), args.strict)
    if result.site:
        for held in result.site.held_back:
            print(f"{held.source}: held back, not published: {held.reason}")
        if not stop:
            n = len(result.site.reviews)
            print(f"All good: {n} review{'s' if n != 1 else ''} ready to publish.")
    return 1 if stop else 0


def cmd_new(args) -> int:
    from generator.new_review import NewReview, NewReviewError, create, site_settings

    root = Path.cwd()
    request = NewReview(args.pseudonym, args.year or dt.date.today().year, args.type, **site_settings(root))
    try:
        path = create(root / "briefings", request)
    except NewReviewError as exc:
        print(f"Nothing was created: {exc}.", file=sys.stderr)
        return 2
    from generator.site_schema import write_if_missing
    write_if_missing(root)  # the new file's first line points the editor to it
    print(f"Created {path.relative_to(root)} (status: draft). Replace the example text, then run "
          f"`python -m generator check {path.relative_to(root)}`.")
    return 0


def cmd_build(args) -> int:
    from generator.output.building import BuildBusy, BuildFailed, BuildStopped, build  # MkDocs is only needed to build
    from generator.adapter.plugin import briefings_plugin
    from generator.adapter.checked_files import CheckedStore, DocumentCache

    # Material 9.8 prints a notice about MkDocs 2.0 on every build; we pin MkDocs below 2.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = Path.cwd()
    progress = Progress(stages=2)
    progress.stage(f"Checking {plural(count_review_files(root), 'review file')}")
    checked = DocumentCache(CheckedStore.under(root))  # only files whose bytes changed since the last build are checked
    result = load_site(root, cache=checked)
    if _report(result.problems, args.strict):
        print("Nothing was built; the site is unchanged.", file=sys.stderr)
        return 1
    progress.stage(f"Building the site for {plural(len(result.site.reviews), 'review')} with MkDocs")
    plugin = briefings_plugin()
    reviews = len(result.site.reviews)
    plugin.reuse_documents_from_check(checked, result)  # the build takes the check above: the site it builds is the one checked
    del checked, result  # the build lets go of them once it has them: nothing holds them all build long
    try:
        target = build(root, Path(args.site_dir) if args.site_dir else None, args.verbose, wait=not args.no_wait)
    except BuildBusy as exc:
        print(exc, file=sys.stderr)
        return 1
    except BuildFailed as exc:
        print(f"The build failed, so the site is unchanged:\n{exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, BuildStopped) as exc:
        print("The build was stopped, so the site is unchanged.", file=sys.stderr)
        return 128 + getattr(exc, "signum", signal.SIGINT)
    finally:
        plugin.reuse_documents_from_check(None)  # a build that stopped before taking them
    print(f"Built {reviews} reviews into {target}.")
    return 0


def cmd_export(args) -> int:
    from generator.output.building import BuildFailed, BuildStopped, disk_problem
    from generator.output.exporting import ExportFailed, export

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = Path.cwd()
    result = load_site(root)  # the same checks, privacy checks and held-back rules as a build
    if _report(result.problems, args.strict):
        print("Nothing was exported.", file=sys.stderr)
        return 1
    try:
        target = export(root, result.site, Path(args.dir))
    except (ExportFailed, BuildFailed) as exc:
        print(f"Nothing was exported: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Nothing was exported: {disk_problem(exc)}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, BuildStopped) as exc:
        print("The export was stopped, so nothing was written.", file=sys.stderr)
        return 128 + getattr(exc, "signum", signal.SIGINT)
    print(f"Exported {plural(len(result.site.reviews), 'review')} into {target}. Build it there with "
          "`mkdocs build` (or properdocs build); its mkdocs.yml says how to keep the sitemap's dates.")
    return 0


def cmd_deny(args) -> int:
    from generator.check.privacy import add_to_denylist

    try:
        added = add_to_denylist(Path.cwd() / "briefings", args.term)
    except ValueError as exc:
        print(f"Not added: {exc}.", file=sys.stderr)
        return 2
    print("Added to briefings/_denylist.yml (as a hash). Commit that file; keep your own private list of terms."
          if added else "That term is already on the denylist.")
    return 0


def cmd_harvest(args) -> int:
    """Fetch the sources of briefings/_sources.yml, then check what was kept as a build would."""
    from generator.check.harvested import run_harvest

    root = Path.cwd()
    said, problems, all_fetched = run_harvest(root)
    for line in said:
        print(line)
    result = load_site(root)
    harvested = [p for p in result.problems if p.file.startswith("briefings/_harvested/")]
    _report(problems + harvested, strict=False)
    if result.site is not None:
        print(f"{plural(len(result.site.harvested), 'harvested review')} will be listed at the next build.")
    else:
        print("The site's own files have problems too: run `python -m generator check`.", file=sys.stderr)
    return 0 if all_fetched and not problems else 1


def cmd_schema(args) -> int:
    from generator.site_schema import command

    return command(Path.cwd())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator",
                                     description="Turn case review files in briefings/ into the briefing site.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check review files and report every problem")
    check.add_argument("files", nargs="*", help="files to check (default: all of briefings/)")
    check.add_argument("--strict", action="store_true", help="treat warnings as problems")
    check.set_defaults(run=cmd_check)
    new = sub.add_parser("new", help="start a new review file in briefings/ from the annotated example")
    new.add_argument("pseudonym", help="the child's published pseudonym, e.g. 'Child Y' (or the review's short name)")
    new.add_argument("--year", type=int, help="the year for the id (default: this year)")
    new.add_argument("--type", default="lcspr", choices=list(REVIEW_TYPES), help="the kind of review (default: lcspr)")
    new.set_defaults(run=cmd_new)
    build = sub.add_parser("build", help="check, then build the site into site/")
    build.add_argument("--strict", action="store_true", help="treat warnings as problems")
    build.add_argument("--site-dir", help="build into this folder instead of site/")
    build.add_argument("--verbose", action="store_true", help="show MkDocs' progress")
    build.add_argument("--no-wait", action="store_true", help="if another build of the site is running, stop at once")
    build.set_defaults(run=cmd_build)
    export = sub.add_parser("export", help="check, then write the site as a docs tree that any MkDocs-like engine builds")
    export.add_argument("dir", help="a new or empty folder (or an earlier export, which is replaced)")
    export.add_argument("--strict", action="store_true", help="treat warnings as problems")
    export.set_defaults(run=cmd_export)
    schema = sub.add_parser("schema", help="write briefings/_review.schema.json, the schema the editor uses")
    schema.set_defaults(run=cmd_schema)
    harvest = sub.add_parser("harvest", help="fetch the reviews of the sites in briefings/_sources.yml")
    harvest.set_defaults(run=cmd_harvest)
    deny = sub.add_parser("deny", help="add a real name or other identifying term to the denylist")
    deny.add_argument("term", help="the term, e.g. a child's real name, a school or a street")
    deny.set_defaults(run=cmd_deny)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    return args.run(args)
