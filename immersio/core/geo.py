"""Distances on the Earth: the one distance function of the project.

Every distance Immersio shows or filters on (the directory search, the nearest agencies,
the public board of requests) is a great-circle distance on the mean Earth sphere
(IUGG radius, 6 371.0088 km), by the haversine formula:

    a = sin²(Δφ / 2) + cos φ₀ · cos φ · sin²(Δλ / 2)
    d = 2 R · asin(√a)

``haversine_km`` computes it from one point to many at once (numpy), ``distance_km``
between two points. ``bounding_box`` gives the latitude and longitude bounds of a circle,
for a first cut in SQL before the exact distance.

Coordinates are WGS 84 degrees. A latitude outside [-90, 90], a longitude outside
[-180, 180] or a value that is not a finite number is an error (``ValueError``), never
silently clamped: it is a bug upstream, not a place.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
# The box is a superset of the circle, whatever the rounding.
BBOX_MARGIN_DEG = 1e-6


def _check_coordinates(latitudes: ArrayLike, longitudes: ArrayLike) -> None:
    """``ValueError`` unless every latitude is in [-90, 90] and every longitude in
    [-180, 180] (NaN and infinities fail both comparisons)."""
    latitudes = np.asarray(latitudes, dtype=np.float64)
    longitudes = np.asarray(longitudes, dtype=np.float64)
    if not (np.all(np.abs(latitudes) <= 90) and np.all(np.abs(longitudes) <= 180)):
        raise ValueError(
            "Coordinates out of range: latitudes must lie in [-90, 90] and longitudes in "
            "[-180, 180] (finite WGS 84 degrees)."
        )


def haversine_km(
    lat0: float, lon0: float, latitudes: np.ndarray, longitudes: np.ndarray
) -> np.ndarray:
    """Great-circle distances (km) from (``lat0``, ``lon0``) to each of the points
    (``latitudes[i]``, ``longitudes[i]``), rounded to a tenth of a millimetre.

    The rounding makes equal places give equal distances whatever the vector lane numpy
    computed them in, so ties are broken the same way everywhere. Raises ``ValueError``
    for coordinates out of range (see the module)."""
    _check_coordinates(lat0, lon0)
    _check_coordinates(latitudes, longitudes)
    phi0 = math.radians(lat0)
    phi = np.radians(latitudes)
    half_dphi = (phi - phi0) * 0.5
    half_dlambda = np.radians(np.asarray(longitudes, dtype=np.float64) - lon0) * 0.5
    a = np.sin(half_dphi) ** 2 + math.cos(phi0) * np.cos(phi) * np.sin(half_dlambda) ** 2
    # ``a`` is at most 1 in exact arithmetic; the minimum only absorbs the rounding of the
    # line above for antipodal points (never more than a few ulps).
    distances = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return np.round(distances, 7)


def distance_km(origin: tuple[float, float], destination: tuple[float, float]) -> float:
    """The great-circle distance (km) between two (latitude, longitude) points."""
    [distance] = haversine_km(
        origin[0], origin[1], np.array([destination[0]]), np.array([destination[1]])
    )
    return float(distance)


def bounding_box(
    lat: float, lon: float, radius_km: float
) -> tuple[float, float, float | None, float | None]:
    """(lat_min, lat_max, lon_min, lon_max) of every point within ``radius_km`` of
    (``lat``, ``lon``); the longitudes are None when the circle reaches a pole or crosses
    the antimeridian (no longitude bound then: the caller filters on latitude only)."""
    _check_coordinates(lat, lon)
    if not (math.isfinite(radius_km) and radius_km >= 0):
        raise ValueError("The radius must be a finite, non-negative number of kilometres.")
    angle = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(angle) + BBOX_MARGIN_DEG
    lat_min, lat_max = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    if lat_min <= -90 or lat_max >= 90 or math.sin(angle) >= math.cos(math.radians(lat)):
        return lat_min, lat_max, None, None
    dlon = math.degrees(math.asin(math.sin(angle) / math.cos(math.radians(lat))))
    dlon += BBOX_MARGIN_DEG
    if lon - dlon < -180 or lon + dlon > 180:
        return lat_min, lat_max, None, None
    return lat_min, lat_max, lon - dlon, lon + dlon
