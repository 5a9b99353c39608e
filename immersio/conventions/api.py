"""Partner API: stateless check of a convention against the PMSMP rules.

Nothing is stored and the payload is never logged: it holds personal data (birth date,
e-mail addresses). The body is parsed here rather than by django-ninja so that every
refusal, including impossible values (31 February, 25:00, a missing field), comes back as
a 422 in the same shape as a rule violation, with a French message.
"""

import re
from datetime import date, time
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from ninja import Router
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from immersio.core import ratelimit
from immersio.core.dates import in_months
from immersio.core.law import LIMITS_IN_FORCE
from immersio.core.validators import CONTROL_FREE

from . import rules
from .schedule import DaySlots, Schedule, expand_weekly_pattern, format_minutes

#: The numbers the descriptions below state: the latest version of the law.
_LAW = LIMITS_IN_FORCE[-1][2]

router = Router(tags=["Conventions"])

RATE_LIMIT_SCOPE = "convention_check_per_ip"
# Used until settings.RATE_LIMITS has an entry for the scope: 120 checks a minute per IP.

MAX_TEXT = 2000
MAX_EMAIL = 254
MAX_DAYS = 62
MAX_SLOTS_PER_DAY = 6
MAX_HISTORY = 50
MAX_OBJECTIVES = rules.Limits().max_objectives
MAX_OBJECTIVE = rules.Limits().max_objective_length

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_RE = re.compile(r"\d{2}:\d{2}")


# Dates outside this range are typing mistakes; refusing them keeps the rules' arithmetic
# in plain territory.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)


def _parse_date(value: Any) -> Any:
    if isinstance(value, str) and _DATE_RE.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if not MIN_DATE <= parsed <= MAX_DATE:
                raise PydanticCustomError(
                    "date_out_of_range",
                    "Date invalide : indiquez une date entre le 01/01/1900 et le 31/12/2100.",
                )
            return parsed
    raise PydanticCustomError(
        "invalid_date",
        "Date invalide : indiquez une date qui existe, au format AAAA-MM-JJ (ex. 2026-03-04).",
    )


def _parse_time(value: Any) -> Any:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and _TIME_RE.fullmatch(value):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError(
        "invalid_time",
        "Heure invalide : indiquez une heure de 00:00 à 23:59, au format HH:MM (ex. 09:30).",
    )


Day = Annotated[
    date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-03-04"]}),
]
Hour = Annotated[
    time,
    BeforeValidator(_parse_time),
    WithJsonSchema(
        {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "examples": ["09:00"]}
    ),
]
Email = Annotated[
    str,
    Field(min_length=3, max_length=MAX_EMAIL, pattern=r"^[^@\s]+@[^@\s]+$"),
    *CONTROL_FREE,
    # Documented without control characters, which CleanStr refuses in French.
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 3,
            "maxLength": MAX_EMAIL,
            "pattern": r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+$",
        }
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), *CONTROL_FREE]


def _objective_lines(value: Any) -> Any:
    """A text is read one objective per line, as in the form."""
    return list(rules.split_objectives(value)) if isinstance(value, str) else value


Objectives = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=MAX_OBJECTIVE), *CONTROL_FREE]],
    BeforeValidator(_objective_lines),
    Field(min_length=1, max_length=MAX_OBJECTIVES),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": MAX_OBJECTIVE},
            "minItems": 1,
            "maxItems": MAX_OBJECTIVES,
            "examples": [["Découvrir les gestes du métier", "Bilan écrit avec le tuteur"]],
        }
    ),
]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SlotIn(_In):
    start: Hour = Field(description="Heure de début (HH:MM).")
    end: Hour = Field(description="Heure de fin (HH:MM), le même jour, après le début.")


class DayIn(_In):
    date: Day = Field(description="Jour de présence (AAAA-MM-JJ).")
    slots: list[SlotIn] = Field(
        max_length=MAX_SLOTS_PER_DAY,
        description="Plages horaires du jour ; une liste vide : pas de présence ce jour-là.",
    )


class WeekdayIn(_In):
    weekday: Weekday = Field(description="Jour de la semaine (monday … sunday).")
    slots: list[SlotIn] = Field(max_length=MAX_SLOTS_PER_DAY, description="Plages horaires.")


class ScheduleIn(_In):
    """Soit des jours explicites (`days`), soit un modèle hebdomadaire (`weekly_pattern`)
    appliqué à toute la période, corrigé par des `exceptions` (jours fériés, absences…)."""

    days: list[DayIn] | None = Field(
        None, max_length=MAX_DAYS, description="Planning jour par jour."
    )
    weekly_pattern: list[WeekdayIn] | None = Field(
        None, max_length=7, description="Horaires types de chaque jour de la semaine."
    )
    exceptions: list[DayIn] = Field(
        [],
        max_length=MAX_DAYS,
        description="Jours qui s'écartent du modèle hebdomadaire (liste vide : absent).",
    )

    @model_validator(mode="after")
    def _one_form(self) -> "ScheduleIn":
        if (self.days is None) == (self.weekly_pattern is None):
            raise PydanticCustomError(
                "schedule_form",
                "Indiquez soit le planning jour par jour (days), soit un modèle hebdomadaire "
                "(weekly_pattern), mais pas les deux.",
            )
        if self.weekly_pattern is not None and len({d.weekday for d in self.weekly_pattern}) < len(
            self.weekly_pattern
        ):
            raise PydanticCustomError(
                "schedule_form",
                "Chaque jour de la semaine n'apparaît qu'une fois dans le modèle hebdomadaire.",
            )
        if len({d.date for d in self.exceptions}) < len(self.exceptions):
            raise PydanticCustomError(
                "schedule_form", "Chaque date n'apparaît qu'une fois dans les exceptions."
            )
        if self.days is not None and self.exceptions:
            raise PydanticCustomError(
                "schedule_form",
                "Les exceptions (exceptions) ne s'utilisent qu'avec un modèle hebdomadaire.",
            )
        return self


class ContractIn(_In):
    kind: Literal["cui", "siae"] = Field(
        description="cui : contrat unique d'insertion (PEC) ; siae : CDDI dans une SIAE."
    )
    start: Day = Field(description="Début du contrat.")
    end: Day = Field(description="Fin du contrat (prévue).")


class BeneficiaryIn(_In):
    birth_date: Day = Field(description="Date de naissance du bénéficiaire.")
    email: Email = Field(description="Adresse e-mail du bénéficiaire (signataire).")
    is_employee: bool = Field(False, description="Le bénéficiaire est salarié.")
    insertion_contract: ContractIn | None = Field(
        None, description="Contrat aidé (CUI) ou d'insertion (SIAE) en cours, le cas échéant."
    )
    other_immersions: list[tuple[Day, Day]] = Field(
        [],
        max_length=MAX_HISTORY,
        description="Autres immersions pendant ce contrat : paires [début, fin], la fin "
        "postérieure ou égale au début.",
    )


class PersonIn(_In):
    email: Email = Field(description="Adresse e-mail.")


class PastConventionIn(_In):
    date_start: Day
    date_end: Day
    presence_days: int = Field(
        ge=0,
        le=366,
        description="Nombre de jours de présence (au plus le nombre de jours de la période).",
    )
    object: rules.ImmersionObject
    objectives: Objectives = Field(
        description="Ses objectifs : comparés comme un ensemble, sans tenir compte de l'ordre, "
        "des majuscules ni des accents."
    )
    is_renewal: bool = Field(False, description="Cette convention est un renouvellement.")


class RenewalIn(_In):
    parent_is_renewal: bool = Field(
        description="La convention renouvelée est déjà un renouvellement."
    )
    parent_object: rules.ImmersionObject
    parent_objectives: Objectives = Field(description="Objectifs de la convention renouvelée.")
    parent_objectives_not_met: bool | None = Field(
        description="Le bilan de la convention renouvelée dit que les objectifs n'ont pas été "
        "atteints (null : pas de bilan)."
    )
    parent_already_renewed: bool = Field(
        False,
        description="La convention renouvelée a déjà été renouvelée : une immersion ne se "
        "renouvelle qu'une fois.",
    )


class ConventionCheckIn(_In):
    submitted_on: Day | None = Field(
        None, description="Date de dépôt de la demande ; aujourd'hui si absente."
    )
    date_start: Day = Field(description="Premier jour de l'immersion.")
    date_end: Day = Field(description="Dernier jour de l'immersion.")
    object: rules.ImmersionObject = Field(
        description="Objet : discover (découvrir un métier ou un secteur), confirm (confirmer "
        "un projet professionnel) ou recruit (initier une démarche de recrutement)."
    )
    objectives: Objectives = Field(
        description=f"Objectifs précis et modalités d'évaluation : de 1 à {MAX_OBJECTIVES} "
        f"objectifs courts ({MAX_OBJECTIVE} caractères au plus chacun). Un texte est lu à raison "
        "d'un objectif par ligne."
    )
    beneficiary: BeneficiaryIn
    legal_representative: PersonIn | None = Field(
        None, description="Représentant légal (obligatoire si le bénéficiaire est mineur)."
    )
    current_employer: PersonIn | None = Field(
        None, description="Représentant de l'employeur actuel, si le bénéficiaire est salarié."
    )
    host_representative: PersonIn = Field(description="Représentant de la structure d'accueil.")
    tutor: PersonIn = Field(description="Tuteur ou tutrice dans la structure d'accueil.")
    schedule: ScheduleIn
    renewal: RenewalIn | None = Field(None, description="Renseigné pour un renouvellement.")
    previous_conventions: list[PastConventionIn] = Field(
        [],
        max_length=MAX_HISTORY,
        description="Conventions du même bénéficiaire dans la même structure qui peuvent "
        f"partager avec celle-ci une période de {_LAW.history_window_months} mois consécutifs "
        f"(celles qui finissent moins de {_LAW.history_window_months} mois avant son début, "
        "ou plus tard), renouvellements compris.",
    )

    @model_validator(mode="after")
    def _birth_date_not_in_future(self) -> "ConventionCheckIn":
        if self.beneficiary.birth_date > timezone.localdate():
            raise PydanticCustomError(
                "birth_date_in_future",
                "La date de naissance du bénéficiaire ne peut pas être dans le futur.",
            )
        if (
            self.schedule.weekly_pattern is not None
            and (self.date_end - self.date_start).days > MAX_DAYS
        ):
            raise PydanticCustomError(
                "pattern_period_too_long",
                "Une immersion dure au plus un mois de date à date : revoyez la date de fin.",
            )
        return self


EXAMPLE = {
    "submitted_on": "2026-03-02",
    "date_start": "2026-03-09",
    "date_end": "2026-03-20",
    "object": "discover",
    "objectives": [
        "Découvrir les gestes du métier de boulanger",
        "Évaluation par le tuteur à la fin de l'immersion",
    ],
    "beneficiary": {"birth_date": "1995-06-14", "email": "camille@example.org"},
    "host_representative": {"email": "direction@boulangerie.example"},
    "tutor": {"email": "tuteur@boulangerie.example"},
    "schedule": {
        "weekly_pattern": [
            {"weekday": day, "slots": [{"start": "08:00", "end": "12:00"}]}
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
        ],
        "exceptions": [{"date": "2026-03-13", "slots": []}],
    },
}


class ViolationOut(BaseModel):
    field: str = Field(description="Chemin du champ concerné (ex. schedule.2026-03-04).")
    code: str = Field(description="Code stable de la règle.")
    severity: Literal["error", "warning"] = Field(
        description="error : bloquant ; warning : à vérifier."
    )
    message: str = Field(description="Explication en français.")


class CheckOut(BaseModel):
    valid: bool = Field(description="Aucune violation bloquante (severity = error).")
    violations: list[ViolationOut]


class DetailOut(BaseModel):
    detail: str


def _input_schema() -> dict:
    """The request schema, inlined (no $ref) for the OpenAPI document."""
    schema = ConventionCheckIn.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    schema = inline(schema)
    schema["examples"] = [EXAMPLE]
    return schema


# --- pydantic errors in French ------------------------------------------------------------

_MESSAGES = {
    "missing": "Champ obligatoire.",
    "extra_forbidden": "Champ inconnu.",
    "string_type": "Texte attendu.",
    "string_too_short": "Ce champ ne peut pas être vide.",
    "string_too_long": "Ce texte ne doit pas dépasser {max_length} caractères.",
    "string_pattern_mismatch": "Format invalide.",
    "bool_type": "Valeur attendue : true ou false.",
    "bool_parsing": "Valeur attendue : true ou false.",
    "int_type": "Nombre entier attendu.",
    "int_parsing": "Nombre entier attendu.",
    "int_from_float": "Nombre entier attendu.",
    "greater_than_equal": "La valeur doit être au moins {ge}.",
    "less_than_equal": "La valeur doit être au plus {le}.",
    "list_type": "Liste attendue.",
    "too_long": "Au plus {max_length} éléments.",
    "too_short": "Au moins {min_length} éléments.",
    "too_short_one": "Indiquez au moins un élément.",
    "tuple_type": "Paire [début, fin] attendue.",
    "model_type": "Objet attendu.",
    "model_attributes_type": "Objet attendu.",
    "dict_type": "Objet attendu.",
    "enum": "Valeur inconnue ; valeurs possibles : {expected}.",
    "literal_error": "Valeur inconnue ; valeurs possibles : {expected}.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "json_type": "Le corps de la requête doit être un objet JSON.",
}
_CUSTOM = {
    "invalid_date",
    "date_out_of_range",
    "invalid_time",
    "schedule_form",
    "birth_date_in_future",
    "pattern_period_too_long",
    "control_character",
}
_CODES = {"too_long": "list_too_long", "too_short": "list_too_short"}


def _french(error: dict) -> tuple[str, str]:
    kind = error["type"]
    if kind in _CUSTOM:
        return kind, error["msg"]
    context = dict(error.get("ctx") or {})
    if kind == "too_short" and context.get("min_length") == 1:
        return "list_too_short", _MESSAGES["too_short_one"]
    template = _MESSAGES.get(kind, "Valeur invalide.")
    if "expected" in context:  # "'a', 'b' or 'c'"
        context["expected"] = str(context["expected"]).replace(" or ", " ou ")
    try:
        message = template.format(**context)
    except (KeyError, IndexError):  # pragma: no cover - defensive
        message = "Valeur invalide."
    return _CODES.get(kind, kind), message


def _field(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "body"


def _violations_from(error: ValidationError) -> list[dict]:
    result = []
    for item in error.errors(include_url=False, include_input=False):
        code, message = _french(item)
        field_ = _field(item["loc"])
        if code == "birth_date_in_future":
            field_ = "beneficiary.birth_date"
        elif code == "pattern_period_too_long":
            field_ = "date_end"
        result.append({"field": field_, "code": code, "severity": "error", "message": message})
    return result


def _unprocessable(violations: list[dict]) -> JsonResponse:
    return JsonResponse({"valid": False, "violations": violations}, status=422)


# --- impossible history ---------------------------------------------------------------------


_d = rules._d  # dates written as the rules write them (04/03/2026)


def _impossible(field_: str, code: str, message: str) -> dict:
    return {"field": field_, "code": code, "severity": "error", "message": message}


def impossible_entries(payload: "ConventionCheckIn") -> list[dict]:
    """Periods that end before they start, and more presence days than calendar days: not
    a rule broken but data that cannot be true, refused (422) rather than counted as 0."""
    found = []
    contract = payload.beneficiary.insertion_contract
    if contract is not None and contract.end < contract.start:
        found.append(
            _impossible(
                "beneficiary.insertion_contract.end",
                "end_before_start",
                f"La fin du contrat ({_d(contract.end)}) précède son début ({_d(contract.start)}).",
            )
        )
    for index, (start, end) in enumerate(payload.beneficiary.other_immersions):
        if end < start:
            found.append(
                _impossible(
                    f"beneficiary.other_immersions.{index}.1",
                    "end_before_start",
                    f"Cette autre immersion finit ({_d(end)}) avant de commencer ({_d(start)}).",
                )
            )
    for index, past in enumerate(payload.previous_conventions):
        if past.date_end < past.date_start:
            found.append(
                _impossible(
                    f"previous_conventions.{index}.date_end",
                    "end_before_start",
                    f"Cette convention passée finit ({_d(past.date_end)}) avant de commencer "
                    f"({_d(past.date_start)}).",
                )
            )
        elif past.presence_days > (days := (past.date_end - past.date_start).days + 1):
            found.append(
                _impossible(
                    f"previous_conventions.{index}.presence_days",
                    "presence_days_exceed_period",
                    f"Cette convention passée compte {past.presence_days} jours de présence "
                    f"pour une période de {days} jours.",
                )
            )
    return found


# --- conversion ------------------------------------------------------------------------------


def _slots(slots: list[SlotIn]) -> list[tuple[time, time]]:
    return [(slot.start, slot.end) for slot in slots]


def _schedule(payload: ConventionCheckIn) -> Schedule:
    given = payload.schedule
    if given.days is not None:
        return Schedule(tuple(DaySlots(day.date, tuple(_slots(day.slots))) for day in given.days))
    pattern = {WEEKDAYS.index(day.weekday): _slots(day.slots) for day in given.weekly_pattern}
    exceptions = {day.date: _slots(day.slots) for day in given.exceptions}
    return expand_weekly_pattern(payload.date_start, payload.date_end, pattern, exceptions)


def to_convention_data(payload: ConventionCheckIn) -> rules.ConventionData:
    """The plain data the rules take, from a validated payload."""
    beneficiary = payload.beneficiary
    contract = beneficiary.insertion_contract
    renewal = payload.renewal
    return rules.ConventionData(
        submitted_on=payload.submitted_on or timezone.localdate(),
        date_start=payload.date_start,
        date_end=payload.date_end,
        beneficiary_birth_date=beneficiary.birth_date,
        object=payload.object,
        objectives=tuple(payload.objectives),
        schedule=_schedule(payload),
        signatories=rules.Signatories(
            beneficiary=beneficiary.email,
            host_representative=payload.host_representative.email,
            legal_representative=(
                payload.legal_representative.email if payload.legal_representative else None
            ),
            current_employer=payload.current_employer.email if payload.current_employer else None,
        ),
        tutor_email=payload.tutor.email,
        is_employee=beneficiary.is_employee or contract is not None,
        insertion_contract=(
            rules.InsertionContract(rules.ContractKind(contract.kind), contract.start, contract.end)
            if contract
            else None
        ),
        has_legal_representative=payload.legal_representative is not None,
        renewal=(
            rules.RenewalInfo(
                parent_is_renewal=renewal.parent_is_renewal,
                parent_object=renewal.parent_object,
                parent_objectives=tuple(renewal.parent_objectives),
                parent_objectives_not_met=renewal.parent_objectives_not_met,
                parent_already_renewed=renewal.parent_already_renewed,
            )
            if renewal
            else None
        ),
        previous_conventions=tuple(
            rules.PastConvention(
                date_start=c.date_start,
                date_end=c.date_end,
                presence_days=c.presence_days,
                object=c.object,
                objectives=tuple(c.objectives),
                is_renewal=c.is_renewal,
            )
            for c in payload.previous_conventions
        ),
        other_immersions=tuple(rules.Period(a, b) for a, b in beneficiary.other_immersions),
    )


# --- rate limit ------------------------------------------------------------------------------


def _window() -> int:
    return settings.RATE_LIMITS[RATE_LIMIT_SCOPE][1]


def _allowed(request: HttpRequest) -> bool:
    return ratelimit.hit(RATE_LIMIT_SCOPE, ratelimit.client_ip(request))


# --- endpoint --------------------------------------------------------------------------------


@router.post(
    "/check",
    response={200: CheckOut, 422: CheckOut, 429: DetailOut},
    summary="Vérifier une convention",
    description=(
        "Vérifie une convention d'immersion (PMSMP) au regard des règles en vigueur à sa date "
        f"de dépôt : durée ({in_months(_LAW.max_period_months)} de date à date, "
        f"{_LAW.max_presence_days} jours de présence), horaires "
        f"({format_minutes(_LAW.adult_max_day_minutes)} par jour et "
        f"{format_minutes(_LAW.adult_max_week_minutes)} par semaine, "
        f"{format_minutes(_LAW.minor_max_day_minutes)} et "
        f"{format_minutes(_LAW.minor_max_week_minutes)} pour un mineur), repos, jours fériés, âge, "
        "signataires, renouvellement, historique dans la même structure, contrats aidés. "
        "Rien n'est enregistré. Réponse 200 : `valid` vaut vrai s'il n'y a aucune violation "
        "bloquante ; les avertissements (`warning`) sont à vérifier. Réponse 422 : données "
        "impossibles ou incomplètes (dates au format AAAA-MM-JJ entre 1900-01-01 et "
        "2100-12-31, heures HH:MM, une période de l'historique qui finit avant de commencer, "
        "plus de jours de présence que de jours dans la période), au même format. Réponse "
        "429 : trop de vérifications depuis la même adresse IP."
    ),
    operation_id="conventions_check",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _input_schema()}},
        }
    },
)
@sensitive_variables()
def check_convention(request: HttpRequest):
    if not _allowed(request):
        response = JsonResponse(
            {"detail": "Trop de vérifications depuis votre adresse : réessayez dans une minute."},
            status=429,
        )
        response["Retry-After"] = str(_window())
        return response
    try:
        body = request.body
    except RequestDataTooBig:
        return _unprocessable(
            [
                {
                    "field": "body",
                    "code": "body_too_large",
                    "severity": "error",
                    "message": "La requête est trop volumineuse.",
                }
            ]
        )
    try:
        payload = ConventionCheckIn.model_validate_json(body)
    except ValidationError as error:
        return _unprocessable(_violations_from(error))
    if impossible := impossible_entries(payload):
        return _unprocessable(impossible)
    violations = rules.check(to_convention_data(payload))
    return JsonResponse(
        {
            "valid": rules.is_valid(violations),
            "violations": [
                {"field": v.field, "code": v.code, "severity": v.severity, "message": v.message}
                for v in violations
            ],
        }
    )
