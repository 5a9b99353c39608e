"""Extension points of structures, filled by higher apps in their ``AppConfig.ready()``."""

from collections.abc import Callable

from immersio.core.hooks import Hook

#: Called with the primary keys of structures that changed, in the transaction of the
#: change (the directory recomputes their index rows).
structures_changed: Hook[Callable[[list[int]], object]] = Hook("structures modifiées")
