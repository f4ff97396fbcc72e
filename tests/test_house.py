"""The shape of the house, read from the code's own imports with ast: no import circles, no
import of the generator's own modules inside a function (the way a circle is hidden), and every
stage importing only the stages below it."""
from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "generator"
# From the bottom up: a stage may import itself and the stages before it, never one after it.
STAGES = ["speed", "load", "model", "check", "site", "pages", "output", "adapter", "cli", "dev"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, node: ast.ImportFrom | ast.Import, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]


def _imports() -> dict[str, list[tuple[str, bool, int]]]:
    """module -> [(imported generator module, inside a function?, line)]."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    found: dict[str, list[tuple[str, bool, int]]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inside |= {id(child) for child in ast.walk(node) if child is not node}
        edges = []
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _resolve(name, node, path.name == "__init__.py"):
                    if target in modules and target != name:
                        edges.append((target, id(node) in inside, node.lineno))
        found[name] = edges
    return found


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 2 and parts[1] in ("__main__", "cli"):
        return "cli"
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else parts[-1]


def test_no_import_circles():
    graph = {m: {t for t, _, _ in edges} for m, edges in _imports().items()}
    circles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                circles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == [], "\n".join(" -> ".join(c) for c in circles)


def test_no_import_of_the_generator_inside_a_function():
    """Only the entry points (the command line, dev tools), which nothing imports, import lazily."""
    hidden = [f"{m}:{line} imports {t}" for m, edges in _imports().items() for t, inside, line in edges
              if inside and _stage(m) not in ("cli", "dev")]  # entry points import lazily, to start quickly
    assert hidden == [], "\n".join(hidden)


def test_every_stage_imports_only_the_stages_below_it():
    order = {stage: i for i, stage in enumerate(STAGES)}
    upward = []
    for module, edges in _imports().items():
        here = _stage(module)
        for target, _, line in edges:
            there = _stage(target)
            if here in order and there in order and order[there] > order[here]:
                upward.append(f"{module}:{line} ({here}) imports {target} ({there})")
    assert upward == [], "\n".join(upward)


def test_the_test_finds_a_circle(tmp_path, monkeypatch):
    """The circle test can fail: two modules that import each other are found."""
    package = tmp_path / "generator"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def f():\n    from .a import x\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", package)
    monkeypatch.setattr(__import__(__name__), "REPO", tmp_path)
    edges = _imports()
    assert ("generator.b", False, 1) in edges["generator.a"] and edges["generator.b"][0][1] is True


# The stages after modelling read the typed model (generator/model/types.py), never a document's
# raw data: a default or a field read there would be a second reading of the file, past its checks.
TYPED_STAGES = ("pages", "output", "adapter")


def _raw_reads(tree: ast.AST) -> list[int]:
    """The lines that read a document's data: x.data[...], x.data.get(...), x.raw[...], x.raw.get(...)."""
    def raw(node) -> bool:
        return isinstance(node, ast.Attribute) and node.attr in ("data", "raw")
    return sorted({node.lineno for node in ast.walk(tree)
                   if isinstance(node, ast.Subscript) and raw(node.value)
                   or isinstance(node, ast.Attribute) and node.attr == "get" and raw(node.value)})


def test_no_stage_after_modelling_reads_raw_data():
    found = [f"{path.relative_to(REPO)}:{line}" for stage in TYPED_STAGES
             for path in sorted((PACKAGE / stage).rglob("*.py"))
             for line in _raw_reads(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == [], "read the typed model (Review, Settings, Site) instead:\n" + "\n".join(found)


def test_the_test_finds_a_raw_read():
    tree = ast.parse("def page(doc):\n    a = doc.data['id']\n    return doc.data.get('title'), doc.raw[('id',)]\n")
    assert _raw_reads(tree) == [2, 3]


# Names the code never calls itself: a framework calls them (MkDocs' hooks, HTMLParser's and
# http.server's handlers, Jinja's bytecode cache).
CALLED_BY_A_FRAMEWORK = {"on_startup", "on_config", "on_files", "on_page_content", "on_post_page", "on_post_build",
                         "on_serve", "on_shutdown", "handle_starttag", "handle_endtag", "handle_data",
                         "log_message", "load_bytecode", "dump_bytecode"}
# Everything outside generator/ and tests/ that may call into it: the templates, the theme, the
# publishing scripts, the tools and the configuration (entry points, CI).
CALLERS = ["generator/templates/**/*", "theme/**/*", "publishing/**/*", "tools/**/*", "*.toml", "*.yml",
           "*.yaml", "Makefile", ".github/**/*.yml", ".ci/**/*"]


def _definitions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("__"):
                found.setdefault(node.name, []).append(f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def test_no_function_only_its_definition_or_the_tests_use():
    """Dead code: a function, method or class nothing but its own definition (or a test) names."""
    words = lambda text: Counter(re.findall(r"\w+", text))  # noqa: E731
    in_code = words("\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")))
    outside = words("\n".join(p.read_text(encoding="utf-8", errors="replace") for pattern in CALLERS
                              for p in REPO.glob(pattern) if p.is_file() and not p.is_symlink()))
    dead = [f"{name} ({', '.join(where)})" for name, where in sorted(_definitions().items())
            if in_code[name] <= len(where) and not outside[name] and name not in CALLED_BY_A_FRAMEWORK]
    assert dead == [], "used nowhere (a test alone does not count): remove it\n" + "\n".join(dead)
