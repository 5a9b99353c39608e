from django.conf import settings


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

    def _member_of(self, model_path: str) -> bool:
        if not getattr(self._user, "is_authenticated", False):
            return False
        from django.apps import apps

        model = apps.get_model(model_path)
        return model.objects.for_user(self._user).exists()

    @property
    def structure(self) -> bool:
        return self._member_of("structures.StructureMembership")

    @property
    def agency(self) -> bool:
        return self._member_of("agencies.AgencyMembership")
