"""How a person is named on public pages (pure functions)."""


def public_name(first_name: str, last_name: str, *, fallback: str) -> str:
    """« Prénom N. »: the first name and the last name's initial, never the whole last
    name; ``fallback`` when there is no first name (« Une personne », « Anonyme »…).
    ``last_name`` may be the initial alone."""
    first = (first_name or "").strip() or fallback
    initial = (last_name or "").strip()[:1].upper()
    return f"{first} {initial}.".strip() if initial else first
