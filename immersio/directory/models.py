"""The search index of the directory: denormalised, one row per offer (site × métier).

Written only by ``indexing.py`` (``reindex_structures`` in the transaction of every change
to a structure, ``reindex_all`` and the ``reindex_directory`` command for bulk rebuilds)
and by the synthetic directory generator. Read by ``search.py``.

Visibility needs no periodic job: a paused or over-capacity structure keeps its rows with
``hidden_until`` set to the moment it may be shown again, and every query asks for
``listed AND (hidden_until IS NULL OR hidden_until <= now)``.
"""

from django.db import models
from django.db.models import Q


def _plain_reference(model: str, verbose_name: str) -> models.ForeignKey:
    """A reference the database neither checks nor indexes (the index is rebuilt from the
    structures, never the other way)."""
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=verbose_name,
    )


COVERED = ["latitude", "longitude", "hidden_until", "structure", "score", "updated_ts", "listed"]


class IndexEntry(models.Model):
    """One offer of a structure, with everything the search filters and sorts on."""

    offer = models.OneToOneField(
        "structures.Offer",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name="métier proposé",
    )
    # The offer cascades: these two are plain references, kept in step by the indexing.
    structure = _plain_reference("structures.HostStructure", "structure")
    site = _plain_reference("structures.Site", "lieu d'accueil")
    appellation_code = models.PositiveIntegerField("code de l'appellation")
    rome_code = models.CharField("code ROME", max_length=5)
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")
    kind = models.CharField("type de structure", max_length=20)
    is_ess = models.BooleanField("ESS")
    fit_for_disabled = models.BooleanField("accueil adapté au handicap")
    welcomes_minors = models.BooleanField("accueille des mineurs")
    causes = models.BigIntegerField("causes (masque de bits)", default=0)
    networks = models.BigIntegerField("réseaux (masque de bits)", default=0)
    score = models.FloatField("score de pertinence (0 à 100)")
    updated_ts = models.BigIntegerField(
        "profil mis à jour (secondes depuis 1970)",
        help_text="Date de mise à jour de la structure, en secondes : triée sans conversion.",
    )
    listed = models.BooleanField("publiée")
    hidden_until = models.DateTimeField(
        "masquée jusqu'au",
        null=True,
        blank=True,
        help_text="Fin de la pause ou de la capacité atteinte ; vide si la structure est visible.",
    )

    class Meta:
        verbose_name = "ligne de l'index de recherche"
        verbose_name_plural = "lignes de l'index de recherche"
        # The search reads (visibility, structure, score, date) for the rows of one métier
        # inside a latitude band, filtering the longitude: these indexes hold all of it,
        # in that order, so that the rows themselves are never read (« covering »; 4 to 5
        # times faster on SQLite). Partial: only the rows of published structures;
        # ``listed`` is repeated as a column because the query binds it as a parameter,
        # which the planner cannot match with the index's condition alone.
        indexes = [
            models.Index(
                fields=["appellation_code", *COVERED],
                name="directory_appellation_geo",
                condition=Q(listed=True),
            ),
            models.Index(
                fields=["rome_code", *COVERED],
                name="directory_rome_geo",
                condition=Q(listed=True),
            ),
            models.Index(fields=COVERED, name="directory_geo", condition=Q(listed=True)),
            models.Index(fields=["structure"], name="directory_structure"),
        ]

    def __str__(self):
        return f"Offre {self.offer_id} (structure {self.structure_id})"


class StructureText(models.Model):
    """The words of a structure searched by the free text: name, brand and description,
    normalised (lower case, no accents, no punctuation) so that a plain ``LIKE`` is
    accent-insensitive on every database."""

    structure = models.OneToOneField(
        "structures.HostStructure",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name="structure",
    )
    text = models.TextField("texte normalisé")

    class Meta:
        verbose_name = "texte recherché d'une structure"
        verbose_name_plural = "textes recherchés des structures"

    def __str__(self):
        return f"Texte de la structure {self.structure_id}"
