"""An agency as a marker of the map (the agency directory, « Est-ce pour moi ? »)."""

from django.urls import reverse

from .models import Agency


def agency_marker(agency: Agency, distance: float | None = None) -> dict:
    return {
        "name": agency.name,
        "lat": agency.latitude,
        "lon": agency.longitude,
        "commune": agency.commune.name,
        "distance": round(distance, 1) if distance is not None else None,
        "url": reverse("agencies:detail", kwargs={"public_id": agency.public_id}),
    }
