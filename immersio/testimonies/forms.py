"""The testimony form (written from scratch, or from « Mon bilan » by the journal), the
filters of the public list, the team's review and the structure's report."""

from django import forms
from django.core.exceptions import ValidationError

from immersio.core.forms import StyledFormMixin
from immersio.core.violations import Violation
from immersio.structures.lookups import resolve_appellation
from immersio.structures.models import Cause, HostStructure

from . import rules, services
from .models import Display, ReportReason, Testimony
from .services import Story


def add_violations(form: forms.BaseForm, violations: list[Violation]) -> None:
    """Put the services' refusals next to their fields."""
    for violation in violations:
        field = violation.field if violation.field in form.fields else None
        form.add_error(field, violation.message)


def _long_text(label: str, limit: int, *, help_text: str, required: bool = True, rows: int = 4):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        help_text=help_text,  # the limit is added by core.fields.apply_text_limit
        error_messages={
            "required": f"{label} : ce champ est obligatoire.",
            "max_length": (
                f"{label} : %(limit_value)d caractères au maximum (le texte en compte "
                "%(show_value)d). Raccourcissez-le."
            ),
        },
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
    )


class TestimonyForm(StyledFormMixin, forms.Form):
    """``structures``: the host structures the author may name (the one of their
    immersion, or the one whose page they came from); none, no such field."""

    mark_required = True

    title = forms.CharField(
        label="Titre",
        max_length=rules.TITLE_MAX,
        help_text=(
            "Une phrase qui donne envie de lire. Par exemple : « Une semaine au maraîchage, "
            f"et l'envie de continuer ». {rules.TITLE_MAX} caractères au maximum."
        ),
        error_messages={
            "required": "Donnez un titre à votre témoignage.",
            "max_length": "Titre : %(limit_value)d caractères au maximum (il en compte "
            "%(show_value)d).",
        },
    )
    text = _long_text(
        "Votre témoignage",
        rules.TEXT_MAX,
        rows=10,
        help_text=(
            "Ce que vous cherchiez, comment vous avez trouvé la structure, ce que vous avez "
            "découvert, ce que l'immersion a changé. Ne citez personne par son nom complet."
        ),
    )
    metier_texte = forms.CharField(label="Métier", max_length=100, required=False)
    metier = forms.CharField(required=False, widget=forms.HiddenInput)
    causes = forms.ModelMultipleChoiceField(
        label="Les causes de cette immersion",
        queryset=Cause.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pour que les personnes qui partagent ces causes trouvent votre témoignage.",
    )
    structure = forms.ChoiceField(
        label="La structure qui vous a accueilli·e",
        required=False,
        help_text="Citée, votre témoignage apparaît aussi sur sa fiche.",
    )
    display = forms.ChoiceField(
        label="Sous quel nom le publier ?",
        choices=Display.choices,
        initial=Display.NAME,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez sous quel nom publier votre témoignage."},
    )
    consent = forms.BooleanField(
        label=rules.CONSENT_TEXT,
        required=False,  # the service refuses without it, next to this box
    )

    def __init__(self, *args, structures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["causes"].queryset = Cause.objects.order_by("position", "label")
        self.structures = {str(s.public_id): s for s in structures}
        if self.structures:
            self.fields["structure"].choices = [("", "Ne pas la citer")] + [
                (key, s.display_name) for key, s in self.structures.items()
            ]
        else:
            del self.fields["structure"]

    def clean_structure(self):
        key = self.cleaned_data.get("structure", "")
        return self.structures.get(key)

    def clean(self):
        cleaned = super().clean()
        cleaned["appellation"] = None
        text, code = cleaned.get("metier_texte", ""), cleaned.get("metier", "")
        if text or code:
            try:
                cleaned["appellation"] = resolve_appellation(text, code)
            except ValidationError as exc:
                self.add_error("metier_texte", exc)
        return cleaned

    def story(self) -> Story:
        data = self.cleaned_data
        return Story(
            title=data["title"],
            text=data["text"],
            display=data["display"],
            appellation=data["appellation"],
            structure=data.get("structure"),
            causes=tuple(data["causes"]),
        )

    @staticmethod
    def initial_from(testimony) -> dict:
        return {
            "title": testimony.title,
            "text": testimony.text,
            "metier_texte": testimony.appellation.label if testimony.appellation else "",
            "metier": str(testimony.appellation_id or ""),
            "causes": list(testimony.causes.all()),
            "structure": str(testimony.structure.public_id) if testimony.structure else "",
            "display": testimony.display,
        }


def save(form: TestimonyForm, *, actor, testimony: Testimony | None = None) -> Testimony | None:
    """Validate ``form`` and submit a new testimony (or the new version of ``testimony``);
    None when refused, the errors then on the form."""
    if not form.is_valid():
        return None
    consent = form.cleaned_data["consent"]
    try:
        if testimony is None:
            return services.submit_testimony(story=form.story(), consent=consent, actor=actor)
        return services.update_testimony(
            testimony=testimony, story=form.story(), consent=consent, actor=actor
        )
    except services.Refused as refused:
        add_violations(form, refused.violations)
        return None


def page_context(form: TestimonyForm, *, testimony=None, back_url: str = "") -> dict:
    """The context of ``testimonies/form.html`` (also drawn by the journal, from « Mon
    bilan »)."""
    from django.urls import reverse

    return {
        "form": form,
        "testimony": testimony,
        "back_url": back_url,
        "appellation_endpoint": reverse("referentials:appellation_suggestions"),
        "consent_version": rules.CONSENT_VERSION,
        "text_min_words": rules.TEXT_MIN_WORDS,
    }


#: What the page says once a testimony is sent.
SENT_MESSAGE = (
    "Merci ! Votre témoignage est envoyé à l'équipe Immersio, qui le relit avant de le "
    "publier. Vous recevrez un e-mail."
)


class FilterForm(forms.Form):
    """The public list's filters (a GET form): a cause and a métier that have testimonies."""

    cause = forms.ChoiceField(label="Cause", required=False)
    metier = forms.ChoiceField(label="Métier", required=False)

    def __init__(self, *args, causes=(), appellations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.causes = {c.slug: c for c in causes}
        self.appellations = {str(a.pk): a for a in appellations}
        self.fields["cause"].choices = [("", "Toutes les causes")] + [
            (c.slug, c.label) for c in causes
        ]
        self.fields["metier"].choices = [("", "Tous les métiers")] + [
            (str(a.pk), a.label) for a in appellations
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def chosen(self) -> tuple:
        if not self.is_valid():
            return None, None
        data = self.cleaned_data
        return self.causes.get(data["cause"]), self.appellations.get(data["metier"])


class ReviewForm(StyledFormMixin, forms.Form):
    prefix = "relecture"
    note = _long_text(
        "Un mot pour l'auteur",
        rules.REVIEW_NOTE_MAX,
        required=False,
        rows=3,
        help_text="Envoyé par e-mail. Si vous ne publiez pas, dites quoi changer.",
    )


class ReportForm(StyledFormMixin, forms.Form):
    mark_required = True
    prefix = "signalement"
    reason = forms.ChoiceField(
        label="Motif",
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le motif du signalement."},
    )
    note = _long_text(
        "Précisions",
        rules.REPORT_NOTE_MAX,
        required=False,
        rows=3,
        help_text="Ce qui est inexact, ce qu'il faudrait retirer.",
    )

    def __init__(self, *args, structures: list[HostStructure] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.structures = list(structures)
