"""The forms of resource people: the profile, the search, the request, the answers and
the team's review."""

import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from immersio.core.fields import BoundedDateField, DateBounds
from immersio.core.forms import StyledFormMixin
from immersio.structures.models import Cause

from . import rules
from .models import DeclineReason, Mode

DEPARTMENT = re.compile(r"^(?:\d{2}|2[AB]|97\d)$")


def _length_messages(label: str) -> dict:
    return {
        "required": f"{label} : ce champ est obligatoire.",
        "max_length": (
            f"{label} : %(limit_value)d caractères au maximum (le texte en compte "
            "%(show_value)d). Raccourcissez-le."
        ),
    }


def _text(label, *, max_length, help_text, required=True, rows=4, missing=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,  # the limit is added by core.fields.apply_text_limit
        error_messages=_length_messages(label) | ({"required": missing} if missing else {}),
        widget=forms.Textarea(attrs={"maxlength": max_length, "rows": rows}),
    )


def _today() -> date:
    return timezone.localdate()


def _slot_latest() -> date:
    return timezone.localdate() + timedelta(days=rules.SLOT_MAX_DAYS)


SLOT = DateBounds(
    "entretien-métier",
    earliest=_today,
    latest=_slot_latest,
    too_early="Ce jour est passé : proposez le {earliest} ou plus tard.",
    too_late=f"Proposez un jour dans les {rules.SLOT_MAX_DAYS} jours qui viennent, "
    "au plus tard le {latest}.",
)


class SlotDateField(BoundedDateField):
    """A day a resource person proposes for an entretien-métier."""

    bounds = SLOT


#: The hours offered for a slot: every half hour from 8 h to 20 h 30.
TIME_CHOICES = [
    (f"{hour:02d}:{minute:02d}", f"{hour} h {minute:02d}" if minute else f"{hour} h")
    for hour in range(8, 21)
    for minute in (0, 30)
]


class ProfileForm(StyledFormMixin, forms.Form):
    """The métiers and the commune come from autocomplete fields (text + code); without
    JavaScript the text alone is resolved."""

    mark_required = True

    before_title = forms.CharField(
        label="Avant : votre métier ou votre situation",
        max_length=rules.TITLE_MAX,
        help_text="Par exemple : comptable dans une PME.",
        error_messages=_length_messages("Avant"),
    )
    before_texte = forms.CharField(
        label="Avant : le métier le plus proche (ROME)", max_length=100, required=False
    )
    before_code = forms.CharField(required=False, widget=forms.HiddenInput)
    after_title = forms.CharField(
        label="Après : votre métier ou votre situation aujourd'hui",
        max_length=rules.TITLE_MAX,
        help_text="Par exemple : maraîchère bio en installation.",
        error_messages=_length_messages("Après"),
    )
    after_texte = forms.CharField(label="Après : le métier le plus proche (ROME)", max_length=100)
    after_code = forms.CharField(required=False, widget=forms.HiddenInput)
    path = _text(
        "Votre parcours",
        max_length=rules.PROFILE_TEXT_MAX,
        rows=6,
        missing="Racontez votre parcours en quelques lignes.",
        help_text="Les grandes étapes, les doutes, ce qui a été décisif.",
    )
    helped = _text(
        "Ce qui vous a aidé",
        max_length=rules.PROFILE_TEXT_MAX,
        rows=4,
        missing="Dites ce qui vous a aidé.",
        help_text="Une immersion, une formation, une personne, un réseau…",
    )
    presentation = forms.CharField(
        label="Présentation courte",
        max_length=rules.SHORT_TEXT_MAX,
        required=False,
        help_text="Une ou deux phrases affichées dans la liste.",
        error_messages=_length_messages("Présentation courte"),
    )
    causes = forms.ModelMultipleChoiceField(
        label="Causes qui vous tiennent à cœur",
        queryset=Cause.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    commune_texte = forms.CharField(label="Votre commune", max_length=100)
    commune = forms.CharField(required=False, widget=forms.HiddenInput)
    modes = forms.MultipleChoiceField(
        label="Comment acceptez-vous d'échanger ?",
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": rules.modes_violations([])[0].message},
    )
    monthly_quota = forms.IntegerField(
        label="Combien d'entretiens par mois, au plus ?",
        min_value=1,
        max_value=rules.MONTHLY_QUOTA_MAX,
        initial=rules.MONTHLY_QUOTA_DEFAULT,
        help_text=f"Entre 1 et {rules.MONTHLY_QUOTA_MAX}. Au-delà, votre profil affiche "
        "« complet ce mois-ci ».",
        error_messages={
            "required": rules.quota_violations(None)[0].message,
            "invalid": rules.quota_violations(None)[0].message,
            "min_value": rules.quota_violations(None)[0].message,
            "max_value": rules.quota_violations(None)[0].message,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["causes"].queryset = Cause.objects.order_by("position", "label")

    def clean(self):
        from immersio.structures.lookups import resolve_appellation, resolve_commune

        cleaned = super().clean()
        cleaned["before_appellation"] = None
        if cleaned.get("before_texte") or cleaned.get("before_code"):
            try:
                cleaned["before_appellation"] = resolve_appellation(
                    cleaned.get("before_texte", ""), cleaned.get("before_code", "")
                )
            except ValidationError as exc:
                self.add_error("before_texte", exc)
        if "after_texte" not in self.errors:
            try:
                cleaned["after_appellation"] = resolve_appellation(
                    cleaned.get("after_texte", ""), cleaned.get("after_code", "")
                )
            except ValidationError as exc:
                self.add_error("after_texte", exc)
        if "commune_texte" not in self.errors:
            try:
                cleaned["commune_row"] = resolve_commune(
                    cleaned.get("commune_texte", ""), cleaned.get("commune", "")
                )
            except ValidationError as exc:
                self.add_error("commune_texte", exc)
        return cleaned


#: The regions (INSEE codes, as ``Commune.region`` holds them).
REGIONS = [
    ("84", "Auvergne-Rhône-Alpes"),
    ("27", "Bourgogne-Franche-Comté"),
    ("53", "Bretagne"),
    ("24", "Centre-Val de Loire"),
    ("94", "Corse"),
    ("44", "Grand Est"),
    ("32", "Hauts-de-France"),
    ("11", "Île-de-France"),
    ("28", "Normandie"),
    ("75", "Nouvelle-Aquitaine"),
    ("76", "Occitanie"),
    ("52", "Pays de la Loire"),
    ("93", "Provence-Alpes-Côte d'Azur"),
    ("01", "Guadeloupe"),
    ("02", "Martinique"),
    ("03", "Guyane"),
    ("04", "La Réunion"),
    ("06", "Mayotte"),
]


class SearchForm(StyledFormMixin, forms.Form):
    """The public search (a GET form): cause, métier, region or department."""

    cause = forms.ModelChoiceField(
        label="Cause",
        queryset=Cause.objects.none(),
        required=False,
        empty_label="Toutes les causes",
        to_field_name="slug",
    )
    metier_texte = forms.CharField(label="Métier", max_length=100, required=False)
    metier = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    region = forms.ChoiceField(
        label="Région",
        choices=[("", "Toutes les régions"), *REGIONS],
        required=False,
        error_messages={"invalid_choice": "Choisissez une région de la liste."},
    )
    departement = forms.CharField(
        label="Ou un département",
        required=False,
        max_length=3,
        help_text="Son numéro, par exemple 69 ou 2A.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "department-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].queryset = Cause.objects.order_by("position", "label")

    def clean_departement(self):
        value = self.cleaned_data["departement"].strip().upper()
        if value and not DEPARTMENT.match(value):
            raise ValidationError(
                "Indiquez le numéro du département : deux chiffres (69), 2A, 2B, ou trois "
                "chiffres outre-mer (974)."
            )
        return value

    def clean(self):
        from immersio.structures.lookups import resolve_appellation

        cleaned = super().clean()
        cleaned["appellation"] = None
        text, code = cleaned.get("metier_texte", ""), cleaned.get("metier", "")
        if text or code:
            try:
                cleaned["appellation"] = resolve_appellation(text, code)
            except ValidationError as exc:
                self.add_error("metier_texte", exc)
        return cleaned


class RequestForm(StyledFormMixin, forms.Form):
    """The guided request: who I am, why you, what I want to understand, and how."""

    mark_required = True

    about_me = _text(
        "Qui je suis",
        max_length=rules.MESSAGE_MAX,
        missing="Présentez-vous en quelques mots.",
        help_text="Votre situation, ce que vous faites aujourd'hui, où vous en êtes.",
    )
    why_you = _text(
        "Pourquoi vous",
        max_length=rules.MESSAGE_MAX,
        missing="Dites pourquoi vous écrivez à cette personne.",
        help_text="Ce qui, dans son parcours, vous parle.",
    )
    to_understand = _text(
        "Ce que je veux comprendre",
        max_length=rules.MESSAGE_MAX,
        missing="Dites ce que vous aimeriez comprendre.",
        help_text="Deux ou trois questions : le quotidien du métier, la reconversion, les "
        "débouchés…",
    )
    mode = forms.ChoiceField(
        label="Comment préférez-vous échanger ?",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez comment vous préférez échanger."},
    )

    def __init__(self, *args, modes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(value, Mode(value).label) for value in modes]

    def clean(self):
        cleaned = super().clean()
        texts = {name: cleaned.get(name, "") for name in ("about_me", "why_you", "to_understand")}
        for violation in rules.message_violations(texts):
            self.add_error(violation.field, violation.message)
        return cleaned


def _slot_day(index: int) -> SlotDateField:
    return SlotDateField(
        label=f"Créneau {index} : jour",
        required=index <= rules.SLOTS_MIN,
        error_messages={"required": "Proposez au moins un jour."},
    )


def _slot_time(index: int) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=f"Créneau {index} : heure",
        choices=[("", "Choisissez une heure"), *TIME_CHOICES],
        required=index <= rules.SLOTS_MIN,
        error_messages={"required": "Choisissez une heure."},
    )


class AcceptForm(StyledFormMixin, forms.Form):
    """1 to ``SLOTS_MAX`` slots (a day and an hour each) and how to be reached."""

    prefix = "accepter"

    day_1, time_1 = _slot_day(1), _slot_time(1)
    day_2, time_2 = _slot_day(2), _slot_time(2)
    day_3, time_3 = _slot_day(3), _slot_time(3)
    contact_detail = forms.CharField(
        label="Comment vous joindre le jour venu",
        max_length=rules.DETAIL_MAX,
        help_text="Le lien de visio, le numéro à appeler ou le lieu du rendez-vous. La "
        "personne ne le verra qu'une fois le créneau choisi, sur Immersio, jamais par e-mail.",
        error_messages=_length_messages("Comment vous joindre"),
    )

    def slots(self) -> list[datetime | None]:
        found: list[datetime | None] = []
        for index in range(1, rules.SLOTS_MAX + 1):
            day = self.cleaned_data.get(f"day_{index}")
            hour = self.cleaned_data.get(f"time_{index}")
            if day and hour:
                found.append(timezone.make_aware(datetime.combine(day, time.fromisoformat(hour))))
            else:
                found.append(None)
        return found

    def clean(self):
        cleaned = super().clean()
        for index in range(1, rules.SLOTS_MAX + 1):
            day, hour = cleaned.get(f"day_{index}"), cleaned.get(f"time_{index}")
            if day and not hour and f"time_{index}" not in self.errors:
                self.add_error(f"time_{index}", "Choisissez l'heure de ce créneau.")
            if hour and not day and f"day_{index}" not in self.errors:
                self.add_error(f"day_{index}", "Choisissez le jour de ce créneau.")
        if not self.errors:
            for violation in rules.slot_violations(self.slots(), now=timezone.now()):
                self.add_error(violation.field.replace("slot_", "day_"), violation.message)
        return cleaned


class DeclineForm(StyledFormMixin, forms.Form):
    prefix = "decliner"

    reason = forms.ChoiceField(
        label="Votre raison",
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une raison."},
    )
    word = forms.CharField(
        label="Un mot pour la personne",
        max_length=rules.SHORT_TEXT_MAX,
        required=False,
        help_text="Un encouragement, une autre piste : c'est toujours apprécié.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": rules.SHORT_TEXT_MAX}),
        error_messages=_length_messages("Un mot pour la personne"),
    )


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("publier", "Publier"), ("refuser", "Ne pas publier")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez : publier ou non."},
    )
    reason = forms.CharField(
        label="Pourquoi ne pas publier (envoyé à la personne)",
        max_length=rules.SHORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": rules.SHORT_TEXT_MAX}),
        help_text="Obligatoire pour ne pas publier : dites ce qu'il faudrait changer.",
        error_messages=_length_messages("Pourquoi ne pas publier"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuser" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Dites à la personne pourquoi son profil n'est pas publié.")
        return cleaned
