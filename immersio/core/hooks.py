"""Extension points: how a lower app calls code of a higher one without importing it.

Apps are layered (see DEVELOPERS.md, « Layers »): a lower app never imports a higher one.
When a lower app needs something only a higher app knows (the directory must reindex a
structure that changed, a structure's page shows its answer rate, which contacts knows),
the lower app declares a ``Hook`` and the higher app registers its function in its
``AppConfig.ready()``. Entries run in registration order, that is ``INSTALLED_APPS``
order.
"""

from collections.abc import Iterator


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
