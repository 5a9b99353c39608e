"""``select_for_update()`` with ``select_related`` locks the joined rows too, and
PostgreSQL refuses it outright when a join is nullable (« FOR UPDATE cannot be applied to
the nullable side of an outer join »). SQLite ignores row locks, so only the PostgreSQL
run would tell. Every lock on a query that joins says which table it locks (``of=``)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "immersio"


def _chain_calls(node: ast.AST) -> set[str]:
    """The method names called along a query expression (``a.b().c().d()``)."""
    names = set()
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            names.add(node.func.attr)
            node = node.func.value
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            node = node.func
    return names


def test_every_lock_with_a_join_names_its_table():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            calls = _chain_calls(node)
            if "select_for_update" not in calls or "select_related" not in calls:
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr == "select_for_update"
                    and not any(keyword.arg == "of" for keyword in inner.keywords)
                ):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{inner.lineno}")
    assert sorted(set(offenders)) == []
