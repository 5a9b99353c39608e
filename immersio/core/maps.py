"""The map of the pages that show places (structures, agencies): its tiles and their
attribution, from the settings (``MAP_TILE_URL``, ``MAP_TILE_ATTRIBUTION``), the same on
every page. The map itself is ``templates/directory/includes/map_*.html``."""

from django.conf import settings

DEFAULT_ATTRIBUTION = "© les contributrices et contributeurs d'OpenStreetMap"


def map_settings() -> dict:
    return {
        "tiles": getattr(settings, "MAP_TILE_URL", ""),
        "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", DEFAULT_ATTRIBUTION),
    }
