"""The shared helper of the query-count tests: a list page costs the same number of SQL
queries whatever the number of rows it shows (no N+1)."""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(client, url: str) -> tuple[list[str], str]:
    """The SQL of a GET and the page's text, as a running server answers it: after one
    request that fills what the process keeps in memory (the search indexes), with the
    shared cache empty."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in context.captured_queries], response.text


def assert_flat(
    client,
    url: str,
    add_rows: Callable[[int], object],
    *,
    marker: str | None,
    rows: int = 2,
    factor: int = 3,
) -> None:
    """Render ``url`` with ``rows`` rows, then with ``rows * factor`` rows: the same number of
    queries both times. ``marker`` is a text each row shows once (it proves the rows are on
    the page; ``None`` where the page shows totals, not rows)."""
    add_rows(rows)
    small, small_html = queries_of(client, url)
    add_rows(rows * (factor - 1))
    large, large_html = queries_of(client, url)
    if marker is not None:
        shown = (small_html.count(marker), large_html.count(marker))
        assert shown[1] >= shown[0] + rows * (factor - 1), f"rows not shown: {marker!r} {shown}"
    if len(small) != len(large):
        listing = "\n".join(f"{i:3} {sql[:300]}" for i, sql in enumerate(large, 1))
        pytest.fail(
            f"{url}: {len(small)} queries with {rows} rows, {len(large)} with "
            f"{rows * factor} rows (N+1):\n{listing}",
            pytrace=False,
        )
