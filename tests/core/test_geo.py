"""The one distance function (``core.geo``): known distances, and no silent clamp."""

import math

import numpy as np
import pytest

from immersio.core import geo

PARIS = (48.85661, 2.35222)  # Hôtel de Ville
LYON = (45.76404, 4.83566)  # place Bellecour
MARSEILLE = (43.29648, 5.36978)  # Vieux-Port
BREST = (48.39040, -4.48608)


@pytest.mark.parametrize(
    "origin, destination, expected",
    [
        (PARIS, LYON, 391.5),  # the usual « 392 km » as the crow flies
        (PARIS, MARSEILLE, 660.5),
        (PARIS, BREST, 505.0),
        (LYON, LYON, 0.0),
    ],
)
def test_known_distances(origin, destination, expected):
    assert geo.distance_km(origin, destination) == pytest.approx(expected, abs=0.5)
    assert geo.distance_km(destination, origin) == geo.distance_km(origin, destination)


def test_one_degree_of_meridian_and_half_the_earth():
    # On the mean sphere a degree of latitude is 2πR / 360, half a turn is πR.
    assert geo.distance_km((0, 0), (1, 0)) == pytest.approx(
        2 * math.pi * geo.EARTH_RADIUS_KM / 360, abs=1e-6
    )
    assert geo.distance_km((0, 0), (0, 180)) == pytest.approx(
        math.pi * geo.EARTH_RADIUS_KM, abs=1e-6
    )
    assert geo.distance_km((90, 0), (-90, 0)) == pytest.approx(
        math.pi * geo.EARTH_RADIUS_KM, abs=1e-6
    )


def test_vectorised_equals_one_by_one():
    latitudes = np.array([LYON[0], MARSEILLE[0], BREST[0]])
    longitudes = np.array([LYON[1], MARSEILLE[1], BREST[1]])
    many = geo.haversine_km(*PARIS, latitudes, longitudes)
    assert many.tolist() == [
        geo.distance_km(PARIS, (lat, lon)) for lat, lon in zip(latitudes, longitudes, strict=True)
    ]


@pytest.mark.parametrize(
    "point", [(91, 0), (-90.5, 0), (0, 181), (0, -200), (math.nan, 0), (0, math.inf)]
)
def test_coordinates_out_of_range_are_errors_not_clamped(point):
    with pytest.raises(ValueError):
        geo.distance_km(PARIS, point)
    with pytest.raises(ValueError):
        geo.distance_km(point, PARIS)
    with pytest.raises(ValueError):
        geo.bounding_box(*point, 10)


def test_bounding_box_needs_a_real_radius():
    with pytest.raises(ValueError):
        geo.bounding_box(*LYON, -1)
    with pytest.raises(ValueError):
        geo.bounding_box(*LYON, math.nan)


def test_bounding_box_near_a_pole_has_no_longitude_bounds():
    # The old board filter clamped cos(latitude) to 0.01 and silently missed posts there.
    _, lat_max, lon_min, lon_max = geo.bounding_box(89.99, 0, 30)
    assert (lon_min, lon_max) == (None, None)
    assert lat_max == 90.0
