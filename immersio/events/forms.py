"""Forms of the event pages: the proposal (and its edit), the team's refusal, the
search. They check what a person typed; services change state."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from immersio.agencies.forms import read_commune
from immersio.core.fields import (
    BoundedDateField,
    DateBounds,
    EmailAddressField,
    SearchDateField,
)
from immersio.core.forms import StyledFormMixin
from immersio.structures.models import Cause, HostStructure, Network

from . import rules
from .models import Event, Kind
from .selectors import DEFAULT_RADIUS_KM, RADII_KM, EventQuery, Format
from .services import EventData


def _latest_day() -> date:
    return rules.latest_start(timezone.localtime()).date()


EVENT_DATE = DateBounds(
    "événement",
    earliest=timezone.localdate,
    latest=_latest_day,
    too_early="Cette date est passée : un événement s'annonce avant d'avoir lieu.",
    too_late=f"Annoncez un événement au plus {rules.MAX_YEARS_AHEAD} ans à l'avance, "
    "jusqu'au {latest}.",
)


class EventDateField(BoundedDateField):
    """A day of an event to come."""

    bounds = EVENT_DATE


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
#: Fourteen digits, a space allowed between any two (« 123 456 789 00012 »).
SIRET = re.compile(r"(?<!\d)(?:\d ?){13}\d(?!\d)")
#: How many structures a name that matches none suggests.
SUGGESTIONS = 3


def participant_line(structure: HostStructure) -> str:
    """How the form shows a participating structure, and reads it back: its name, then
    its SIRET (or the address of its page)."""
    key = structure.siret or reverse(
        "directory:structure", kwargs={"public_id": structure.public_id}
    )
    return f"{structure.display_name} — {key}"


def _participant(line: str) -> tuple[HostStructure | None, str]:
    """The published structure a line names, by the address of its page, its SIRET or
    its name; or why it names none (a French message quoting the line)."""
    public = HostStructure.objects.public()
    if match := UUID.search(line):
        found = public.filter(public_id=match.group(0).lower()).first()
        if found is None:
            return None, (
                f"« {line} » : cette adresse n'est pas celle d'une structure publiée sur "
                "Immersio ; vérifiez-la dans la recherche des structures."
            )
        return found, ""
    if match := SIRET.search(line):
        siret = match.group(0).replace(" ", "")
        found = public.filter(siret=siret).order_by("pk").first()
        if found is None:
            return None, f"« {line} » : aucune structure publiée sur Immersio n'a ce SIRET."
        return found, ""
    name = line.strip(" -—–")
    named = list(public.filter(Q(name__iexact=name) | Q(brand_name__iexact=name))[:2])
    if len(named) == 1:
        return named[0], ""
    if named:
        return None, (
            f"« {line} » : plusieurs structures portent ce nom ; donnez son SIRET ou "
            "l'adresse de sa page sur Immersio."
        )
    close = public.filter(Q(name__icontains=name) | Q(brand_name__icontains=name)).order_by(
        "name", "pk"
    )[:SUGGESTIONS]
    if close:
        listed = " ; ".join(participant_line(structure) for structure in close)
        return None, f"« {line} » : aucune structure publiée ne porte ce nom. Peut-être : {listed}."
    return None, (
        f"« {line} » : aucune structure publiée sur Immersio ne porte ce nom ; vérifiez-le "
        "dans la recherche des structures."
    )


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


#: The rules' fields, as the form names them.
RULE_FIELDS = {"starts_at": "start_date", "ends_at": "end_date", "commune": "lieu"}


class EventForm(StyledFormMixin, forms.Form):
    title = forms.CharField(
        label="Titre",
        max_length=160,
        help_text="Ce que l'on verra dans la liste, par exemple « Forum de l'emploi solidaire ».",
    )
    kind = forms.ChoiceField(label="Type d'événement", choices=Kind.choices)
    description = forms.CharField(
        label="Présentation",
        max_length=rules.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Pour qui, ce qui s'y passe, qui on peut y rencontrer.",
    )
    start_date = EventDateField(label="Date de début")
    start_time = forms.TimeField(
        label="Heure de début",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Heure invalide : indiquez-la comme 09:30."},
    )
    end_date = EventDateField(label="Date de fin")
    end_time = forms.TimeField(
        label="Heure de fin",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Heure invalide : indiquez-la comme 17:00."},
    )
    address = forms.CharField(
        label="Adresse", required=False, max_length=255, help_text="Numéro, rue, lieu-dit."
    )
    lieu = forms.CharField(label="Commune", required=False, max_length=100)
    commune = forms.CharField(required=False, max_length=5)
    online_url = forms.URLField(
        label="Lien pour participer en ligne",
        required=False,
        assume_scheme="https",
        help_text="Pour un événement en ligne, ou diffusé en ligne.",
    )
    host_structure = forms.ModelChoiceField(
        label="Structure organisatrice",
        queryset=HostStructure.objects.none(),
        required=False,
        empty_label="— Aucune (un réseau organise) —",
    )
    network = forms.ModelChoiceField(
        label="Réseau organisateur",
        queryset=Network.objects.order_by("position", "name"),
        required=False,
        empty_label="— Aucun —",
        help_text="Si l'événement est celui d'un réseau (CRESS, FNE, GRAINE…).",
    )
    organiser_name = forms.CharField(
        label="Nom de l'organisateur affiché",
        required=False,
        max_length=160,
        help_text="Par défaut, le nom de la structure.",
    )
    causes = forms.ModelMultipleChoiceField(
        label="Causes",
        queryset=Cause.objects.order_by("position", "label"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = forms.CharField(
        label="Autres structures participantes",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une par ligne : son nom, son SIRET ou l'adresse de sa page sur Immersio "
        f"({rules.MAX_PARTICIPANTS} structures au plus). Elles doivent être publiées sur "
        "Immersio.",
    )
    registration_url = forms.URLField(
        label="Lien pour s'inscrire", required=False, assume_scheme="https"
    )
    is_free = forms.TypedChoiceField(
        label="Participation",
        choices=[("oui", "Gratuite"), ("non", "Payante")],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        initial="oui",
    )
    price = forms.CharField(
        label="Tarif", required=False, max_length=200, help_text="Si la participation est payante."
    )
    price.conditional = True  # asked when the participation is not free
    accessibility = forms.CharField(
        label="Accessibilité",
        required=False,
        max_length=rules.MAX_ACCESSIBILITY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Accès en fauteuil, transports, interprète LSF, boucle magnétique…",
    )
    contact_email = EmailAddressField(
        label="Adresse e-mail de contact",
        required=False,
        autocomplete="off",
        help_text="Affichée sur la page de l'événement : préférez une adresse de la structure.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import submitter_structures

        self.user = user
        structures = submitter_structures(user)
        self.fields["host_structure"].queryset = HostStructure.objects.filter(
            pk__in=[s.pk for s in structures]
        ).order_by("name", "pk")
        if structures and not user.is_staff:
            self.fields["host_structure"].initial = structures[0].pk
        self.participants_found: list[HostStructure] = []

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        start = timezone.localtime(event.starts_at)
        end = timezone.localtime(event.ends_at)
        return {
            "title": event.title,
            "kind": event.kind,
            "description": event.description,
            "start_date": start.date(),
            "start_time": start.time(),
            "end_date": end.date(),
            "end_time": end.time(),
            "address": event.address,
            "lieu": event.commune.name if event.commune else "",
            "commune": event.commune_id or "",
            "online_url": event.online_url,
            "host_structure": event.host_structure_id,
            "network": event.network_id,
            "organiser_name": event.organiser_name,
            "causes": list(event.causes.all()),
            "participants": "\n".join(
                participant_line(structure)
                for structure in event.participants.all()
                if structure.pk != event.host_structure_id
            ),
            "registration_url": event.registration_url,
            "is_free": "oui" if event.is_free else "non",
            "price": event.price,
            "accessibility": event.accessibility,
            "contact_email": event.contact_email,
        }

    def clean_participants(self):
        text = self.cleaned_data["participants"]
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > rules.MAX_PARTICIPANTS:
            raise forms.ValidationError(
                f"{rules.MAX_PARTICIPANTS} structures participantes au plus."
            )
        found, problems = {}, []
        for line in lines:
            structure, problem = _participant(line)
            if problem:
                problems.append(problem)
            else:
                found.setdefault(structure.pk, structure)
        if problems:
            raise forms.ValidationError(problems)
        self.participants_found = list(found.values())
        return text

    def clean(self):
        data = super().clean()
        read_commune(self, data)
        if all(data.get(name) for name in ("start_date", "start_time", "end_date", "end_time")):
            data["starts_at"] = _aware(data["start_date"], data["start_time"])
            data["ends_at"] = _aware(data["end_date"], data["end_time"])
            for violation in rules.check_dates(
                data["starts_at"], data["ends_at"], now=timezone.now()
            ):
                name = RULE_FIELDS[violation.field]
                if name not in self.errors:
                    self.add_error(name, violation.message)
        if "lieu" not in self.errors:
            for violation in rules.check_place(
                has_place=data["commune_obj"] is not None,
                has_address=bool(data.get("address", "").strip()),
                online_url=data.get("online_url", ""),
            ):
                self.add_error(RULE_FIELDS.get(violation.field, violation.field), violation.message)
        if (
            not self.user.is_staff
            and not data.get("host_structure")
            and not data.get("network")
            and "host_structure" not in self.errors
        ):
            self.add_error(
                "host_structure", "Choisissez la structure ou le réseau qui organise l'événement."
            )
        if data.get("is_free") is False and not data.get("price", "").strip():
            self.add_error("price", "Indiquez le tarif, ou choisissez « Gratuite ».")
        if not data.get("organiser_name", "").strip() and not data.get("host_structure"):
            network = data.get("network")
            if network is not None:
                data["organiser_name"] = network.name
            elif "organiser_name" not in self.errors:
                self.add_error("organiser_name", "Indiquez qui organise l'événement.")
        return data

    def event_data(self) -> EventData:
        data = self.cleaned_data
        return EventData(
            title=data["title"],
            kind=data["kind"],
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            organiser_name=data["organiser_name"],
            address=data["address"],
            commune=data["commune_obj"],
            online_url=data["online_url"],
            host_structure=data["host_structure"],
            network=data["network"],
            causes=list(data["causes"]),
            participants=self.participants_found,
            registration_url=data["registration_url"],
            is_free=data["is_free"],
            price=data["price"],
            accessibility=data["accessibility"],
            contact_email=data["contact_email"],
        )


class RefusalForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="La personne qui l'a proposé le lira dans son e-mail.",
        error_messages={"required": "Dites pourquoi, en une phrase : la personne le lira."},
    )


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class SearchForm(StyledFormMixin, forms.Form):
    """The search's parameters (GET): what the list, the calendar and the feed share."""

    du = SearchDateField(label="À partir du", required=False)
    au = SearchDateField(label="Jusqu'au", required=False)
    lieu = forms.CharField(label="Commune", required=False, max_length=100)
    commune = forms.CharField(required=False, max_length=5)
    rayon = forms.TypedChoiceField(
        label="Dans un rayon de",
        choices=[(r, f"{r} km") for r in RADII_KM],
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
    )
    cause = forms.ChoiceField(label="Cause", required=False)
    type = forms.ChoiceField(
        label="Type d'événement", required=False, choices=[("", "Tous les types"), *Kind.choices]
    )
    format = forms.ChoiceField(label="Format", required=False, choices=Format.CHOICES)
    mois = forms.CharField(required=False, max_length=7)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.causes = {c.slug: c for c in Cause.objects.order_by("position", "label")}
        self.fields["cause"].choices = [("", "Toutes les causes")] + [
            (slug, cause.label) for slug, cause in self.causes.items()
        ]

    def clean_mois(self):
        value = self.cleaned_data["mois"]
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
            raise forms.ValidationError("Mois invalide : indiquez-le comme 2026-12.")
        return date(int(match[1]), int(match[2]), 1)

    def clean(self):
        data = super().clean()
        read_commune(self, data)
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            self.add_error("au", "Cette date vient avant la première : inversez-les.")
        return data

    def query(self, *, archives: bool = False) -> EventQuery:
        data = self.cleaned_data if self.is_valid() else {}
        return EventQuery(
            date_from=data.get("du"),
            date_to=data.get("au"),
            commune=data.get("commune_obj"),
            radius_km=data.get("rayon") or DEFAULT_RADIUS_KM,
            cause=self.causes.get(data.get("cause") or ""),
            kind=data.get("type") or "",
            format=data.get("format") or "",
            archives=archives,
        )
