"""Middleware of the whole site."""

from django.conf import settings

from .validators import has_control_characters

ADMIN_PREFIX = "/gestion/"  # config/urls.py mounts the back office there


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy``: the browser features no page of the site uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ControlCharactersMiddleware:
    """Refuses, with a French 400 page, any page request whose address (path, query
    string: the filters views read) holds a control character
    (``validators.CONTROL_CHARACTERS``): no view then has to guard its own reads, and
    PostgreSQL never sees a NUL. Submitted forms are refused field by field, with the
    error next to the field and what was typed kept (``fields.FormDefaultsMixin``); only
    the back office's forms and the few actions that read a posted value without a form
    (``RAW_POST_FIELDS``) are refused here as a whole. The API (``/api/``) refuses them
    itself, as a 422 in its own format (``validators.CleanStr``)."""

    # Posted values that views read without a form (identifiers, tokens, a staff reason).
    RAW_POST_FIELDS = (
        "action",
        "etape",
        "invitation",
        "jeton",
        "motif",
        "personne",
        "retour",
        "statut",
        "structure",
    )

    ADDRESS_MESSAGE = (
        "L’adresse de cette page contient un caractère invisible non autorisé (caractère de "
        "contrôle). Si vous l’avez copiée, recopiez-la sans ce caractère."
    )
    FORM_MESSAGE = (
        "Le formulaire envoyé contient un caractère invisible non autorisé (caractère de "
        "contrôle), souvent venu d’un copier-coller. Revenez au formulaire, retapez le texte "
        "concerné au lieu de le coller, puis envoyez-le à nouveau."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            message = self._refusal(request)
            if message:
                from .views import bad_request

                return bad_request(request, message=message)
        return self.get_response(request)

    def _refusal(self, request) -> str:
        if has_control_characters(request.path) or _any_control(request.GET):
            return self.ADDRESS_MESSAGE
        if request.method == "POST":
            if request.path.startswith(ADMIN_PREFIX) and _any_control(request.POST):
                return self.FORM_MESSAGE
            raw = [value for name in self.RAW_POST_FIELDS for value in request.POST.getlist(name)]
            if any(has_control_characters(value) for value in raw):
                return self.FORM_MESSAGE
        return ""


def _any_control(data) -> bool:
    return any(
        has_control_characters(key) or any(has_control_characters(value) for value in values)
        for key, values in data.lists()
    )
