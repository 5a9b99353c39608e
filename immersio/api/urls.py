"""The partner and front-end API, version 1 (django-ninja)."""

from ninja import NinjaAPI

from immersio.api import errors

api = NinjaAPI(
    title="API Immersio",
    version="1",
    description=(
        "API publique d'Immersio : référentiels (métiers ROME, communes) puis, au fil des "
        "versions, annuaire des structures, demandes et conventions d'immersion."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
# Every refused parameter, whoever refuses it, is one 422 shape (``errors``).
errors.install(api)
api.add_router("/referentials/", "immersio.referentials.api.router")
api.add_router("/structures/", "immersio.directory.api.router")
api.add_router("/conventions/", "immersio.conventions.api.router")
