"""The package layout holds its rules (docs/architecture.md): each stage imports only the
stages below it, the writers never reach back to the reader or into each other, only the
PDF writer touches the engine patches, and no module imports itself in a circle.

Every import that can run counts, at the top of a module or inside a function; an import
for type checking only does not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "exporter"
CORE = "core"  # the modules at the top of the package
# The top-level modules that run the pipeline: they may import every stage.
DRIVERS = frozenset({"__init__", "__main__", "cli", "batch", "build"})
# What each stage may import besides itself; the core may import only the core.
ALLOWED: Mapping[str, frozenset[str]] = {
    CORE: frozenset(),
    "read": frozenset({"bidi", CORE}),
    "bidi": frozenset({CORE}),
    "render": frozenset({CORE}),
    "copytext": frozenset({CORE}),
    "engine": frozenset({"copytext", CORE}),
    "pdf": frozenset({"render", "copytext", "engine", CORE}),
    "epub": frozenset({"render", "bidi", CORE}),
    "web": frozenset({"render", CORE}),
    # The catalog and the bags are made from the manifest and the outputs: never from a
    # source read again, nor with a writer's code.
    "distribute": frozenset({CORE}),
    # The service and the watch loop are drivers: they run exports through the core's
    # drivers (build), show a PDF's first page (pdf/proofs) and serve the OPDS catalog
    # that distribute/ wrote, by the names it gives its files (distribute/files).
    "serve": frozenset({"pdf", "distribute", CORE}),
    "watch": frozenset({"serve", CORE}),
}
# What the drivers in packages may import of the PDF stage: only its page proofs.
DRIVER_PACKAGES_PDF = frozenset({"pdf.proofs"})
# Third-party names that only some stages may use.
ENGINE_LIBRARIES = frozenset({"weasyprint", "pydyf"})
ENGINE_USERS = frozenset({"engine", "pdf"})

Graph = dict[str, set[str]]  # module (dotted, below exporter) -> modules it imports


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts)


def _is_package(module: str) -> bool:
    return (PACKAGE / module.replace(".", "/") / "__init__.py").exists()


def _resolve(module: str, level: int, target: str | None) -> str:
    """The dotted name (below exporter) a relative import names."""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([target] if target else [])])


def _known(name: str) -> str | None:
    """``name`` or its longest prefix that is a module or package of ours."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if (PACKAGE / f"{candidate.replace('.', '/')}.py").exists() or _is_package(candidate):
            return candidate
        parts.pop()
    return None


def _run_statements(tree: ast.Module, eager_only: bool) -> Iterator[ast.AST]:
    """The statements that can run: not those under ``if TYPE_CHECKING:``; with
    ``eager_only``, only those run when the module is imported (none inside a function)."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        functions = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        if eager_only and isinstance(node, functions):
            continue
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        yield node
        pending.extend(ast.iter_child_nodes(node))


def imports_of(path: Path, eager_only: bool = False) -> Iterator[tuple[str, bool]]:
    """Each import of one of our modules in ``path``, and whether the name is third-party;
    with ``eager_only``, only the imports made when the module itself is imported."""
    module = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in _run_statements(tree, eager_only):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = _resolve(module, node.level, node.module)
            for alias in node.names:
                found = _known(f"{base}.{alias.name}") or _known(base)
                if found:
                    yield found, False
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "exporter":
                found = _known(node.module.removeprefix("exporter").lstrip("."))
                if found:
                    yield found, False
            else:
                yield node.module, True
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, alias.name.split(".")[0] != "exporter"


def import_graph(eager_only: bool = False) -> tuple[Graph, dict[str, set[str]]]:
    """Our modules and what they import of ours; and the third-party names each imports."""
    graph: Graph = {}
    libraries: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        graph[module], libraries[module] = set(), set()
        for name, third_party in imports_of(path, eager_only):
            if third_party:
                libraries[module].add(name.split(".")[0])
            elif name and name != module:
                graph[module].add(name)
    return graph, libraries


def stage_of(module: str) -> str:
    head = module.split(".")[0]
    return head if _is_package(head) else CORE


def breaches(graph: Graph) -> list[str]:
    """Every import that breaks a stage rule, as ``importer -> imported``."""
    found = []
    for module, imported in graph.items():
        stage = stage_of(module)
        if stage == CORE and module.split(".")[-1] in DRIVERS:
            continue
        for other in imported:
            other_stage = stage_of(other)
            if other_stage != stage and other_stage not in ALLOWED[stage]:
                found.append(f"{module} ({stage}) -> {other} ({other_stage})")
            elif stage == CORE and other.split(".")[-1] in DRIVERS and other != "__init__":
                found.append(f"{module} (core) -> {other} (a driver)")
    return sorted(found)


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _without_package_inits(graph: Graph) -> Graph:
    """The graph without the package ``__init__`` modules: importing ``exporter.x.y`` runs
    ``exporter/x/__init__.py`` first, which is no dependency of the module's own."""
    inits = {m for m in graph if _is_package(m) or m == "__init__"}
    return {m: {o for o in deps if o not in inits} for m, deps in graph.items() if m not in inits}


def test_every_stage_imports_only_what_its_rules_allow() -> None:
    graph, _ = import_graph()
    assert breaches(graph) == []


def test_no_module_imports_itself_in_a_circle() -> None:
    graph, _ = import_graph()
    assert cycles(_without_package_inits(graph)) == []


def test_only_the_pdf_stage_and_the_engine_use_weasyprint_or_pydyf() -> None:
    _, libraries = import_graph()
    users = {m for m, names in libraries.items() if names & ENGINE_LIBRARIES}
    assert {stage_of(m) for m in users} <= ENGINE_USERS, sorted(users)


def test_the_copy_text_code_is_pure() -> None:
    _, libraries = import_graph()
    for module, names in libraries.items():
        if stage_of(module) == "copytext":
            assert not names & (ENGINE_LIBRARIES | {"pypdfium2", "uharfbuzz"}), module


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("epub.cover", "read.resolver"),  # a writer reaching back to the reader
        ("web.writer", "pdf.printhtml"),  # a writer reaching into another
        ("read.parser", "render.coverage"),  # parsing pulling in rendering
        ("epub.writer", "engine.rtllines"),  # an engine patch outside the PDF stage
        ("options", "render.pagesetup"),  # the core importing a stage
        ("model", "build"),  # the core importing a driver
    ],
)
def test_a_broken_rule_is_caught(importer: str, imported: str) -> None:
    graph, _ = import_graph()
    graph[importer] = {*graph[importer], imported}
    assert breaches(graph) == [
        f"{importer} ({stage_of(importer)}) -> {imported} ({stage_of(imported)})"
    ] or any(imported in breach for breach in breaches(graph))


def test_the_service_takes_only_the_proofs_from_the_pdf_stage() -> None:
    graph, _ = import_graph()
    used = {
        other
        for module, imported in graph.items()
        if stage_of(module) in ("serve", "watch")
        for other in imported
        if stage_of(other) == "pdf"
    }
    assert used <= DRIVER_PACKAGES_PDF, sorted(used)


def test_a_circle_is_caught() -> None:
    graph, _ = import_graph()
    graph = _without_package_inits(graph)
    graph["options"] = {*graph["options"], "choices"}
    graph["choices"] = {*graph["choices"], "options"}
    assert ["choices", "options"] in cycles(graph)


def test_the_graph_is_read_from_the_code() -> None:
    # The rules above hold over something: the real imports, not an empty graph.
    graph, libraries = import_graph()
    assert "read.parser" in graph and "bidi.markup" in graph["read.parser"]
    assert "engine.actualtext" in graph["pdf.writer"] or any(
        m.startswith("engine") for m in graph["pdf.writer"]
    )
    assert "weasyprint" in libraries["pdf.fetcher"] | libraries["engine.libraries"]


def import_depth(graph: Graph) -> int:
    """The longest chain of imports from a module down to one that imports none of ours."""
    graph = _without_package_inits(graph)
    depth: dict[str, int] = {}

    def of(module: str, seen: frozenset[str]) -> int:
        if module not in depth:
            below = [of(m, seen | {module}) for m in graph.get(module, ()) if m not in seen]
            depth[module] = 1 + max(below, default=0)
        return depth[module]

    return max(of(m, frozenset()) for m in graph)


def test_the_import_depth_stays_shallow() -> None:
    # Counted over the imports made at import time: the chain of modules that one import
    # loads. A longer chain means a stage reaches past its rules.
    graph, _ = import_graph(eager_only=True)
    assert import_depth(graph) <= 8
