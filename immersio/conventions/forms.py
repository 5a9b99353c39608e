"""The steps of the « Demande de convention » form.

Each step form cleans its own fields into model values (``step_data``); the rules
(``rules.check``) are run on the saved draft and their messages mapped back to the fields
with ``FIELD_MAP``.
"""

from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError

from immersio.core.fields import (
    BirthDateField,
    ContractDateField,
    EmailAddressField,
    ImmersionDateField,
    PhoneField,
    SearchDateField,
)
from immersio.core.forms import StyledFormMixin
from immersio.core.validators import normalize_siret, siret_error
from immersio.referentials.models import Commune
from immersio.referentials.text import normalize_commune_name

from .models import WEEKDAY_NAMES, Convention
from .services import ACCESS_REASON_MAX, BENEFICIARY_FIELDS, HOST_FIELDS, REQUIRED
from .signing import OneTimeCodeProvider

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
INVALID_DATE = "Date invalide : indiquez une date qui existe (ex. 04/03/2026)."
INVALID_TIME = "Heure invalide : indiquez une heure de 00:00 à 23:59 (ex. 09:30)."
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

    def partial_data(self) -> dict:
        """After ``is_valid()`` failed: the values without errors, saved when the person
        leaves the step (the others wait in the session, with their errors)."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.cleaned_data and name not in self.errors
        }


class BeneficiaryForm(StepForm):
    class Meta:
        model = Convention
        fields = list(BENEFICIARY_FIELDS)
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

    # True once ``hide_sensitive`` removed the fields its viewer may not see.
    sensitive_hidden = False

    def hide_sensitive(self, names: tuple[str, ...]) -> None:
        """For someone who is not a party (``selectors.sensitive_access``): the fields are
        neither shown nor saved; the draft keeps their values."""
        for name in names:
            self.fields.pop(name, None)
        self.sensitive_hidden = True

    def main_fields(self):
        return [
            self[f]
            for f in self.Meta.fields
            if f in self.fields and f not in self.legal_fields + self.employer_fields
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
        fields = [*HOST_FIELDS, "replaces_no_job"]
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
    # The referentials combobox (as in the search): a text, and the code of the chosen
    # suggestion; without JavaScript, the text alone is resolved.
    appellation_text = forms.CharField(
        label="Métier observé",
        error_messages={"required": REQUIRED["appellation"][1]},
        max_length=100,
        help_text="Le début du mot suffit (ex. maraîcher), ou un code ROME.",
    )
    appellation_code = forms.CharField(required=False, widget=forms.HiddenInput)
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
        labels = {"objectives": "Objectifs précis et modalités d'évaluation"}
        help_texts = {
            "objectives": "Un objectif par ligne, de 1 à 5, chacun en une phrase courte "
            "(ex. « Découvrir les gestes du métier »). L'ordre, les majuscules et les accents "
            "ne comptent pas quand on compare deux conventions.",
        }

    field_order = ["object", "objectives", "appellation_text", "tasks", "skills"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object"].choices = [c for c in self.fields["object"].choices if c[0]]
        self.fields["objectives"].widget.attrs["rows"] = 5  # one objective a line, up to 5
        instance = self.instance
        if instance.appellation_id:
            self.initial.setdefault("appellation_text", instance.appellation.label)
            self.initial.setdefault("appellation_code", str(instance.appellation.code))
        if instance.place_commune_id:
            commune = instance.place_commune
            code = (commune.postal_codes.split() or [""])[0]
            self.initial.setdefault("place_commune_text", f"{code} {commune.name}".strip())

    def clean_appellation_text(self):
        from immersio.structures.lookups import resolve_appellation

        text = self.cleaned_data["appellation_text"].strip()
        self.cleaned_data["appellation"] = None
        if not text:
            return text
        code = self.data.get(self.add_prefix("appellation_code"), "")
        try:
            found = resolve_appellation(text, code)
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from error
        self.cleaned_data["appellation"] = found
        return found.label

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

    def partial_data(self) -> dict:
        data = super().partial_data()
        for name, text in (
            ("appellation", "appellation_text"),
            ("place_commune", "place_commune_text"),
        ):
            if text not in self.errors and name in self.cleaned_data:
                data[name] = self.cleaned_data[name]
        return data


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
        error_messages={"invalid": INVALID_TIME},
    )


MODE_SAME, MODE_DETAIL = "memes", "detail"
EXCEPTION_ROWS_MAX = 40


class ScheduleForm(StyledFormMixin, forms.Form):
    """Dates, then either the same hours every day of presence (one pair of slots and the
    weekdays) or hours day by day (up to two slots a weekday), then the days that differ
    (a date, absent or their own hours): date and time fields, no syntax to learn."""

    date_start = _date_field("Date de début", required=True)
    date_end = _date_field("Date de fin", required=True)
    mode = forms.ChoiceField(
        label="Horaires",
        choices=[
            (MODE_SAME, "Les mêmes horaires chaque jour de présence"),
            (MODE_DETAIL, "Des horaires différents selon les jours"),
        ],
        widget=forms.RadioSelect,
        initial=MODE_SAME,
        error_messages={"required": "Choisissez comment indiquer les horaires."},
    )
    days = forms.MultipleChoiceField(
        label="Jours de présence",
        required=False,
        choices=[(str(n), name.capitalize()) for n, name in enumerate(WEEKDAY_NAMES)],
        widget=forms.CheckboxSelectMultiple,
    )
    exception_rows = forms.IntegerField(
        required=False, min_value=0, max_value=EXCEPTION_ROWS_MAX, widget=forms.HiddenInput
    )

    def __init__(
        self, *args, instance: Convention, add_exception: bool = False, rows: int = 0, **kwargs
    ):
        self.instance = instance
        pattern = {int(k): v for k, v in (instance.weekly_pattern or {}).items() if v}
        distinct = {tuple(map(tuple, slots)) for slots in pattern.values()}
        initial = {
            "date_start": instance.date_start,
            "date_end": instance.date_end,
            "mode": MODE_DETAIL if len(distinct) > 1 else MODE_SAME,
            "days": [str(d) for d in sorted(pattern)] or ["0", "1", "2", "3", "4"],
        }
        if len(distinct) == 1:
            for number, (start, end) in enumerate(next(iter(distinct)), start=1):
                initial[f"same_s{number}_start"] = time.fromisoformat(start)
                initial[f"same_s{number}_end"] = time.fromisoformat(end)
        for weekday, slots in pattern.items():
            for number, (start, end) in enumerate(slots, start=1):
                initial[f"d{weekday}_s{number}_start"] = time.fromisoformat(start)
                initial[f"d{weekday}_s{number}_end"] = time.fromisoformat(end)
        exceptions = sorted((instance.schedule_exceptions or {}).items())
        for row, (day, slots) in enumerate(exceptions):
            initial[f"x{row}_date"] = date.fromisoformat(day)
            initial[f"x{row}_absent"] = not slots
            for number, (start, end) in enumerate(slots, start=1):
                initial[f"x{row}_s{number}_start"] = time.fromisoformat(start)
                initial[f"x{row}_s{number}_end"] = time.fromisoformat(end)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for number in range(1, SLOTS_PER_DAY + 1):
            self.fields[f"same_s{number}_start"] = _time_field(f"Plage {number}, début")
            self.fields[f"same_s{number}_end"] = _time_field(f"Plage {number}, fin")
        for weekday, name in enumerate(WEEKDAY_NAMES):
            for number in range(1, SLOTS_PER_DAY + 1):
                for bound, word in (("start", "début"), ("end", "fin")):
                    self.fields[f"d{weekday}_s{number}_{bound}"] = _time_field(
                        f"{name.capitalize()}, plage {number}, {word}"
                    )
        if self.is_bound:
            try:
                rows = int(self.data.get("exception_rows") or 0)
            except ValueError:
                rows = 0
        else:
            rows = max(rows, len(exceptions) + 1)
        rows = max(1, min(rows + (1 if add_exception else 0), EXCEPTION_ROWS_MAX))
        self.rows = rows
        if add_exception and self.is_bound:
            self.data = self.data.copy()
            self.data["exception_rows"] = str(rows)
        self.initial["exception_rows"] = rows
        for row in range(rows):
            self.fields[f"x{row}_date"] = ImmersionDateField(
                label=f"Jour {row + 1}",
                required=False,
                error_messages={"invalid": INVALID_DATE},
            )
            self.fields[f"x{row}_absent"] = forms.BooleanField(
                label="Absent ce jour-là", required=False
            )
            for number in range(1, SLOTS_PER_DAY + 1):
                self.fields[f"x{row}_s{number}_start"] = _time_field(
                    f"Jour {row + 1}, plage {number}, début"
                )
                self.fields[f"x{row}_s{number}_end"] = _time_field(
                    f"Jour {row + 1}, plage {number}, fin"
                )
        for name in ("date_start", "date_end"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def same_slots(self):
        return [
            (self[f"same_s{n}_start"], self[f"same_s{n}_end"]) for n in range(1, SLOTS_PER_DAY + 1)
        ]

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

    def exception_rows_fields(self):
        return [
            {
                "number": row + 1,
                "date": self[f"x{row}_date"],
                "absent": self[f"x{row}_absent"],
                "slots": [
                    (self[f"x{row}_s{n}_start"], self[f"x{row}_s{n}_end"])
                    for n in range(1, SLOTS_PER_DAY + 1)
                ],
            }
            for row in range(self.rows)
        ]

    def _slots(self, cleaned, prefix: str, label: str) -> list[list[str]]:
        """The slots of ``prefix`` (``same``, ``d0``, ``x3``…); an error on a half-filled
        slot (one message for the slot, not one per field)."""
        slots = []
        for number in range(1, SLOTS_PER_DAY + 1):
            start_name, end_name = f"{prefix}_s{number}_start", f"{prefix}_s{number}_end"
            if start_name in self.errors or end_name in self.errors:
                continue
            start, end = cleaned.get(start_name), cleaned.get(end_name)
            if (start is None) != (end is None):
                self.add_error(
                    end_name if end is None else start_name,
                    f"{label}, plage {number} : indiquez l'heure de début et l'heure de fin.",
                )
            elif start is not None:
                slots.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
        return slots

    def clean(self):
        cleaned = super().clean()
        pattern: dict[str, list[list[str]]] = {}
        if cleaned.get("mode") == MODE_DETAIL:
            for weekday, name in enumerate(WEEKDAY_NAMES):
                if slots := self._slots(cleaned, f"d{weekday}", name.capitalize()):
                    pattern[str(weekday)] = slots
        elif cleaned.get("mode") == MODE_SAME:
            slots = self._slots(cleaned, "same", "Horaires de chaque jour")
            days = cleaned.get("days") or []
            if slots and not days:
                self.add_error("days", "Cochez les jours de présence.")
            for day in sorted(days, key=int):
                pattern[day] = slots
            if not slots:
                pattern = {}
        exceptions: dict[str, list[list[str]]] = {}
        for row in range(self.rows):
            day = cleaned.get(f"x{row}_date")
            label = f"Jour {row + 1}"
            slots = self._slots(cleaned, f"x{row}", label)
            absent = cleaned.get(f"x{row}_absent")
            if day is None:
                if (slots or absent) and f"x{row}_date" not in self.errors:
                    self.add_error(f"x{row}_date", f"{label} : indiquez la date.")
                continue
            if day.isoformat() in exceptions:
                self.add_error(
                    f"x{row}_date", f"{label} : le {day:%d/%m/%Y} est déjà indiqué plus haut."
                )
                continue
            if absent and slots:
                self.add_error(
                    f"x{row}_absent",
                    f"{label} : cochez « absent » ou indiquez des horaires, pas les deux.",
                )
                continue
            if not absent and not slots:
                self.add_error(
                    f"x{row}_s1_start",
                    f"{label} : indiquez les horaires de ce jour, ou cochez « absent ».",
                )
                continue
            exceptions[day.isoformat()] = [] if absent else slots
        cleaned["weekly_pattern"] = pattern
        cleaned["exceptions"] = exceptions
        return cleaned

    def step_data(self) -> dict:
        return {
            "date_start": self.cleaned_data["date_start"],
            "date_end": self.cleaned_data["date_end"],
            "weekly_pattern": self.cleaned_data["weekly_pattern"],
            "schedule_exceptions": self.cleaned_data["exceptions"],
        }


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


class InviteForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail de la personne à inviter",
        max_length=254,
        error_messages={
            "required": "Indiquez l'adresse e-mail de la personne à inviter.",
            "invalid": "Adresse e-mail invalide : indiquez une adresse de la forme nom@exemple.fr.",
        },
    )


# --- the lifecycle -----------------------------------------------------------------------

REASON_MAX = 1000


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label="Code reçu",
        min_length=6,
        max_length=6,
        help_text=(
            f"Les 6 chiffres reçus à l'instant, valables {OneTimeCodeProvider.minutes} minutes."
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": "Saisissez le code à 6 chiffres reçu.",
            "min_length": "Le code compte 6 chiffres.",
            "max_length": "Le code compte 6 chiffres.",
        },
    )
    confirm = forms.BooleanField(
        label="J'ai lu la convention et je l'accepte : je la signe.",
        error_messages={
            "required": "Cochez la case pour confirmer que vous avez lu la convention et "
            "l'acceptez."
        },
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError("Le code ne contient que des chiffres.")
        return code


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Indiquez le motif : il est communiqué aux parties et au prescripteur."
        },
    )


class SensitiveAccessForm(StyledFormMixin, forms.Form):
    """What the Immersio team says before seeing a convention's sensitive fields; the
    reason is kept in the log the person reads."""

    reason = forms.CharField(
        label="Pourquoi consultez-vous ces informations ?",
        max_length=ACCESS_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Le motif est conservé et communiqué à la personne concernée.",
        error_messages={"required": "Indiquez pourquoi vous consultez ces informations."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Indiquez pourquoi vous consultez ces informations.")
        return reason


class ReviewFilterForm(StyledFormMixin, forms.Form):
    """The prescriber's list: by status, start dates, conseiller, beneficiary."""

    statut = forms.ChoiceField(label="État", required=False)
    debut_du = SearchDateField(label="Début à partir du", required=False)
    debut_au = SearchDateField(label="Début jusqu'au", required=False)
    conseiller = forms.CharField(label="Conseiller ou conseillère", required=False, max_length=150)
    beneficiaire = forms.CharField(label="Nom du bénéficiaire", required=False, max_length=150)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [("", "Tous les états"), *statuses]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("debut_du"), cleaned.get("debut_au")
        if start and end and end < start:
            self.add_error("debut_au", "Cette date doit suivre la date « à partir du ».")
        return cleaned


class DecisionForm(StyledFormMixin, forms.Form):
    """One decision on a convention; ``version`` and ``status`` are what the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.CharField(widget=forms.HiddenInput, max_length=30)
    reason = forms.CharField(
        label="Motif",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Communiqué aux parties.",
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        self.fields["reason"].error_messages["required"] = (
            "Indiquez le motif : il est communiqué aux parties."
        )


class TransferForm(DecisionForm):
    agency = forms.ModelChoiceField(
        label="Nouveau prescripteur",
        queryset=None,
        empty_label="Choisissez",
        error_messages={
            "required": "Choisissez le prescripteur qui suivra la convention.",
            "invalid_choice": "Choisissez un prescripteur de la liste.",
        },
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, reason_required=True, **kwargs)
        self.fields["agency"].queryset = agencies


class CorrectionForm(StyledFormMixin, forms.ModelForm):
    """Contact details and the spelling of names: corrected without new signatures."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Motif de la correction",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Indiquez le motif : il est communiqué aux parties."},
    )

    class Meta:
        model = Convention
        fields = (
            "beneficiary_first_name",
            "beneficiary_last_name",
            "beneficiary_email",
            "beneficiary_phone",
            "legal_rep_first_name",
            "legal_rep_last_name",
            "legal_rep_email",
            "legal_rep_phone",
            "employer_rep_name",
            "employer_rep_email",
            "employer_rep_phone",
            "host_rep_name",
            "host_rep_email",
            "host_rep_phone",
            "tutor_name",
            "tutor_email",
            "tutor_phone",
            "counsellor_name",
            "counsellor_email",
        )

    def changed_values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields
        }


PAPER_MAX_BYTES = 5 * 1024 * 1024
PAPER_TYPES = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}


class PaperSignatureForm(StyledFormMixin, forms.Form):
    """Last resort: the scan of a paper signature for one signatory."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    scan = forms.FileField(
        label="Scan de la convention signée",
        help_text="PDF, JPEG ou PNG, 5 Mo au maximum.",
        error_messages={"required": "Joignez le scan de la convention signée."},
    )
    confirm = forms.BooleanField(
        label="Je certifie que ce document porte la signature manuscrite de cette personne.",
        error_messages={"required": "Cochez la case pour certifier la signature."},
    )

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        if scan.size > PAPER_MAX_BYTES:
            raise ValidationError("Le fichier dépasse 5 Mo : réduisez sa taille.")
        head = scan.read(8)
        scan.seek(0)
        if not any(head.startswith(magic) for magic in PAPER_TYPES):
            raise ValidationError("Joignez un fichier PDF, JPEG ou PNG.")
        return scan


class SecondSignatoryForm(StyledFormMixin, forms.Form):
    """A second signatory for the host structure (a public employer that requires it)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(
        label="Prénom et nom",
        max_length=300,
        error_messages={"required": "Indiquez le prénom et le nom du second signataire."},
    )
    email = EmailAddressField(label="Adresse e-mail", required=False)
    phone = PhoneField(
        label="Téléphone mobile",
        required=False,
        help_text="À défaut d'adresse e-mail : le lien et le code partent par SMS.",
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            self.add_error("email", "Indiquez une adresse e-mail ou, à défaut, un mobile.")
        return cleaned
