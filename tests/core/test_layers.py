"""Apps talk through services, selectors and hooks (DEVELOPERS.md, « Layers »).

``lint-imports`` (``make quality``) holds the contracts of ``pyproject.toml``; these tests
prove that it breaks on each kind of forbidden import, on a copy of the code, and check
what it cannot see: a private name imported from another app.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "immersio"


def _lint_imports(project: Path) -> subprocess.CompletedProcess:
    pytest.importorskip("importlinter", reason="import-linter comes with requirements-dev.txt")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy(tmp_path: Path) -> Path:
    """The Python files of the package and the contracts, in a folder of their own."""

    def not_python(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if not n.endswith(".py") and not Path(folder, n).is_dir()]

    shutil.copytree(PACKAGE, tmp_path / "immersio", ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract(tmp_path):
    result = _lint_imports(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # A lower app importing a higher one (core knows nothing of the requests).
        ("core/models.py", "from immersio.contacts import rules", "Apps: a lower app"),
        # A cycle hidden inside a function is still an import.
        (
            "structures/services.py",
            "def f():\n    from immersio.directory import indexing\n",
            "Apps: a lower app",
        ),
        # Another app's views.
        ("conventions/services.py", "from immersio.structures import views", "Only structures"),
        # Inside an app, models never import services.
        ("structures/models.py", "from immersio.structures import services", "Inside an app"),
    ],
)
def test_a_forbidden_import_breaks_the_gate(tmp_path, module, line, contract):
    project = _copy(tmp_path)
    path = project / "immersio" / module
    path.write_text(path.read_text() + "\n" + line + "\n")
    result = _lint_imports(project)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.startswith(contract)]
    assert broken and any("BROKEN" in row for row in broken), result.stdout


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "immersio" else None


def test_no_app_imports_a_private_name_of_another():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        here = path.relative_to(PACKAGE).parts[0]
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            there = _app(node.module)
            if there is None or there == here:
                continue
            private = [a.name for a in node.names if a.name.startswith("_")]
            if private or any(part.startswith("_") for part in node.module.split(".")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.module} {private}")
    assert found == []


def test_higher_apps_fill_the_hooks_of_lower_ones():
    from immersio.accounts.hooks import landing_pages
    from immersio.directory import hooks as directory
    from immersio.structures.hooks import structures_changed

    # A structure's member who also works in an agency lands in the structure's space.
    assert [key for key, _ in landing_pages.items()] == ["structures", "agencies"]
    assert [key for key, _ in structures_changed.items()] == ["directory"]
    assert [key for key, _ in directory.structure_page_context.items()] == ["contacts", "events"]
    assert [key for key, _ in directory.no_result_links.items()] == ["contacts"]


def test_a_hook_runs_its_entries_in_order_and_replaces_a_key_registered_again():
    from immersio.core.hooks import Hook

    hook: Hook[str] = Hook("essai")
    hook.register("a", "premier")
    hook.register("b", "second")
    hook.register("a", "remplacé")
    assert list(hook) == ["remplacé", "second"]


def test_ruff_requires_annotations_in_selectors_only(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    untyped = "def count(structure, now=None):\n    return 0\n"
    for module in ("selectors.py", "views.py"):
        path = tmp_path / "immersio" / "someapp" / module
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(untyped)
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    flagged = {line.split(":")[0] for line in result.stdout.splitlines() if " ANN" in line}
    assert flagged == {str(Path("immersio", "someapp", "selectors.py"))}, result.stdout
