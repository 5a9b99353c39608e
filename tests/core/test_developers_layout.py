"""DEVELOPERS.md's layout section names every app of the tree, and nothing that is gone."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def layout_block() -> str:
    text = (ROOT / "DEVELOPERS.md").read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


def test_layout_lists_every_app_and_only_existing_folders():
    block = layout_block()
    listed = set(re.findall(r"^immersio/([a-z_]+)/", block, flags=re.MULTILINE))
    apps = {path.parent.name for path in (ROOT / "immersio").glob("*/apps.py")}
    assert apps - listed == set(), "apps missing from DEVELOPERS.md's layout"
    assert {name for name in listed if not (ROOT / "immersio" / name).is_dir()} == set()
