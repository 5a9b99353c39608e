from functools import cached_property

from django.conf import settings
from django.urls import reverse


def platform(request):
    return {
        "platform_name": settings.PLATFORM_NAME,
        "help_email": settings.HELP_EMAIL,
        "operator": settings.OPERATOR,
        "spaces": _Spaces(getattr(request, "user", None)),
    }


class _Spaces:
    """Which team spaces the navigation offers; queried only when a template asks."""

    def __init__(self, user):
        self._user = user

    def _holds(self, model_path: str) -> bool:
        """Whether the person has a row of ``model_path`` (its manager's ``for_user``)."""
        if not getattr(self._user, "is_authenticated", False):
            return False
        from django.apps import apps

        model = apps.get_model(model_path)
        return model.objects.for_user(self._user).exists()

    @property
    def structure(self) -> bool:
        return self._holds("structures.StructureMembership")

    @property
    def agency(self) -> bool:
        return self._holds("agencies.AgencyMembership")

    @property
    def resource_person(self) -> bool:
        return self._holds("resource_people.ResourceProfile")

    @cached_property
    def links(self) -> list[dict]:
        """Every space of the person, in one order: the « Mon espace » menu and the
        account page (its fallback without JavaScript) both list these. ``menu_only``:
        the account page itself, and « Mes données », which it presents in a section of
        its own."""
        user = self._user
        if not getattr(user, "is_authenticated", False):
            return []
        found = [
            ("Mes demandes d'immersion", "contacts:mine"),
            ("Mes conventions", "conventions:mine"),
            ("Mes entretiens-métier", "resource_people:mine"),
        ]
        if self.resource_person:
            found.append(("Mon profil de personne-ressource", "resource_people:my_profile"))
        found.append(("Mes témoignages", "testimonies:mine"))
        if self.structure:
            found.append(("Mon espace structure", "structures:space"))
        if self.agency:
            found += [
                ("Mon espace prescripteur", "agencies:space"),
                ("Conventions à suivre", "conventions:review_list"),
            ]
        if user.is_staff:
            found += [
                ("Statistiques", "contacts:staff_stats"),
                ("E-mails de la plateforme", "notifications:email_list"),
                ("Effet des relances", "conventions:reminder_effect"),
                ("Profils à relire", "resource_people:review_queue"),
                ("Événements à relire", "events:review_queue"),
                ("Témoignages à relire", "testimonies:queue"),
                ("Interface de gestion", "admin:index"),
            ]
        found += [("Mon compte", "accounts:profile"), ("Mes données", "privacy:my_data")]
        return [
            {
                "label": label,
                "url": reverse(name),
                "menu_only": name in {"accounts:profile", "privacy:my_data"},
            }
            for label, name in found
        ]
