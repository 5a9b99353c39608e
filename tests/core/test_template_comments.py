"""Django's ``{# … #}`` comments end with their line: one that spans several lines is
printed on the page as text. Multi-line comments use ``{% comment %}``."""

from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "immersio" / "templates"


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.*")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_comment_spans_lines(path):
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        start = line.find("{#")
        assert start < 0 or "#}" in line[start:], f"{path.name}:{number}: {{# … #}} on one line"
