"""The first of the month is « 1er » before its name, in templates (the ``date`` filter
every template gets) and in Python (``core.dates.format_day``)."""

from datetime import UTC, date, datetime

import pytest
from django.template import engines

from immersio.core.dates import format_day


@pytest.mark.parametrize(
    ("day", "fmt", "expected"),
    [
        (date(2026, 12, 1), "j F Y", "1er décembre 2026"),
        (date(2026, 6, 1), "l j F Y", "lundi 1er juin 2026"),
        (date(2026, 6, 2), "j F Y", "2 juin 2026"),
        (date(2026, 6, 1), "d/m/Y", "01/06/2026"),
        (date(2026, 6, 1), "j/n", "1/6"),
        (date(2026, 12, 1), None, "1er décembre 2026"),
        (date(2026, 12, 1), r"\j j F", "j 1er décembre"),
    ],
)
def test_format_day(day, fmt, expected):
    assert format_day(day, fmt) == expected


def test_the_date_filter_of_every_template_says_1er_in_paris_time():
    template = engines["django"].from_string('{{ d|date:"j F Y à H:i" }}|{{ e|date }}|{{ n|date }}')
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # already 1 December in Paris
    assert template.render({"d": late, "e": date(2027, 3, 1), "n": None}) == (
        "1er décembre 2026 à 00:30|1er mars 2027|"
    )
