"""Demonstration data of the directory: a small synthetic directory around the cities.

300 structures drawn from the real referentials (``generator.py``, fixed seed), so that
the search shows many results around every large city. Skipped when they are there.
"""

from . import generator

ORDER = 30  # after the referentials and the hand-written structures
STRUCTURES = 300
SEED = 2026


def load() -> str:
    present = generator.existing()
    if present:
        return f"annuaire synthétique déjà présent ({present} structures), rien à faire"
    totals = generator.generate(structures=STRUCTURES, seed=SEED)
    return (
        f"annuaire synthétique : {totals.structures} structures, {totals.offers} métiers proposés"
    )
