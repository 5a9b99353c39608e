"""Reference data: ROME métiers and appellations, communes, NAF codes, hirings per pair.

These tables are written only by ``manage.py import_referentials`` (see ``importer.py``);
the admin shows them read-only. Searching them goes through ``search.py``, in memory.
"""

from django.db import models


class CodedLabel(models.Model):
    """An entry of a nomenclature shown as « code · libellé » (ROME, NAF): the concrete
    model declares its ``code``, the primary key."""

    code: models.CharField
    label = models.CharField("libellé", max_length=255)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} · {self.label}"


class RomeMetier(CodedLabel):
    code = models.CharField("code ROME", max_length=5, primary_key=True)

    class Meta(CodedLabel.Meta):
        verbose_name = "métier ROME"
        verbose_name_plural = "métiers ROME"


class Appellation(models.Model):
    code = models.PositiveIntegerField("code OGR", primary_key=True)
    rome = models.ForeignKey(
        RomeMetier,
        on_delete=models.PROTECT,
        related_name="appellations",
        verbose_name="métier ROME",
    )
    label = models.CharField("libellé", max_length=255)
    short_label = models.CharField("libellé court", max_length=255)
    search_text = models.CharField(
        "texte de recherche",
        max_length=255,
        help_text="Libellé normalisé : minuscules, sans accents ni ponctuation.",
    )

    class Meta:
        verbose_name = "appellation"
        verbose_name_plural = "appellations"
        ordering = ["label"]

    def __str__(self):
        return self.label


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune-actuelle", "Commune"
        ARRONDISSEMENT = "arrondissement-municipal", "Arrondissement municipal"

    insee_code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=255)
    kind = models.CharField("type", max_length=30, choices=Kind.choices, default=Kind.COMMUNE)
    department = models.CharField("département", max_length=3)
    region = models.CharField("région", max_length=3, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    postal_codes = models.CharField(
        "codes postaux", max_length=255, blank=True, help_text="Séparés par des espaces."
    )
    normalized_name = models.CharField(
        "nom normalisé",
        max_length=255,
        help_text="Minuscules, sans accents ni ponctuation, « st » écrit « saint ».",
    )

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name", "insee_code"]

    def __str__(self):
        return f"{self.name} ({self.department})"

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()


class NafCode(CodedLabel):
    code = models.CharField("code NAF", max_length=5, primary_key=True)

    class Meta(CodedLabel.Meta):
        verbose_name = "code NAF"
        verbose_name_plural = "codes NAF"


class RomeNafHiring(models.Model):
    rome = models.ForeignKey(
        RomeMetier, on_delete=models.CASCADE, related_name="hirings", verbose_name="métier ROME"
    )
    naf = models.ForeignKey(
        NafCode, on_delete=models.CASCADE, related_name="hirings", verbose_name="code NAF"
    )
    hirings = models.PositiveIntegerField("embauches")

    class Meta:
        verbose_name = "embauches par métier et secteur"
        verbose_name_plural = "embauches par métier et secteur"
        ordering = ["rome", "-hirings"]
        constraints = [
            models.UniqueConstraint(fields=["rome", "naf"], name="referentials_unique_rome_naf"),
        ]

    def __str__(self):
        return f"{self.rome_id} × {self.naf_id} : {self.hirings}"


class ReferentialsVersion(models.Model):
    """One row: changes whenever an import changes the data, so that every process can
    tell, with one cheap query, that its in-memory search indexes are stale."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    token = models.CharField("jeton de version", max_length=32)
    changed_at = models.DateTimeField("données modifiées le")

    class Meta:
        verbose_name = "version des référentiels"
        verbose_name_plural = "version des référentiels"

    def __str__(self):
        return f"Référentiels du {self.changed_at:%d/%m/%Y %H:%M}"
