"""Refusals a person can act on, with a French ``message``. Each organisation kind
derives its own base from ``TeamError`` (``StructureError``, ``AgencyError``) so its
views catch one family."""


class TeamError(Exception):
    """A change refused for a reason the person can understand (``message``, French)."""

    message = "Cette opération n'est pas possible."

    def __init__(self, message: str | None = None):
        if message:
            self.message = message
        super().__init__(self.message)


class LinkInvalid(TeamError):
    message = "Ce lien n'est plus valable : il a expiré ou il est incomplet."


class LinkAlreadyUsed(TeamError):
    message = "Ce lien a déjà été utilisé."


class AlreadyMember(TeamError):
    message = "Cette personne fait déjà partie de l'équipe."


class NotMember(TeamError):
    message = "Cette personne ne fait pas partie de l'équipe."


class LastAdminError(TeamError):
    """The team would lose its last administrator; the message is the kind's."""
