"""Layering checks of the validator package (issue 9): run from the repository root.

- z3 is imported only by lazycc/validator/smt.py;
- no module-level import cycle among lazycc.validator's modules (imports under
  `if TYPE_CHECKING:` are annotations only and not counted);
- no module imports another's private (`_name`) names;
- no function-local import of a lazycc.validator module inside the validator
  (the package's lazy entry points in __init__.py/cli.py excepted: they keep the
  driver from loading the stages).
Exit status 1 and a list of findings when a rule is broken.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "lazycc" / "validator"
LAZY_OK = {"lazycc/validator/__init__.py", "lazycc/validator/cli.py"}
# Files whose findings are warnings only (none left: the IR-layer work moved harness.py's
# function-local imports to module level).
PENDING: set[str] = set()


def modname(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(node: ast.ImportFrom, here: str, is_pkg: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = here.split(".") if is_pkg else here.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def main() -> int:
    problems: list[str] = []
    warnings: list[str] = []
    for path in sorted((ROOT / "lazycc").rglob("*.py")):
        text = path.read_text()
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(text)):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n == "z3" or n.startswith("z3.") for n in names) and rel != "lazycc/validator/smt.py":
                problems.append(f"{rel}:{node.lineno}: imports z3")
    mods = {modname(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, path in mods.items():
        tree = ast.parse(path.read_text())
        is_pkg = path.name == "__init__.py"
        rel = str(path.relative_to(ROOT))

        def top_level(stmts):
            for s in stmts:
                if isinstance(s, ast.If) and "TYPE_CHECKING" in ast.unparse(s.test):
                    continue
                if isinstance(s, (ast.If, ast.Try)):
                    yield from top_level(s.body)
                    yield from top_level(getattr(s, "orelse", []))
                    continue
                yield s

        for s in top_level(tree.body):
            if isinstance(s, ast.ImportFrom):
                target = resolve(s, m, is_pkg)
                for a in s.names:
                    sub = f"{target}.{a.name}"
                    dep = sub if sub in mods else target
                    if dep in mods and dep != m:
                        graph[m].add(dep)
                    if a.name.startswith("_") and not a.name.startswith("__") and target.startswith("lazycc."):
                        problems.append(f"{rel}:{s.lineno}: imports private name {a.name} from {target}")
            elif isinstance(s, ast.Import):
                for a in s.names:
                    if a.name in mods and a.name != m:
                        graph[m].add(a.name)
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and rel not in LAZY_OK:
                for s in ast.walk(fn):
                    if isinstance(s, ast.ImportFrom) and (resolve(s, m, is_pkg) in mods):
                        (warnings if rel in PENDING else problems).append(
                            f"{rel}:{s.lineno}: function-local import of {resolve(s, m, is_pkg)}")
    # a package imports its parent package's __init__ implicitly: ignore edges to ancestors
    for m in graph:
        graph[m] = {d for d in graph[m] if not m.startswith(d + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(u: str) -> None:
        state[u] = 1
        stack.append(u)
        for v in sorted(graph[u]):
            if state.get(v) == 1:
                problems.append("import cycle: " + " -> ".join(stack[stack.index(v):] + [v]))
            elif v not in state:
                visit(v)
        stack.pop()
        state[u] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    for p in problems:
        print(p)
    for w in warnings:
        print("warning:", w)
    print(f"{len(mods)} validator modules, {sum(len(v) for v in graph.values())} import edges, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
