"""The demo app sits outside the product: it may import any app, no app imports it."""

import ast
from pathlib import Path

import immersio

PACKAGE = Path(immersio.__file__).parent


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_product_module_imports_the_demo_app():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if PACKAGE / "demo" in path.parents:
            continue
        if any(
            name == "immersio.demo" or name.startswith("immersio.demo.")
            for name in imported_modules(path)
        ):
            offenders.append(str(path.relative_to(PACKAGE.parent)))
    assert offenders == []


def test_demo_code_left_the_product_apps():
    assert not list(PACKAGE.glob("*/demo.py"))
    assert not (PACKAGE / "directory" / "generator.py").exists()
    commands = {path.stem for path in PACKAGE.glob("*/management/commands/*.py")}
    demo_commands = {path.stem for path in PACKAGE.glob("demo/management/commands/*.py")}
    assert {"load_demo", "generate_directory"} <= demo_commands
    assert not {"load_demo", "generate_directory"} & (commands - demo_commands)
