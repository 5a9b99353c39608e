"""Refusals a person can act on, with a French ``message``: ``StructureError`` and its
subclasses, a family of ``teams.errors.TeamError`` (the link and team errors are the
shared ones)."""

from immersio.teams.errors import TeamError

from .models import HostStructure

LAST_ADMIN_MESSAGE = (
    "La structure doit garder au moins un administrateur : invitez-en un autre avant de "
    "retirer cette personne."
)


class StructureError(TeamError):
    """A change refused for a reason the person can understand (``message``, French)."""


class SiretInvalid(StructureError):
    pass


class SiretAlreadyRegistered(StructureError):
    def __init__(self, structure: HostStructure):
        self.structure = structure
        super().__init__(
            f"Une structure est déjà référencée avec ce SIRET : {structure.display_name}."
        )


class InvalidPause(StructureError):
    pass


class NoFreeBit(StructureError):
    message = "Les 63 positions de l'index de recherche sont toutes prises."
