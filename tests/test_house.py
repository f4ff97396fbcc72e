"""The shape of the house, read from the code's own imports with ast: no import circles, no
import of the generator's own modules inside a function (the way a circle is hidden), and every
stage importing only the stages below it. And the tests: they mirror the generator's packages and
reach none of its private names."""
from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from conftest import REPO, TESTS

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


# --- the tests ---------------------------------------------------------------------------------

# Test folders that mirror no generator package, and what each holds instead.
NOT_A_PACKAGE = {
    "browser": "Chromium, axe-core and the Nu HTML Checker on the built site",
    "end_to_end": "whole sites built, as readers get them",
    "publishing": "publishing/, the hosted pipelines and the pre-commit hook",
    "theme": "theme/'s scripts, run with Node",
}
DATA = {"golden", "hostile", "yaml_mistakes"}  # files the tests read, no test in them


def test_the_tests_mirror_the_generator():
    """tests/<package>/ for each generator/<package>/, tests/test_<module>.py for each top-level
    module, and nothing else but the folders named above and the shared helpers."""
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders - packages - NOT_A_PACKAGE.keys() - DATA == set(), "name the folder after a generator package"
    assert packages - folders == set(), "each generator package has a tests folder"
    top = {p.stem.removeprefix("test_") for p in TESTS.glob("test_*.py")}
    assert top - modules - {"house"} == set(), "a top-level test file is named after a top-level module"
    for name in folders - DATA:  # a package each, so two folders may hold test files of one name
        assert (TESTS / name / "__init__.py").is_file(), name
    for name in DATA:
        assert not list((TESTS / name).rglob("*.py")), name


def _root(node: ast.expr) -> ast.expr:
    """The name an expression such as a.b(c)[0].d starts from."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def reaches_in(source: str) -> list[str]:
    """Each place a test uses a private name of the generator: imported from it, read from a name
    bound to it (a module, a class, or what one of them made), or patched on one."""
    tree = ast.parse(source)
    bound, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.split(".")[0] == "generator"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "generator" and not node.level:
            bound |= {a.asname or a.name for a in node.names}
            found += [f"{node.lineno}: from {node.module} import {a.name}" for a in node.names if _private(a.name)]
    # What a bound name made is bound too: filters = TextFilters(...), or a fixture that returns it.
    made = [(t.id, n.value) for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
            if isinstance(t, ast.Name)]
    made += [(f.name, n.value) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
             and any("fixture" in ast.unparse(d) for d in f.decorator_list)
             for n in ast.walk(f) if isinstance(n, (ast.Return, ast.Yield)) and n.value is not None]
    while grown := {name for name, value in made if isinstance(_root(value), ast.Name)
                    and _root(value).id in bound} - bound:
        bound |= grown
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            root = _root(node.value)
            if isinstance(root, ast.Name) and root.id in bound:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
            name, root = node.args[1].value, _root(node.args[0])
            if isinstance(name, str) and _private(name) and isinstance(root, ast.Name) and root.id in bound:
                found.append(f"{node.lineno}: {ast.unparse(node.func)}(..., {name!r})")  # monkeypatch.setattr
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            path = node.args[0].value  # monkeypatch.setattr("generator.x._y", ...)
            if isinstance(path, str) and path.startswith("generator.") and any(map(_private, path.split("."))):
                found.append(f"{node.lineno}: {path}")
    return found


def test_no_test_reaches_into_a_private_name_of_the_generator():
    """Tests use what the rest of the code may use, so a change inside a module breaks no test
    that its behaviour does not break."""
    found = [f"{path.relative_to(REPO)}:{place}" for path in sorted(TESTS.rglob("*.py"))
             for place in reaches_in(path.read_text(encoding="utf-8"))]
    assert found == [], "\n".join(found)


def test_the_test_finds_each_way_of_reaching_in():
    source = """
import generator.pages.environment
from generator.speed import parallel
from generator.pages.environment import TextFilters, _relpath
from generator.output import building as b
import pptx

filters = TextFilters(())
again = filters
@pytest.fixture
def made():
    return TextFilters(())
generator.pages.environment._escape("x")
parallel._SHARED.clear()
filters._md.reset()
again._expand("x")
monkeypatch.setattr(b, "_run_mkdocs", None)
monkeypatch.setattr("generator.output.building._run_mkdocs", None)
pptx.Presentation()._element, filters.__class__, parallel.shared, self._own
made._MARKUP
"""
    found = sorted(int(place.split(":")[0]) for place in reaches_in(source))
    assert found == [4, 13, 14, 15, 16, 17, 18, 20], reaches_in(source)
