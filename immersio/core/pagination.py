"""Pagination of every list page: one helper and one template.

A view calls ``paginate(request, rows, label=…)`` and gives the result to the template,
which loops over it and includes ``core/includes/pagination.html``. The links keep the
other parameters of the query string (a filter, a search) and change only ``page``. A
page number out of range or not a number shows the nearest page, never an error.

A list whose pages are computed elsewhere (the directory's search engine) builds the same
links with ``page_of``, so every list shows the same navigation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

#: Rows per page of a list (« Mes demandes », « Mes conventions », inboxes, the board…).
PER_PAGE = 50
PARAM = "page"


@dataclass(frozen=True)
class PageLink:
    """A link to a page, or a gap (``number`` is None) between distant pages."""

    number: int | None
    url: str = ""
    current: bool = False

    @property
    def gap(self) -> bool:
        return self.number is None


@dataclass(frozen=True)
class Pagination:
    """One page of a list, with what the template needs to show the other pages."""

    rows: Sequence[Any]
    number: int
    pages: int
    count: int
    label: str
    links: list[PageLink]
    previous_url: str
    next_url: str

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def page_of(
    *,
    rows: Sequence[Any],
    number: int,
    pages: int,
    count: int,
    url_for: Callable[[int], str],
    label: str,
) -> Pagination:
    """A page whose rows are already chosen, with links to the first page, the last one
    and two on each side of ``number``, and gaps between them."""
    shown = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    links: list[PageLink] = []
    previous = 0
    for shown_number in shown:
        if shown_number - previous > 1:
            links.append(PageLink(number=None))
        links.append(
            PageLink(number=shown_number, url=url_for(shown_number), current=shown_number == number)
        )
        previous = shown_number
    return Pagination(
        rows=rows,
        number=number,
        pages=pages,
        count=count,
        label=label,
        links=links,
        previous_url=url_for(number - 1) if number > 1 else "",
        next_url=url_for(number + 1) if number < pages else "",
    )


def paginate(
    request: HttpRequest,
    rows: Sequence[Any],
    *,
    label: str,
    per_page: int = PER_PAGE,
    param: str = PARAM,
) -> Pagination:
    """The page of ``rows`` (an ordered queryset or a list) asked for by ``?page=``.

    ``label`` names the navigation for assistive technologies (« Pages de vos demandes »).
    """
    paginator = Paginator(rows, per_page)
    page = paginator.get_page(request.GET.get(param))

    def url_for(number: int) -> str:
        query = request.GET.copy()
        if number == 1:
            query.pop(param, None)
        else:
            query[param] = str(number)
        return f"?{query.urlencode()}" if query else request.path

    return page_of(
        rows=list(page.object_list),
        number=page.number,
        pages=paginator.num_pages,
        count=paginator.count,
        url_for=url_for,
        label=label,
    )
