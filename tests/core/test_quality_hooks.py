"""The pre-commit hooks run what `make quality` runs, with the project's own tools."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# A check of `make quality` → what its hook's entry must contain.
CHECKS = {
    "ruff format --check": ".venv/bin/ruff format --check",
    "ruff check": ".venv/bin/ruff check",
    "djlint immersio --lint": ".venv/bin/djlint --lint",
    "makemigrations --check --dry-run": "manage.py makemigrations --check --dry-run",
    "check --deploy --fail-level WARNING": "manage.py check --deploy --fail-level WARNING",
    "lint-imports": ".venv/bin/lint-imports",
}


def quality_recipe() -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return makefile.split("\nquality:", 1)[1].split("\n\n", 1)[0]


def test_every_check_of_make_quality_has_a_local_hook():
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    recipe = quality_recipe()
    entries = " ".join(config.split())
    for check, entry in CHECKS.items():
        if check in recipe or check == "lint-imports":
            assert entry in entries, f"no pre-commit hook runs « {check} »"
    # Local hooks only: nothing to download when committing.
    assert re.findall(r"^\s*- repo: (\S+)", config, flags=re.MULTILINE) == ["local"]
    assert set(re.findall(r"language: (\S+)", config)) == {"system"}
