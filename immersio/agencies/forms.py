"""Forms of the agency pages. They check what a person typed; services change state."""

import re

from django import forms

from immersio.core.fields import DelegationDateField, PhoneField
from immersio.core.forms import HoneypotMixin, StyledFormMixin
from immersio.core.validators import normalize_siret, siret_error
from immersio.referentials import search as referentials
from immersio.referentials.models import Commune

from .models import ETTI_MESSAGE, Agency, AgencyMembership
from .selectors import DEFAULT_RADIUS_KM, RADII_KM

DEPARTMENT = re.compile(r"^(?:\d{2}|2[AB]|97\d)$")


def resolve_commune(text: str, code: str) -> Commune | None:
    """The commune chosen in the autocomplete (``code``) or, without JavaScript, the best
    match for the typed ``text``."""
    if code:
        commune = Commune.objects.filter(pk=code).first()
        if commune is not None:
            return commune
    text = (text or "").strip()
    if not text:
        return None
    found = referentials.search_communes(text, 1)
    if not found:
        return None
    return Commune.objects.filter(pk=found[0].insee_code).first()


def read_commune(form: forms.Form, data: dict, *, or_else: str = "") -> Commune | None:
    """``data["commune_obj"]``: the commune typed in « lieu » or chosen in its suggestions
    (« commune »), None when both are empty; a name that matches no located commune is a
    French error on « lieu » saying what to do (``or_else``: one more way out, e.g.
    « indiquez votre département »). The search forms of the directory of prescribers,
    of events and of « Est-ce pour moi ? » read their commune so."""
    data["commune_obj"] = None
    text, code = data.get("lieu", ""), data.get("commune", "")
    if not (text or code):
        return None
    commune = resolve_commune(text, code)
    if commune is None or commune.latitude is None:
        ways = (
            f"vérifiez l'orthographe, choisissez une commune dans les suggestions ou {or_else}"
            if or_else
            else "vérifiez l'orthographe ou choisissez une commune dans les suggestions"
        )
        form.add_error("lieu", f"Aucune commune ne correspond à « {text} » : {ways}.")
        return None
    data["commune_obj"] = commune
    return commune


class DirectoryForm(forms.Form):
    lieu = forms.CharField(label="Commune", required=False, max_length=100)
    commune = forms.CharField(required=False, max_length=5)
    rayon = forms.TypedChoiceField(
        label="Dans un rayon de",
        choices=[(r, f"{r} km") for r in RADII_KM],
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
    )
    type = forms.ChoiceField(
        label="Type de structure",
        choices=[("", "Tous les types"), *Agency.Kind.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        read_commune(self, data)
        return data


class RegistrationForm(StyledFormMixin, HoneypotMixin, forms.Form):
    siret = forms.CharField(
        label="SIRET de la structure",
        max_length=20,
        help_text="14 chiffres, celui de l'établissement qui prescrit (pas du siège).",
    )
    kind = forms.ChoiceField(
        label="Type de structure", choices=[("", "— Choisissez —"), *Agency.Kind.choices]
    )
    siae_kind = forms.ChoiceField(
        label="Type de SIAE",
        required=False,
        choices=[
            ("", "— Seulement pour une SIAE —"),
            *Agency.SiaeKind.choices,
            ("ETTI", "Entreprise de travail temporaire d'insertion (ETTI)"),
        ],
    )
    name = forms.CharField(label="Nom de la structure", max_length=255)
    address = forms.CharField(label="Adresse", max_length=255, help_text="Numéro et rue.")
    lieu = forms.CharField(label="Commune", max_length=100)
    commune = forms.CharField(required=False, max_length=5)
    covered_departments = forms.CharField(
        label="Départements couverts",
        required=False,
        max_length=200,
        help_text="Codes séparés par des virgules, par exemple « 69, 01 ». Par défaut : "
        "celui de la commune.",
    )
    contact_email = forms.EmailField(label="Adresse e-mail de contact de la structure")
    phone = PhoneField(label="Téléphone", max_length=20, required=False)
    delegating_agency = forms.ModelChoiceField(
        label="Agence délégante",
        required=False,
        queryset=Agency.objects.active().filter(kind__in=Agency.DELEGATING_KINDS),
        empty_label="— Seulement pour une structure conventionnée —",
        help_text="L'agence France Travail, la mission locale, Cap emploi ou le conseil "
        "départemental qui vous a délégué la prescription.",
    )
    delegation_end_date = DelegationDateField(
        label="Fin de la délégation",
        required=False,
        help_text="Seulement pour une structure conventionnée.",
    )
    referring_agency = forms.ModelChoiceField(
        label="Prescripteur de rattachement",
        required=False,
        queryset=Agency.objects.active().filter(kind__in=Agency.PRESCRIBING_KINDS),
        empty_label="— Seulement pour une structure d'accompagnement —",
        help_text="Ses valideurs valideront les conventions que vous préparez.",
    )
    first_name = forms.CharField(label="Votre prénom", max_length=150)
    last_name = forms.CharField(label="Votre nom", max_length=150)
    job_title = forms.CharField(label="Votre fonction", max_length=120, required=False)
    email = forms.EmailField(
        label="Votre adresse e-mail professionnelle",
        help_text="Nous y envoyons un lien pour la confirmer. Vous administrerez l'équipe.",
    )
    consent = forms.BooleanField(
        label="Je suis habilité(e) à inscrire cette structure et j'accepte que mes "
        "coordonnées servent à gérer son compte sur Immersio."
    )

    summary_labels = {"consent": "Habilitation et consentement"}

    def clean_siret(self):
        value = self.cleaned_data["siret"]
        error = siret_error(value)
        if error:
            raise forms.ValidationError(error)
        return normalize_siret(value)

    def clean_siae_kind(self):
        value = self.cleaned_data.get("siae_kind", "")
        if value == "ETTI":
            raise forms.ValidationError(ETTI_MESSAGE)
        return value

    def clean_covered_departments(self):
        text = self.cleaned_data.get("covered_departments", "")
        codes = [part.strip().upper() for part in re.split(r"[,;\s]+", text) if part.strip()]
        wrong = [code for code in codes if not DEPARTMENT.match(code)]
        if wrong:
            raise forms.ValidationError(
                f"Codes de département inconnus : {', '.join(wrong)}. Exemple : « 69, 01 »."
            )
        return list(dict.fromkeys(codes))

    def clean(self):
        data = super().clean()
        if "lieu" in data:
            commune = resolve_commune(data.get("lieu", ""), data.get("commune", ""))
            if commune is None:
                self.add_error(
                    "lieu", "Choisissez la commune dans les suggestions ou vérifiez son nom."
                )
            data["commune_obj"] = commune
        return data

    def agency_fields(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        fields = {
            "kind": kind,
            "name": data["name"].strip(),
            "address": data["address"].strip(),
            "covered_departments": data["covered_departments"],
            "contact_email": data["contact_email"],
            "phone": data["phone"].strip(),
        }
        if kind == Agency.Kind.SIAE:
            fields["siae_kind"] = data["siae_kind"]
        if kind == Agency.Kind.CONVENTIONNEE:
            fields["delegating_agency"] = data["delegating_agency"]
            fields["delegation_end_date"] = data["delegation_end_date"]
        if kind == Agency.Kind.ACCOMPAGNEMENT:
            fields["referring_agency"] = data["referring_agency"]
        return fields


class InvitationForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label="Adresse e-mail de la personne")
    role = forms.ChoiceField(
        label="Rôle",
        choices=AgencyMembership.Role.choices,
        widget=forms.RadioSelect,
        initial=AgencyMembership.Role.COUNSELLOR,
        help_text="Conseiller : suit les bénéficiaires et pré-valide. Valideur : valide les "
        "conventions. Administrateur : gère aussi l'équipe.",
    )
