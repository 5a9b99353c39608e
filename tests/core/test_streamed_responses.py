"""A test reads a streamed response (a PDF, a ZIP) to its end and lets the test client
close it. Closing it again by hand sends ``request_finished`` a second time, which closes
the database connection: harmless on SQLite, « the connection is closed » on PostgreSQL,
so the test fails only in CI's second run."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def test_no_test_closes_a_response_itself():
    offenders = []
    for path in TESTS.rglob("*.py"):
        if "browser" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "close"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"response", "again", "page", "download"}
            ):
                offenders.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert offenders == []
