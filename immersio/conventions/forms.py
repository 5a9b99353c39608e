"""The steps of the « Demande de convention » form.

Each step form cleans its own fields into model values (``step_data``); the rules
(``rules.check``) are run on the saved draft and their messages mapped back to the fields
with ``FIELD_MAP``.
"""

from datetime import date, time

from django import forms
from django.db.models import Q

from immersio.core.fields import (
    BirthDateField,
    ContractDateField,
    ImmersionDateField,
)
from immersio.core.validators import normalize_siret, siret_error
from immersio.referentials.models import Appellation, Commune
from immersio.referentials.text import normalize_commune_name
from immersio.structures.forms import StyledFormMixin

from .models import TEXT_MAX, WEEKDAY_NAMES, Convention
from .services import REQUIRED

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
INVALID_DATE = "Date invalide : indiquez une date qui existe (ex. 04/03/2026)."
INVALID_TIME = "Heure invalide : indiquez une heure de 00:00 à 23:59 (ex. 09:30)."
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
SLOTS_PER_DAY = 2


def _date_field(label, required=False):
    return ImmersionDateField(
        label=label,
        required=required,
        error_messages={"invalid": INVALID_DATE, "required": f"Indiquez la {label.lower()}."},
    )


class StepForm(StyledFormMixin, forms.ModelForm):
    date_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = INVALID_DATE
            if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            if name in REQUIRED:
                field.required = True
                field.error_messages["required"] = REQUIRED[name][1]
            if name.endswith("email"):
                field.error_messages["invalid"] = (
                    "Adresse e-mail invalide : indiquez une adresse de la forme nom@exemple.fr."
                )

    def step_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class BeneficiaryForm(StepForm):
    class Meta:
        model = Convention
        fields = [
            "beneficiary_first_name",
            "beneficiary_last_name",
            "beneficiary_birth_date",
            "beneficiary_email",
            "beneficiary_phone",
            "beneficiary_address",
            "beneficiary_situation",
            "beneficiary_rqth",
            "beneficiary_rsa",
            "emergency_contact_name",
            "emergency_contact_phone",
            "help_needed",
            "legal_rep_first_name",
            "legal_rep_last_name",
            "legal_rep_email",
            "legal_rep_phone",
            "legal_rep_relationship",
            "is_employee",
            "employer_name",
            "employer_siret",
            "employer_rep_name",
            "employer_rep_function",
            "employer_rep_email",
            "employer_rep_phone",
            "contract_kind",
            "contract_start",
            "contract_end",
        ]
        widgets = {"help_needed": forms.Textarea}
        field_classes = {
            "beneficiary_birth_date": BirthDateField,
            "contract_start": ContractDateField,
            "contract_end": ContractDateField,
        }

    legal_fields = [f for f in Meta.fields if f.startswith("legal_rep_")]
    employer_fields = [
        f for f in Meta.fields if f.startswith(("employer_", "contract_")) or f == "is_employee"
    ]

    def main_fields(self):
        return [
            self[f] for f in self.Meta.fields if f not in self.legal_fields + self.employer_fields
        ]

    def legal_rep(self):
        return [self[f] for f in self.legal_fields]

    def employer(self):
        return [self[f] for f in self.employer_fields]

    def clean_employer_siret(self):
        value = normalize_siret(self.cleaned_data.get("employer_siret", ""))
        if value and (error := siret_error(value)):
            raise forms.ValidationError(error)
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("contract_start"), cleaned.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", "La fin du contrat doit suivre son début.")
        if cleaned.get("contract_kind") and not (start and end):
            self.add_error("contract_start", "Indiquez les dates du contrat aidé ou d'insertion.")
        return cleaned


class StructureForm(StepForm):
    class Meta:
        model = Convention
        fields = [
            "host_siret",
            "host_name",
            "host_legal_form",
            "host_activity",
            "host_collective_agreement",
            "host_headcount",
            "host_address",
            "host_rep_name",
            "host_rep_function",
            "host_rep_email",
            "host_rep_phone",
            "tutor_name",
            "tutor_function",
            "tutor_email",
            "tutor_phone",
            "replaces_no_job",
        ]
        labels = {
            "replaces_no_job": "La structure certifie que l'immersion ne remplace aucun emploi "
            "(poste permanent, pic d'activité, emploi saisonnier ou salarié absent)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["replaces_no_job"]
        field.required = True
        field.error_messages["required"] = (
            "La structure doit certifier que l'immersion ne remplace aucun emploi."
        )

    def clean_host_siret(self):
        value = normalize_siret(self.cleaned_data.get("host_siret", ""))
        if value and (error := siret_error(value)):
            raise forms.ValidationError(error)
        return value


class ImmersionForm(StepForm):
    appellation_text = forms.CharField(
        label="Métier observé",
        error_messages={"required": REQUIRED["appellation"][1]},
        max_length=255,
        help_text="Le libellé du métier (ex. Maraîcher / Maraîchère) ou son code OGR.",
    )
    place_commune_text = forms.CharField(
        label="Code postal et commune du lieu",
        required=False,
        max_length=255,
        help_text="Ex. 69001 Lyon.",
    )

    class Meta:
        model = Convention
        fields = [
            "object",
            "objectives",
            "tasks",
            "skills",
            "place_address",
            "work_conditions",
            "risks",
            "prevention",
            "provides_meals",
            "provides_transport",
        ]
        widgets = {
            "object": forms.RadioSelect,
            "objectives": forms.Textarea,
            "tasks": forms.Textarea,
            "skills": forms.Textarea,
            "work_conditions": forms.Textarea,
            "risks": forms.Textarea,
            "prevention": forms.Textarea,
        }

    field_order = ["object", "objectives", "appellation_text", "tasks", "skills"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object"].choices = [c for c in self.fields["object"].choices if c[0]]
        instance = self.instance
        if instance.appellation_id:
            self.initial.setdefault("appellation_text", instance.appellation.label)
        if instance.place_commune_id:
            commune = instance.place_commune
            code = (commune.postal_codes.split() or [""])[0]
            self.initial.setdefault("place_commune_text", f"{code} {commune.name}".strip())

    def clean_appellation_text(self):
        text = self.cleaned_data["appellation_text"].strip()
        self.cleaned_data["appellation"] = None
        if not text:
            return text
        found = None
        if text.isdigit():
            found = Appellation.objects.filter(code=int(text)).first()
        if found is None:
            found = (
                Appellation.objects.filter(Q(label__iexact=text) | Q(short_label__iexact=text))
                .order_by("code")
                .first()
            )
        if found is None:
            raise forms.ValidationError(
                "Métier introuvable : recopiez le libellé exact du métier (ex. Maraîcher / "
                "Maraîchère) ou son code OGR."
            )
        self.cleaned_data["appellation"] = found
        return text

    def clean_place_commune_text(self):
        text = self.cleaned_data["place_commune_text"].strip()
        self.cleaned_data["place_commune"] = None
        if not text:
            return text
        code, _, name = text.partition(" ")
        candidates = Commune.objects.filter(kind=Commune.Kind.COMMUNE)
        if code.isdigit() and len(code) == 5:
            candidates = candidates.filter(postal_codes__contains=code)
            if name.strip():
                named = candidates.filter(normalized_name=normalize_commune_name(name))
                candidates = named if named.exists() else candidates
        else:
            candidates = candidates.filter(normalized_name=normalize_commune_name(text))
        found = list(candidates.order_by("-population")[:2])
        if not found:
            raise forms.ValidationError(
                "Commune introuvable : indiquez le code postal puis le nom (ex. 69001 Lyon)."
            )
        self.cleaned_data["place_commune"] = found[0]
        return text

    def step_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["appellation"] = self.cleaned_data.get("appellation")
        data["place_commune"] = self.cleaned_data.get("place_commune")
        return data


class ScheduleForm(StyledFormMixin, forms.Form):
    """Dates, a weekly pattern (up to two slots a weekday) and exceptions."""

    date_start = _date_field("Date de début", required=True)
    date_end = _date_field("Date de fin", required=True)
    exceptions = forms.CharField(
        label="Jours qui s'écartent de ces horaires",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une ligne par jour : « 14/03/2026 absent » ou « 14/03/2026 08:00-12:00 » "
        "(deux plages séparées par une virgule).",
    )

    def __init__(self, *args, instance: Convention, **kwargs):
        self.instance = instance
        initial = {
            "date_start": instance.date_start,
            "date_end": instance.date_end,
            "exceptions": format_exceptions(instance.schedule_exceptions),
        }
        for weekday, slots in (instance.weekly_pattern or {}).items():
            for number, (start, end) in enumerate(slots, start=1):
                initial[f"d{weekday}_s{number}_start"] = time.fromisoformat(start)
                initial[f"d{weekday}_s{number}_end"] = time.fromisoformat(end)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for weekday, name in enumerate(WEEKDAY_NAMES):
            for number in range(1, SLOTS_PER_DAY + 1):
                for bound, word in (("start", "début"), ("end", "fin")):
                    self.fields[f"d{weekday}_s{number}_{bound}"] = forms.TimeField(
                        label=f"{name.capitalize()}, plage {number}, {word}",
                        required=False,
                        widget=forms.TimeInput(
                            attrs={"type": "time", "class": "form-control"}, format="%H:%M"
                        ),
                        error_messages={"invalid": INVALID_TIME},
                    )
        for name in ("date_start", "date_end"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def weekdays(self):
        return [
            {
                "name": name,
                "slots": [
                    (self[f"d{weekday}_s{n}_start"], self[f"d{weekday}_s{n}_end"])
                    for n in range(1, SLOTS_PER_DAY + 1)
                ],
            }
            for weekday, name in enumerate(WEEKDAY_NAMES)
        ]

    def clean_exceptions(self):
        text = self.cleaned_data["exceptions"]
        try:
            return parse_exceptions(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        pattern: dict[str, list[list[str]]] = {}
        for weekday, name in enumerate(WEEKDAY_NAMES):
            for number in range(1, SLOTS_PER_DAY + 1):
                start_name, end_name = f"d{weekday}_s{number}_start", f"d{weekday}_s{number}_end"
                if start_name in self.errors or end_name in self.errors:
                    continue
                start, end = cleaned.get(start_name), cleaned.get(end_name)
                if (start is None) != (end is None):
                    missing = end_name if end is None else start_name
                    self.add_error(
                        missing,
                        f"{name.capitalize()}, plage {number} : indiquez l'heure de début et "
                        "l'heure de fin.",
                    )
                elif start is not None:
                    pattern.setdefault(str(weekday), []).append(
                        [start.strftime("%H:%M"), end.strftime("%H:%M")]
                    )
        cleaned["weekly_pattern"] = pattern
        return cleaned

    def step_data(self) -> dict:
        return {
            "date_start": self.cleaned_data["date_start"],
            "date_end": self.cleaned_data["date_end"],
            "weekly_pattern": self.cleaned_data["weekly_pattern"],
            "schedule_exceptions": self.cleaned_data["exceptions"],
        }


def parse_exceptions(text: str) -> dict[str, list[list[str]]]:
    """« 14/03/2026 absent » / « 14/03/2026 08:00-12:00, 13:00-16:00 », one per line."""
    result: dict[str, list[list[str]]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        day_text, _, rest = line.partition(" ")
        try:
            day = date(*reversed([int(p) for p in day_text.split("/")]))
        except (TypeError, ValueError):
            raise ValueError(
                f"Ligne {number} : date invalide « {day_text} » ; écrivez une date qui existe, "
                "au format JJ/MM/AAAA."
            ) from None
        if not MIN_DATE <= day <= MAX_DATE:
            raise ValueError(f"Ligne {number} : date hors de la période possible.")
        rest = rest.strip()
        slots: list[list[str]] = []
        if rest.casefold() not in ("absent", "absente", "-", ""):
            for part in rest.split(","):
                start, sep, end = part.strip().partition("-")
                try:
                    if not sep:
                        raise ValueError
                    parsed = [time.fromisoformat(start.strip()), time.fromisoformat(end.strip())]
                except ValueError:
                    raise ValueError(
                        f"Ligne {number} : horaires invalides « {part.strip()} » ; écrivez par "
                        "exemple 08:00-12:00, avec des heures de 00:00 à 23:59."
                    ) from None
                slots.append([t.strftime("%H:%M") for t in parsed])
        if day.isoformat() in result:
            raise ValueError(f"Ligne {number} : le {day_text} apparaît deux fois.")
        result[day.isoformat()] = slots
    return result


def format_exceptions(exceptions: dict) -> str:
    lines = []
    for day, slots in sorted((exceptions or {}).items()):
        label = date.fromisoformat(day).strftime("%d/%m/%Y")
        lines.append(f"{label} " + (", ".join(f"{a}-{b}" for a, b in slots) or "absent"))
    return "\n".join(lines)


class AgencyForm(StyledFormMixin, forms.Form):
    agency = forms.ChoiceField(
        label="Prescripteur",
        widget=forms.RadioSelect,
        error_messages={
            "required": REQUIRED["agency"][1],
            "invalid_choice": "Choisissez un prescripteur dans la liste.",
        },
    )
    counsellor_name = forms.CharField(
        label="Conseiller ou conseillère référent(e)",
        max_length=150,
        error_messages={"required": REQUIRED["counsellor_name"][1]},
    )
    counsellor_email = forms.EmailField(
        label="Adresse e-mail du conseiller référent",
        required=False,
        error_messages={
            "invalid": "Adresse e-mail invalide : indiquez une adresse de la forme nom@exemple.fr."
        },
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {str(hit.agency.public_id): hit.agency for hit in agencies}
        self.fields["agency"].choices = [
            (
                str(hit.agency.public_id),
                f"{hit.agency.name} ({hit.agency.kind_label}, {hit.agency.commune.name}"
                + (f", {hit.distance_km:.0f} km" if hit.distance_km is not None else "")
                + ")",
            )
            for hit in agencies
        ]

    def step_data(self) -> dict:
        return {
            "agency": self.agencies.get(self.cleaned_data["agency"]),
            "counsellor_name": self.cleaned_data["counsellor_name"],
            "counsellor_email": self.cleaned_data["counsellor_email"],
        }
