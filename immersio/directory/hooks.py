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
