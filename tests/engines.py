"""The export built by an engine other than the hook: `mkdocs build` or `properdocs build` run in
the exported folder, as someone with only the engine (and no generator) would run it."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli

BIN = Path(sys.executable).parent  # the engines' commands sit beside the venv's python


def export_example(folder: Path) -> Path:
    out = folder / "export"
    result = run_cli(REPO, "export", str(out))
    assert result.returncode == 0, result.stderr
    return out


def epoch_of(export: Path) -> str:
    """The SOURCE_DATE_EPOCH the export's mkdocs.yml names, so that the sitemap's dates are the data's."""
    return re.search(r"SOURCE_DATE_EPOCH=(\d+)", (export / "mkdocs.yml").read_text()).group(1)


def engine_build(export: Path, engine: str, site: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(SOURCE_DATE_EPOCH=epoch_of(export), NO_MKDOCS_2_WARNING="1")
    return subprocess.run([str(BIN / engine), "build", "--quiet", "--site-dir", str(site)], cwd=export,
                          env=env, capture_output=True, text=True, timeout=600)


def built_by(export: Path, engine: str, site: Path) -> Path:
    built = engine_build(export, engine, site)
    assert built.returncode == 0, built.stderr
    assert built.stderr == "", built.stderr  # strict, as the hook build is: no warning at all
    return site
