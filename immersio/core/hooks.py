"""Extension points: how a lower app calls code of a higher one without importing it.

Apps are layered (see DEVELOPERS.md, « Layers »): a lower app never imports a higher one.
When a lower app needs something only a higher app knows (the directory must reindex a
structure that changed, the privacy page states a duration the requests app enforces),
the lower app declares a ``Hook`` and the higher app registers its function in its
``AppConfig.ready()``. Entries run in registration order, that is ``INSTALLED_APPS``
order.
"""

from collections.abc import Callable, Iterator


class Hook[T]:
    """A named list of entries (usually functions) that higher apps fill."""

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose
        self._entries: dict[str, T] = {}

    def register(self, key: str, entry: T) -> None:
        """Add ``entry`` under ``key`` (an app label); registering a key again replaces it,
        so that ``ready()`` stays idempotent."""
        self._entries[key] = entry

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries.values()))

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def __repr__(self) -> str:
        return f"<Hook {self.purpose!r}: {', '.join(self._entries) or 'vide'}>"


#: The durations the « Données personnelles » page states, each registered by the app whose
#: code enforces it (template variable name → function returning the number).
privacy_durations: Hook[Callable[[], int]] = Hook("durées de conservation de la page vie privée")
