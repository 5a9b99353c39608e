"""What higher apps add to the pages of conventions (``core.hooks``)."""

from immersio.core.hooks import Hook

#: ``function(request, convention) -> str``: a section (HTML) of the prescriber's page.
review_panels: Hook = Hook("sections de la page d'examen d'une convention")
#: ``function(user, conventions) -> {convention pk: [(label, url)]}``: links of « Mes
#: conventions », one query for the whole page.
mine_links: Hook = Hook("liens des lignes de « Mes conventions »")
