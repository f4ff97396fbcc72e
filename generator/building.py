"""Build the site with MkDocs into a fresh folder, then swap it in: a failed build leaves the
last good site/ untouched."""
from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from . import last_gate


class BuildFailed(Exception):
    pass


def _logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_briefings", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler._briefings = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def build(root: Path, site_dir: Path | None = None, verbose: bool = False) -> Path:
    """Run MkDocs for root/mkdocs.yml; replace site_dir only when the build succeeded."""
    _logging(verbose)
    target = (site_dir or root / "site").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.new-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(fresh))
        mkdocs_build(config)
        last_gate.check(root, fresh)  # every file to publish, against the denylist and detectors: a hit stops the swap
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise BuildFailed(str(exc) or "MkDocs stopped the build") from None
    except jinja2.TemplateError as exc:  # a mistake in theme/ or generator/templates, not in the briefings
        shutil.rmtree(fresh, ignore_errors=True)
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "filename", None) else ""
        raise BuildFailed(f"{where}a page template has an error: {exc.message or exc}") from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    _swap(fresh, target)
    return target


def _swap(fresh: Path, target: Path) -> None:
    """Two renames: the old site is replaced in one step, never half-written."""
    fresh.chmod(0o755)
    old = target.parent / f".{target.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
