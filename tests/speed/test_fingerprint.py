"""The code's fingerprint: what makes output is in it, the developers' tools are not."""
import ast
from pathlib import Path

from generator.speed import fingerprint

GENERATOR = Path(fingerprint.__file__).resolve().parents[1]


def test_no_module_that_makes_output_imports_the_developers_tools():
    importers = []
    for path in GENERATOR.rglob("*.py"):
        if path.relative_to(GENERATOR).parts[0] in fingerprint.NOT_OUTPUT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "generator.dev" or n.startswith("generator.dev.") for n in names):
                importers.append(path.name)
    assert importers == []


def test_a_tool_is_left_out_of_the_tree_and_a_template_is_not(tmp_path):
    (tmp_path / "dev").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "dev" / "bench.py").write_text("x = 1\n")
    (tmp_path / "templates" / "page.md.j2").write_text("# Page\n")
    before = fingerprint.digest(*fingerprint.tree(tmp_path, leaving_out=("dev",)))
    (tmp_path / "dev" / "bench.py").write_text("x = 2\n")
    assert fingerprint.digest(*fingerprint.tree(tmp_path, leaving_out=("dev",))) == before
    (tmp_path / "templates" / "page.md.j2").write_text("# Another page\n")
    assert fingerprint.digest(*fingerprint.tree(tmp_path, leaving_out=("dev",))) != before
