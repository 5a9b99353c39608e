"""The beneficiary's journal and bilan. Every row belongs to one person (``owner``) and
one validated convention; deleting the account deletes them (``CASCADE``), and so does the
retention table two years after the immersion's end."""

from django.conf import settings
from django.db import models

from immersio.conventions.models import Convention
from immersio.core.models import PublicIdModel, TimeStampedModel

from . import rules


class Owned(PublicIdModel, TimeStampedModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="personne",
    )
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="+", verbose_name="convention"
    )
    #: When the person shared it with their conseiller (None: private).
    shared_at = models.DateTimeField("partagé le", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class JournalEntry(Owned):
    """One day of the immersion, written by the beneficiary."""

    day = models.DateField("jour")
    observed = models.TextField("Qu'ai-je observé aujourd'hui ?", blank=True)
    tried = models.TextField("Qu'ai-je essayé ?", blank=True)
    met = models.TextField("Qui ai-je rencontré, et que m'a-t-on dit ?", blank=True)
    surprised = models.TextField("Qu'est-ce qui m'a surpris ?", blank=True)
    questions = models.TextField("Quelles questions me restent ?", blank=True)
    note = models.TextField("en quelques mots", blank=True)
    important = models.BooleanField("important", default=False)

    PROMPTS = ("observed", "tried", "met", "surprised", "questions")
    #: Everything the person writes on a page: the prompts' answers and the free note.
    TEXTS = (*PROMPTS, "note")

    class Meta:
        verbose_name = "page du carnet"
        verbose_name_plural = "pages du carnet"
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "convention", "day"], name="journal_one_entry_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"Carnet du {self.day:%d/%m/%Y}"


class PersonMet(PublicIdModel, TimeStampedModel):
    """Someone met on a day: name, role, and a contact only if they agreed."""

    entry = models.ForeignKey(
        JournalEntry, on_delete=models.CASCADE, related_name="people", verbose_name="page"
    )
    name = models.CharField("nom", max_length=rules.NAME_MAX)
    role = models.CharField("rôle", max_length=rules.ROLE_MAX, blank=True)
    contact = models.CharField("coordonnées", max_length=rules.CONTACT_MAX, blank=True)
    contact_agreed = models.BooleanField("d'accord pour être recontactée", default=False)
    recontact = models.BooleanField("à recontacter", default=False)

    class Meta:
        verbose_name = "personne rencontrée"
        verbose_name_plural = "personnes rencontrées"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Fit(models.TextChoices):
    YES = "oui", "Oui"
    PARTLY = "en_partie", "En partie"
    NO = "non", "Non"


class Need(models.TextChoices):
    TRAINING = "formation", "Une formation"
    APPRENTICESHIP = "apprentissage", "Un apprentissage ou une alternance"
    EXPERIENCE = "experience", "De l'expérience"
    VOLUNTEERING = "benevolat", "Du bénévolat"
    NETWORK = "reseau", "Des contacts, un réseau"
    OTHER = "autre", "Autre chose"


class Reflection(Owned):
    """« Mon bilan »: one per person and convention."""

    metier_fit = models.CharField("Le métier", max_length=16, choices=Fit.choices, blank=True)
    metier_why = models.TextField("pourquoi (métier)", blank=True)
    missions_fit = models.CharField("Les missions", max_length=16, choices=Fit.choices, blank=True)
    missions_why = models.TextField("pourquoi (missions)", blank=True)
    setting_fit = models.CharField("Le cadre", max_length=16, choices=Fit.choices, blank=True)
    setting_why = models.TextField("pourquoi (cadre)", blank=True)
    learned = models.TextField("Ce que j'ai appris", blank=True)
    unexpected = models.TextField("Ce à quoi je ne m'attendais pas", blank=True)
    people = models.TextField("Les personnes qui m'ont inspiré ou questionné", blank=True)
    needs = models.JSONField("Ce qu'il faudrait pour y travailler", default=list, blank=True)
    needs_text = models.TextField("précisions", blank=True)
    #: Something written or chosen (kept by the service at each save): an empty bilan is
    #: reminded.
    written = models.BooleanField("rempli", default=False)

    TEXTS = (
        "metier_why",
        "missions_why",
        "setting_why",
        "learned",
        "unexpected",
        "people",
        "needs_text",
    )

    class Meta:
        verbose_name = "bilan"
        verbose_name_plural = "bilans"
        constraints = [
            models.UniqueConstraint(fields=["owner", "convention"], name="journal_one_bilan")
        ]

    def __str__(self) -> str:
        return "Bilan"

    @property
    def is_empty(self) -> bool:
        written = any(getattr(self, name).strip() for name in self.TEXTS)
        chosen = self.metier_fit or self.missions_fit or self.setting_fit or self.needs
        return not (written or chosen)

    def need_labels(self) -> list[str]:
        return [Need(value).label for value in self.needs if value in Need.values]


class StepKind(models.TextChoices):
    APPLY = "candidater", "Candidater"
    TRAIN = "me_former", "Me former"
    VOLUNTEER = "benevolat", "Faire du bénévolat"
    IMMERSION = "immersion", "Une autre immersion"
    TALK = "echanger", "Échanger avec une personne ressource"
    OTHER = "autre", "Autre"


class ActionStep(PublicIdModel, TimeStampedModel):
    """One next step of the action plan, with a target date."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="steps", verbose_name="bilan"
    )
    kind = models.CharField("type", max_length=16, choices=StepKind.choices)
    text = models.CharField("quoi", max_length=rules.STEP_TEXT_MAX)
    target_date = models.DateField("pour le")
    done = models.BooleanField("fait", default=False)

    class Meta:
        verbose_name = "étape du plan d'action"
        verbose_name_plural = "étapes du plan d'action"
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ReflectionReminder(models.Model):
    """A reminder sent about an empty bilan (once per convention and delay)."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="+", verbose_name="convention"
    )
    days_after = models.PositiveSmallIntegerField("jours après la fin")
    sent_at = models.DateTimeField("envoyée le")

    class Meta:
        verbose_name = "relance du bilan"
        verbose_name_plural = "relances du bilan"
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "days_after"], name="journal_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"Relance J+{self.days_after}"
