"""Middleware of the whole site."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy``: the browser features no page of the site uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
