"""Test-only URLs: the conventions router mounted on its own API at the real path.

The project's API (immersio/api/urls.py) mounts the same router; django-ninja allows a
router in several APIs, so both work side by side.
"""

from django.urls import path
from ninja import NinjaAPI

api = NinjaAPI(title="API Immersio (tests conventions)", urls_namespace="conventions_test_api")
api.add_router("/conventions/", "immersio.conventions.api.router")

urlpatterns = [path("api/v1/", api.urls)]
