"""The journal's forms (``core.forms``: one field template, errors next to their field).
The rules that need the convention or today run in the services; the views put their
violations back on the fields (``add_violations``), so nothing typed is lost."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from immersio.core.fields import BoundedDateField, DateBounds
from immersio.core.forms import StyledFormMixin
from immersio.core.violations import Violation

from . import rules
from .models import Fit, JournalEntry, Need, StepKind


def _today() -> date:
    return timezone.localdate()


def _years_ago(years: int):
    return lambda: _today() - timedelta(days=366 * years)


#: An entry's day: an immersion of the last months, never a day to come (the view narrows
#: it to the convention's dates, shown as the input's min and max).
JOURNAL_DAY = DateBounds(
    "page du carnet",
    earliest=_years_ago(2),
    latest=_today,
    too_early="Date trop ancienne : indiquez un jour de l'immersion.",
    too_late="Ce jour n'est pas encore arrivé : vous pourrez l'écrire le jour même.",
)
#: A step's target date: today or later, within a few years.
STEP_TARGET = DateBounds(
    "étape du plan d'action",
    earliest=_today,
    latest=lambda: _today() + timedelta(days=366 * 5),
    too_early="Cette date est passée : choisissez aujourd'hui ou une date à venir.",
    too_late="Date trop lointaine : choisissez une date jusqu'au {latest}.",
)


class JournalDayField(BoundedDateField):
    bounds = JOURNAL_DAY


class StepDateField(BoundedDateField):
    bounds = STEP_TARGET


def add_violations(form: forms.BaseForm, violations: list[Violation]) -> None:
    """Put the services' refusals next to their fields."""
    for violation in violations:
        field = violation.field if violation.field in form.fields else None
        form.add_error(field, violation.message)


def _text(label: str, limit: int, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class EntryForm(StyledFormMixin, forms.Form):
    day = JournalDayField(label="Jour")
    observed = _text(JournalEntry._meta.get_field("observed").verbose_name, rules.PROMPT_MAX)
    tried = _text(JournalEntry._meta.get_field("tried").verbose_name, rules.PROMPT_MAX)
    met = _text(JournalEntry._meta.get_field("met").verbose_name, rules.PROMPT_MAX)
    surprised = _text(JournalEntry._meta.get_field("surprised").verbose_name, rules.PROMPT_MAX)
    questions = _text(JournalEntry._meta.get_field("questions").verbose_name, rules.PROMPT_MAX)
    note = _text(
        "En quelques mots, ma journée",
        rules.NOTE_MAX,
        rows=4,
        help_text="Les questions ci-dessus sont des pistes : répondez à celles qui vous parlent.",
    )
    #: The day of the page being changed (to refuse writing over another day's page).
    editing = JournalDayField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, convention=None, **kwargs):
        super().__init__(*args, **kwargs)
        if convention is not None:
            self.fields["day"].widget.attrs["min"] = convention.date_start.isoformat()
            self.fields["day"].widget.attrs["max"] = min(convention.date_end, _today()).isoformat()

    def clean(self):
        data = super().clean()
        texts = [data.get(name, "") for name in JournalEntry.TEXTS]
        if not any(text.strip() for text in texts if text):
            raise forms.ValidationError(
                "Écrivez au moins quelques mots : une réponse à une question, ou votre journée."
            )
        return data

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in JournalEntry.TEXTS}


class PersonForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="Prénom et nom", max_length=rules.NAME_MAX)
    role = forms.CharField(
        label="Son rôle",
        max_length=rules.ROLE_MAX,
        required=False,
        help_text="Par exemple : cheffe de culture, bénévole, client.",
    )
    contact_agreed = forms.BooleanField(
        label="Cette personne est d'accord pour que je note ses coordonnées", required=False
    )
    contact = forms.CharField(
        label="Ses coordonnées (e-mail ou téléphone)",
        max_length=rules.CONTACT_MAX,
        required=False,
        help_text="Seulement si elle est d'accord.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    recontact = forms.BooleanField(
        label="Je voudrais la recontacter (pour un échange, des conseils)", required=False
    )

    def clean(self):
        data = super().clean()
        for violation in rules.person_violations(
            name=data.get("name") or "",
            contact=data.get("contact") or "",
            contact_agreed=bool(data.get("contact_agreed")),
        ):
            if violation.field not in self.errors:  # a missing name is already said
                self.add_error(violation.field, violation.message)
        return data


def _fit(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=Fit.choices, required=False, widget=forms.RadioSelect
    )


class ReflectionForm(StyledFormMixin, forms.Form):
    metier_fit = _fit("Le métier me correspond-il ?")
    metier_why = _text("Pourquoi ? (le métier)", rules.REFLECTION_TEXT_MAX, rows=2)
    missions_fit = _fit("Les missions me correspondent-elles ?")
    missions_why = _text("Pourquoi ? (les missions)", rules.REFLECTION_TEXT_MAX, rows=2)
    setting_fit = _fit("Le cadre (la structure, l'équipe, le rythme, le lieu) me correspond-il ?")
    setting_why = _text("Pourquoi ? (le cadre)", rules.REFLECTION_TEXT_MAX, rows=2)
    learned = _text("Ce que j'ai appris", rules.REFLECTION_TEXT_MAX)
    unexpected = _text("Ce à quoi je ne m'attendais pas", rules.REFLECTION_TEXT_MAX)
    people = _text(
        "Les personnes qui m'ont inspiré, ou qui m'ont questionné",
        rules.REFLECTION_TEXT_MAX,
        help_text="Sur mes envies, mes représentations, les efforts attendus…",
    )
    needs = forms.MultipleChoiceField(
        label="Pour travailler là, il me faudrait…",
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_text = _text(
        "Précisions (quelle formation, combien de temps…)", rules.REFLECTION_TEXT_MAX, rows=2
    )


class StepForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Type d'étape", choices=StepKind.choices)
    text = forms.CharField(
        label="Quoi, concrètement",
        max_length=rules.STEP_TEXT_MAX,
        help_text="Par exemple : appeler la Maison familiale rurale pour le BPREA.",
    )
    target_date = StepDateField(label="Pour le")


class ConversationStepForm(StyledFormMixin, forms.Form):
    """Which bilan an entretien-métier goes to (the person's open carnets)."""

    convention = forms.ModelChoiceField(
        label="Dans le bilan de quelle immersion ?",
        queryset=None,
        to_field_name="public_id",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choisissez l'immersion.",
            "invalid_choice": "Choisissez l'immersion.",
        },
    )

    def __init__(self, *args, conventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convention"].queryset = conventions
        self.fields["convention"].label_from_instance = lambda c: (
            f"{c.appellation.label if c.appellation_id else c.reference}, "
            f"du {c.date_start:%d/%m/%Y} au {c.date_end:%d/%m/%Y}"
        )
