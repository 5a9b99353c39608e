"""Reading project source in tests that check what people read (no prose built in
Python, no number written next to a unit)."""

import ast


def docstring_ids(tree: ast.AST) -> set[int]:
    """The ``id()`` of every docstring constant in ``tree`` (module, classes, functions)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found
