"""Forms of the registration wizard and of the structure's space.

The wizard keeps each step's raw data (what was typed) in the session, so that a form
shown again — after an error, after « Retour » — holds everything the person typed.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from immersio.core.fields import EmailAddressField, PauseDateField, PhoneField
from immersio.core.forms import HoneypotMixin, StyledFormMixin
from immersio.core.validators import normalize_siret, siret_error
from immersio.core.wizard import Raw

from . import lookups, rules
from .models import (
    CONTACT_FIELDS,
    WELCOME_FIELDS,
    Cause,
    HostStructure,
    Network,
    StructureMembership,
)
from .services import SiteData
from .sirene import normalize_naf


def as_data(raw: Raw | None) -> MultiValueDict:
    return MultiValueDict({key: list(values) for key, values in (raw or {}).items()})


# Step 1: SIRET -------------------------------------------------------------------------


class SiretForm(StyledFormMixin, HoneypotMixin, forms.Form):
    siret = forms.CharField(
        label="Numéro SIRET de l'établissement",
        max_length=30,
        help_text=(
            "14 chiffres, ceux de l'établissement où se passent les immersions. Vous le "
            "trouvez sur une fiche de paie, un avis de situation Sirene ou annuaire-"
            "entreprises.data.gouv.fr."
        ),
        error_messages={"required": siret_error("")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_siret(self):
        value = self.cleaned_data["siret"]
        error = siret_error(value)
        if error:
            raise ValidationError(error, code="invalid_siret")
        return normalize_siret(value)


# Step 2: identity ----------------------------------------------------------------------


class NafField(forms.CharField):
    """A NAF code typed as « 01.13Z » or « 0113Z », checked against the nomenclature."""

    def prepare_value(self, value):
        code = getattr(value, "code", value)
        code = normalize_naf(code) if isinstance(code, str) else code
        if isinstance(code, str) and len(code) == 5 and code[:4].isdigit():
            return f"{code[:2]}.{code[2:]}"
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        return lookups.resolve_naf(value)


ESS_CHOICES = [
    ("", "Aucun statut de l'ESS (ou je ne sais pas)"),
    *[(value, label) for value, label in HostStructure.EssStatus.choices if value],
]


class IdentityForm(StyledFormMixin, forms.ModelForm):
    naf = NafField(
        label="Code NAF (activité principale)",
        required=False,
        max_length=10,
        help_text="Par exemple 01.13Z pour la culture de légumes, 88.10A pour l'aide à domicile.",
    )
    ess_status = forms.ChoiceField(
        label="Statut dans l'économie sociale et solidaire (ESS)",
        choices=ESS_CHOICES,
        required=False,
    )

    class Meta:
        model = HostStructure
        fields = [
            "name",
            "brand_name",
            "kind",
            "ess_status",
            "is_ess",
            "naf",
            "headcount",
            "website",
            "description",
        ]
        labels = {
            "name": "Raison sociale",
            "brand_name": "Nom d'usage ou enseigne",
            "kind": "Type de structure",
            "is_ess": "Notre structure fait partie de l'économie sociale et solidaire",
            "headcount": "Effectif salarié",
            "website": "Site web",
            "description": "Présentation de la structure",
        }
        help_texts = {
            "name": "Le nom officiel, tel qu'il figure au répertoire Sirene.",
            "brand_name": "Le nom sous lequel on vous connaît, s'il est différent.",
            "website": "Par exemple https://www.exemple.fr",
            "description": (
                "Ce que fait votre structure, en quelques phrases : ce texte est public."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "website": forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
        }
        error_messages = {
            "name": {"required": "Indiquez la raison sociale."},
            "kind": {"required": "Choisissez le type de structure."},
            "website": {
                "invalid": "Saisissez une adresse web complète, par exemple https://www.exemple.fr."
            },
        }


# Step 3: sites and métiers ------------------------------------------------------------


def _int(value, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


class SiteForm(StyledFormMixin, forms.Form):
    id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(
        label="Nom du lieu",
        required=False,
        max_length=160,
        help_text="Utile si vous avez plusieurs lieux : « Jardin de la Sauvegarde ».",
    )
    address = forms.CharField(
        label="Adresse",
        max_length=255,
        help_text="Numéro et voie, complément éventuel (sans la commune).",
        error_messages={"required": "Indiquez l'adresse du lieu."},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    commune_texte = forms.CharField(label="Commune", required=False, max_length=100)
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)

    def __init__(self, *args, metier_rows: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.metier_rows = metier_rows
        for index in range(metier_rows):
            label = "Métier" if index == 0 else f"Métier {index + 1} (facultatif)"
            self.fields[f"metier_{index}_texte"] = forms.CharField(
                label=label, required=False, max_length=100
            )
            self.fields[f"metier_{index}"] = forms.CharField(
                required=False, max_length=10, widget=forms.HiddenInput
            )

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["commune_obj"] = lookups.resolve_commune(
                cleaned.get("commune_texte", ""), cleaned.get("commune", "")
            )
        except ValidationError as error:
            self.add_error("commune_texte", error)
        appellations = []
        for index in range(self.metier_rows):
            text = cleaned.get(f"metier_{index}_texte", "")
            code = cleaned.get(f"metier_{index}", "")
            if not (text or "").strip() and not code:
                continue
            try:
                appellation = lookups.resolve_appellation(text, code)
            except ValidationError as error:
                self.add_error(f"metier_{index}_texte", error)
                continue
            if appellation not in appellations:
                appellations.append(appellation)
        if not appellations and not self.has_error("metier_0_texte"):
            self.add_error(
                "metier_0_texte",
                ValidationError("Indiquez au moins un métier ouvert à l'immersion.", "required"),
            )
        cleaned["appellations"] = appellations
        return cleaned

    def metiers(self):
        """(text field, code field) pairs, for the template."""
        return [(self[f"metier_{i}_texte"], self[f"metier_{i}"]) for i in range(self.metier_rows)]

    def site_data(self) -> SiteData:
        cleaned = self.cleaned_data
        return SiteData(
            public_id=cleaned.get("id"),
            label=cleaned.get("label", ""),
            address=cleaned["address"],
            commune=cleaned["commune_obj"],
            appellations=cleaned["appellations"],
        )


class SitesForm:
    """The structure's sites, each with its métiers, as one form. Without JavaScript,
    « Ajouter un lieu » and « Ajouter un métier » are submit buttons that show the same
    data again with one more block."""

    MAX_SITES = 10
    MAX_METIERS = 12
    DEFAULT_METIERS = 3
    prefix = "lieu"

    def __init__(self, raw: Raw | None = None, *, bound: bool):
        self.raw = {key: list(values) for key, values in (raw or {}).items()}
        self.bound = bound
        data = as_data(self.raw) if bound else None
        count = _int(self._get("lieux"), 1, 1, self.MAX_SITES)
        self.forms: list[SiteForm] = []
        for number in range(count):
            prefix = f"{self.prefix}-{number}"
            rows = _int(self._get(f"{prefix}-metiers"), self.DEFAULT_METIERS, 1, self.MAX_METIERS)
            initial = None
            if not bound:
                start = len(prefix) + 1
                initial = {
                    key[start:]: values[-1]
                    for key, values in self.raw.items()
                    if key.startswith(prefix + "-") and values
                }
            self.forms.append(SiteForm(data, prefix=prefix, initial=initial, metier_rows=rows))

    def _get(self, key: str):
        values = self.raw.get(key)
        return values[-1] if values else None

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.forms]  # every form, for its errors
        return all(results)

    @property
    def errors(self) -> list:
        return [form.errors for form in self.forms if form.errors]

    def error_summary(self) -> list[dict]:
        if not self.bound:
            return []
        items = []
        for number, site in enumerate(self.forms, start=1):
            items.extend(site.error_summary(prefix=f"Lieu {number}, "))
        return items

    def site_data(self) -> list[SiteData]:
        return [form.site_data() for form in self.forms]

    @property
    def can_add_site(self) -> bool:
        return len(self.forms) < self.MAX_SITES

    # Buttons without JavaScript ------------------------------------------------------

    def apply(self, action: str) -> bool:
        """Change the raw data for an « add » or « remove » button; True if it was one."""
        if action == "ajouter_lieu":
            self.raw["lieux"] = [str(min(len(self.forms) + 1, self.MAX_SITES))]
            return True
        if action.startswith("ajouter_metier-"):
            number = _int(action.rpartition("-")[2], -1, -1, self.MAX_SITES)
            if 0 <= number < len(self.forms):
                rows = self.forms[number].metier_rows
                key = f"{self.prefix}-{number}-metiers"
                self.raw[key] = [str(min(rows + 1, self.MAX_METIERS))]
            return True
        if action.startswith("retirer_lieu-"):
            number = _int(action.rpartition("-")[2], -1, -1, self.MAX_SITES)
            if 0 <= number < len(self.forms) and len(self.forms) > 1:
                self._remove(number)
            return True
        return False

    def _remove(self, number: int) -> None:
        kept: Raw = {}
        for key, values in self.raw.items():
            if not key.startswith(self.prefix + "-"):
                kept[key] = values
                continue
            index_text, _, rest = key[len(self.prefix) + 1 :].partition("-")
            index = _int(index_text, -1, -1, self.MAX_SITES)
            if index == number or index < 0:
                continue
            new_index = index - 1 if index > number else index
            kept[f"{self.prefix}-{new_index}-{rest}"] = values
        kept["lieux"] = [str(len(self.forms) - 1)]
        self.raw = kept

    @classmethod
    def raw_for_structure(cls, structure: HostStructure) -> Raw:
        raw: Raw = {}
        sites = list(
            structure.sites.select_related("commune").prefetch_related("offers__appellation")
        )
        raw["lieux"] = [str(max(len(sites), 1))]
        for number, site in enumerate(sites):
            prefix = f"{cls.prefix}-{number}"
            offers = sorted(site.offers.all(), key=lambda offer: offer.appellation.label)
            raw[f"{prefix}-id"] = [str(site.public_id)]
            raw[f"{prefix}-label"] = [site.label]
            raw[f"{prefix}-address"] = [site.address]
            raw[f"{prefix}-commune_texte"] = [f"{site.commune.name} ({site.commune.department})"]
            raw[f"{prefix}-commune"] = [site.commune_id]
            raw[f"{prefix}-metiers"] = [
                str(min(max(len(offers) + 1, cls.DEFAULT_METIERS), cls.MAX_METIERS))
            ]
            for index, offer in enumerate(offers[: cls.MAX_METIERS]):
                raw[f"{prefix}-metier_{index}_texte"] = [offer.appellation.label]
                raw[f"{prefix}-metier_{index}"] = [str(offer.appellation_id)]
        return raw


class ImmersionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = HostStructure
        fields = ["immersion_description"]
        labels = {"immersion_description": "À quoi ressemble une immersion chez vous ?"}
        help_texts = {
            "immersion_description": (
                "Les tâches confiées, l'équipe, les horaires, la tenue… Ce texte est public "
                "et aide les candidats à se projeter."
            )
        }
        widgets = {"immersion_description": forms.Textarea(attrs={"rows": 5})}


# Step 4: practicalities -----------------------------------------------------------------


def check_practicalities(form, cleaned: dict) -> dict:
    """Rules between the practical fields (contact mode and its details, audiences)."""
    mode = cleaned.get("contact_mode")
    phone_missing = not cleaned.get("contact_phone") and not form.has_error("contact_phone")
    if mode == HostStructure.ContactMode.PHONE and phone_missing:
        form.add_error("contact_phone", "Indiquez le numéro que les candidats appelleront.")
    instructions = (cleaned.get("contact_instructions") or "").strip()
    if mode == HostStructure.ContactMode.IN_PERSON and not instructions:
        form.add_error(
            "contact_instructions", "Dites où et quand les candidats peuvent se présenter."
        )
    if not (cleaned.get("welcomes_job_seekers") or cleaned.get("welcomes_employees")):
        form.add_error(
            "welcomes_job_seekers",
            "Cochez au moins un public : personnes sans emploi ou salariés en reconversion.",
        )
    return cleaned


def _boxes_by_slug(label: str, model: type[Cause | Network]) -> forms.ModelMultipleChoiceField:
    """Boxes to tick among the rows of a vocabulary the staff edits, posted by slug."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PracticalitiesForm(StyledFormMixin, forms.ModelForm):
    causes = _boxes_by_slug("Les causes pour lesquelles vous agissez", Cause)
    networks = _boxes_by_slug("Les réseaux dont vous êtes membre", Network)
    contact_mode = forms.ChoiceField(
        label="Comment les candidats vous contactent-ils ?",
        choices=HostStructure.ContactMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez comment les candidats vous contactent."},
    )
    max_requests_per_month = forms.IntegerField(
        label="Nombre de demandes par mois au maximum",
        min_value=0,
        max_value=rules.MAX_CAPACITY,
        error_messages={
            "required": "Indiquez combien de demandes vous pouvez recevoir par mois.",
            "invalid": "Indiquez un nombre entier, par exemple 4.",
            "min_value": "Indiquez 0 ou plus (0 : vous ne recevez aucune demande).",
            "max_value": f"{rules.MAX_CAPACITY} demandes par mois au maximum.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = HostStructure
        fields = ["causes", "networks", *WELCOME_FIELDS, *CONTACT_FIELDS, "max_requests_per_month"]
        labels = {
            "fit_for_disabled_workers": (
                "Notre accueil est adapté aux personnes en situation de handicap"
            ),
            "public_transport": "Nos lieux sont accessibles en transports en commun",
            "welcomes_job_seekers": "Nous accueillons des personnes sans emploi",
            "welcomes_employees": "Nous accueillons des salariés en reconversion",
            "welcomes_minors": "Nous accueillons des jeunes de 16 et 17 ans",
            "contact_phone": "Téléphone pour les candidats",
            "contact_instructions": "Consignes pour appeler ou se présenter",
        }
        help_texts = {
            "contact_phone": "Obligatoire si les candidats vous contactent par téléphone.",
            "contact_instructions": (
                "Par exemple : « Appelez le mardi ou le jeudi entre 14 h et 17 h » ou "
                "« Présentez-vous à l'accueil du jardin, 3 chemin des Serres »."
            ),
        }
        widgets = {
            "contact_instructions": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        return check_practicalities(self, super().clean())


# Step 5: the registering person -------------------------------------------------------


class ApplicantForm(StyledFormMixin, HoneypotMixin, forms.Form):
    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        error_messages={"required": "Indiquez votre prénom."},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        error_messages={"required": "Indiquez votre nom."},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = EmailAddressField(
        label="Adresse e-mail professionnelle",
        help_text="Nous y enverrons le lien pour confirmer et publier la structure.",
        error_messages={"required": "Indiquez votre adresse e-mail."},
    )
    phone = PhoneField(
        label="Téléphone",
        help_text="Pour que l'équipe d'Immersio puisse vous joindre ; il n'est pas publié.",
        error_messages={"required": "Indiquez votre numéro de téléphone."},
    )
    job_title = forms.CharField(
        label="Fonction",
        max_length=120,
        help_text="Par exemple : coordinatrice, encadrant technique, gérant.",
        error_messages={"required": "Indiquez votre fonction dans la structure."},
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    consent = forms.BooleanField(
        label=(
            "Je représente cette structure et j'accepte que ses informations soient publiées "
            "sur Immersio."
        ),
        error_messages={"required": "Cochez cette case pour référencer la structure."},
    )


# The structure's space ------------------------------------------------------------------


class StructureEditForm(IdentityForm):
    """Everything an administrator edits on one page (sites apart)."""

    causes = PracticalitiesForm.base_fields["causes"]
    networks = PracticalitiesForm.base_fields["networks"]
    contact_mode = PracticalitiesForm.base_fields["contact_mode"]
    max_requests_per_month = PracticalitiesForm.base_fields["max_requests_per_month"]

    class Meta(IdentityForm.Meta):
        fields = [
            *IdentityForm.Meta.fields,
            "immersion_description",
            *PracticalitiesForm.Meta.fields,
        ]
        labels = {
            **IdentityForm.Meta.labels,
            **ImmersionForm.Meta.labels,
            **PracticalitiesForm.Meta.labels,
        }
        help_texts = {
            **IdentityForm.Meta.help_texts,
            **ImmersionForm.Meta.help_texts,
            **PracticalitiesForm.Meta.help_texts,
        }
        widgets = {
            **IdentityForm.Meta.widgets,
            **ImmersionForm.Meta.widgets,
            **PracticalitiesForm.Meta.widgets,
        }

    def clean(self):
        return check_practicalities(self, super().clean())


class PauseForm(StyledFormMixin, forms.Form):
    until = PauseDateField(
        label="En pause jusqu'au (inclus)",
        error_messages={
            "required": "Choisissez la date de fin de la pause.",
            "invalid": "Saisissez une date, par exemple 31/08/2026.",
        },
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class InviteForm(StyledFormMixin, forms.Form):
    email = EmailAddressField(
        label="Adresse e-mail de la personne",
        autocomplete="off",
        error_messages={"required": "Indiquez l'adresse e-mail de la personne à inviter."},
    )
    role = forms.ChoiceField(
        label="Rôle",
        choices=[
            (
                StructureMembership.Role.CONTACT,
                "Contact : voit les demandes, peut mettre en pause",
            ),
            (
                StructureMembership.Role.ADMIN,
                "Administrateur : modifie tout et gère l'équipe",
            ),
        ],
        initial=StructureMembership.Role.CONTACT,
        widget=forms.RadioSelect,
    )


class JoinRequestForm(StyledFormMixin, HoneypotMixin, forms.Form):
    name = forms.CharField(
        label="Vos prénom et nom",
        max_length=150,
        error_messages={"required": "Indiquez vos prénom et nom."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailAddressField(
        label="Votre adresse e-mail professionnelle",
        error_messages={"required": "Indiquez votre adresse e-mail."},
    )
    message = forms.CharField(
        label="Votre message à l'équipe",
        max_length=1000,
        required=False,
        help_text="Par exemple : votre fonction, pourquoi vous souhaitez rejoindre l'équipe.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
