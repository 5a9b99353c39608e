"""Extension points of the directory, filled by higher apps in their ``AppConfig.ready()``."""

from collections.abc import Callable

from immersio.core.hooks import Hook
from immersio.structures.models import HostStructure

#: Extra variables of a structure's public page (the requests app adds its answer
#: statistics); each function returns a dict merged into the context.
structure_page_context: Hook[Callable[[HostStructure], dict]] = Hook(
    "fiche publique d'une structure"
)

#: Further links proposed under a search without result (the requests app proposes its
#: board of immersion requests); each function returns a list of {label, detail, url}.
no_result_links: Hook[Callable[[], list[dict]]] = Hook("liens proposés sans résultat")

#: Further sections of a structure's public page (the testimonies that name it): each
#: function returns None or {"template": …, **context}; the template reads ``section``.
#: Keep each cheap: one query.
structure_page_sections: Hook[Callable[[HostStructure], dict | None]] = Hook(
    "sections de la fiche publique d'une structure"
)

#: Further sections beside the results of a search (testimonies for the same métier or
#: cause): ``function(query) -> None | {"template": …, **context}`` with the search's
#: ``directory.search.SearchQuery``; one query per page.
search_page_sections: Hook[Callable[[object], dict | None]] = Hook(
    "sections à côté des résultats de recherche"
)
