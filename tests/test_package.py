"""The package's structure: no import cycle, models never import the validation references, small modules."""

import ast
from pathlib import Path

import pytest

import multirat

SRC = Path(multirat.__file__).parent
MODULES = {".".join(("multirat", *p.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__"): p
           for p in SRC.rglob("*.py")}
#: The paper's models: they never import the independent references that validate them.
MODEL_MODULES = ("multirat.channel", "multirat.link", "multirat.interference", "multirat.units",
                 "multirat.topology", "multirat.scheduling", "multirat.env")


def _imports(module: str, path: Path) -> set[str]:
    """Every multirat module imported anywhere in ``path`` (module level and inside functions)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found.update(n for n in names if n in MODULES and n != module)
    return found


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _cycle(graph):
    """One import cycle as a list of modules, or None (depth-first search)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt.startswith(node + "."):          # a package importing its own submodule is not a cycle
                continue
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_import_cycle_in_multirat():
    assert GRAPH["multirat.baselines"], "the import graph must see imports"
    assert _cycle(GRAPH) is None, f"import cycle: {' -> '.join(_cycle(GRAPH))}"


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_models_never_import_the_references(module):
    assert not {m for m in GRAPH[module] if m.startswith("multirat.reference")}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_500_lines(module):
    n = len(MODULES[module].read_text().splitlines())
    assert n <= 500, f"{module} has {n} lines; split it by topic"


def test_the_result_store_knows_nothing_of_policies_or_experiments():
    assert not GRAPH["multirat.results"] - {"multirat.paths", "multirat.store_location"}
    assert not GRAPH["multirat.store_location"] - {"multirat.paths"}
