"""The package's architecture, read from its imports: a folder per concept, imports that
run one way (from the wire up to the plugin and the suite), no circles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "conformance"
# From the wire up; a module may import its own layer and those below it.
LAYERS = ("endpoint", "service", "guards", "invariants", "modes", "report", "plugin", "suite")
SUITES = {"suite", "replay"}  # what pytest collects: the suite, and its replay counterpart
ENTRY_POINTS = {"__init__", "__main__", "command", "publish", "catalog"}  # above the suite


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The conformance modules ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "conformance"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*here[: len(here) - node.level + 1], *filter(None, [base])])
            if base.split(".")[0] != "conformance":
                continue
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}  # `from pkg import module`
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in ENTRY_POINTS):
        return "entry"
    return "suite" if parts[1] in SUITES else parts[1]


def test_imports_run_one_way() -> None:
    upward = []
    for module, imported in _graph().items():
        layer = _layer(module)
        if layer not in LAYERS:
            continue  # the reference endpoint and the examples: checked below
        for other in imported:
            other_layer = _layer(other)
            if other_layer == "entry" or (
                other_layer in LAYERS and LAYERS.index(other_layer) > LAYERS.index(layer)
            ):
                upward.append(f"{module} -> {other}")
    assert not upward, "imports that run upward:\n" + "\n".join(sorted(upward))


def test_no_circles() -> None:
    graph = _graph()
    # a package's __init__ importing its own modules is no circle of concepts
    edges = {m: {i for i in deps if not m.startswith(i + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not circles, "circular imports:\n" + "\n".join(circles)


def test_the_suite_talks_to_targets_only_through_public_packages() -> None:
    """No plugin module, no reference internals: the suite gets its context from
    fixtures, and meets the reference over HTTP like any endpoint."""
    bad = [
        f"{module} -> {other}"
        for module, imported in _graph().items()
        if _layer(module) == "suite"
        for other in imported
        if other.split(".")[1] in ("plugin", "reference")
    ]
    assert not bad, "\n".join(bad)


def test_the_reference_endpoint_stands_apart() -> None:
    """The reference may share the wire's and the model's helpers, nothing that judges."""
    allowed = {"reference", "endpoint", "service"}
    bad = [
        f"{module} -> {other}"
        for module, imported in _graph().items()
        if module.startswith("conformance.reference")
        for other in imported
        if other.split(".")[1] not in allowed
    ]
    assert not bad, "\n".join(bad)


def test_few_modules_at_the_top() -> None:
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert set(top) <= ENTRY_POINTS, top


def test_an_unrelated_pytest_run_imports_nothing_heavy(tmp_path: Path) -> None:
    """The pytest11 entry point declares options only: a run that does not ask for the
    suite never imports botocore, the model or the run's hooks through it."""
    (tmp_path / "test_one.py").write_text("def test_one():\n    assert True\n")
    test = str(tmp_path / "test_one.py")
    probe = (
        "import sys, pytest\n"
        f"code = pytest.main(['-q', '-p', 'no:cacheprovider', {test!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('conformance.plugin.run', "
        "'conformance.endpoint', 'conformance.report', 'strategies')))\n"
        "print('HEAVY', heavy)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "HEAVY []" in done.stdout, done.stdout
