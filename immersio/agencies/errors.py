"""Refusals a person can act on: ``AgencyError`` and its subclasses, a family of
``teams.errors.TeamError`` (the link and team errors are the shared ones)."""

from immersio.teams.errors import TeamError

LAST_ADMIN_MESSAGE = (
    "Le prescripteur doit garder au moins un administrateur : nommez-en un autre avant "
    "de retirer cette personne."
)


class AgencyError(TeamError):
    """A change refused for a reason the person can understand (``message``, French)."""


class AgencyInvalid(AgencyError):
    """The details do not make a valid agency; ``errors`` maps fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        first = next(iter(errors.values()), ["Vérifiez les informations saisies."])
        super().__init__(first[0])
