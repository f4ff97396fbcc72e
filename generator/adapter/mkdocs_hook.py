"""MkDocs hook: lets plain `mkdocs build` and `mkdocs serve` run the generator.

mkdocs.yml lists this file under `hooks:`. The generated pages are added as virtual files, so
nothing is written into the docs folder, and `mkdocs serve` rebuilds when briefings/ changes.

The work and all its state are in one object, generator.adapter.plugin.BriefingsPlugin; this file
only hands MkDocs its events. MkDocs loads this file by path, possibly more than once in a process
(plugin.py says why), so it keeps nothing itself: every copy points to the same object.
"""
from __future__ import annotations

import sys
from pathlib import Path

# MkDocs loads a hook as a lone file, so make the generator package importable.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from generator.adapter.plugin import briefings_plugin  # noqa: E402

_plugin = briefings_plugin()
on_startup = _plugin.on_startup
on_shutdown = _plugin.on_shutdown
on_serve = _plugin.on_serve
on_config = _plugin.on_config
on_files = _plugin.on_files
on_page_markdown = _plugin.on_page_markdown
on_page_content = _plugin.on_page_content
on_post_page = _plugin.on_post_page
on_post_build = _plugin.on_post_build
