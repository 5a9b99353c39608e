"""The assessment's forms: the tutor's (also the conseiller's, in their place or to
correct), and the beneficiary's co-signature. The rules (``rules.check``) run in
``clean`` and put each message next to its field; what was typed is shown again."""

from django import forms

from immersio.conventions.rules import split_objectives
from immersio.core.fields import ContractDateField, ImmersionDateField, SearchDateField
from immersio.core.forms import StyledFormMixin

from . import rules
from .rules import (
    ADVICE_MAX,
    APPRECIATION_MAX,
    BENEFICIARY_COMMENT_MAX,
    COMMENT_MAX,
    CORRECTION_REASON_MAX,
    FREE_SKILLS_MAX,
    NO_SHOW_REASON_MAX,
    RENEWAL_MESSAGE_MAX,
    SKILL_MAX,
    Achievement,
    Answers,
    ContractType,
    Level,
    ObjectiveResult,
    Outcome,
    SkillLevel,
)

YES_NO = [("oui", "Oui"), ("non", "Non")]
NOT_SEEN = ("", "Pas observée")

# Where each rule's message goes (the rules name fields of ``Answers``).
RULE_FIELDS = {"missed": "missed_hours", "skills": "free_skill_0_level"}


def convention_skills(convention) -> tuple[str, ...]:
    return split_objectives(convention.skills or "")


class AssessmentForm(StyledFormMixin, forms.Form):
    """Built for one convention: a radio per objective, a level per skill of the
    convention, a few free skills. ``no_show_only``: the one-screen shortcut."""

    outcome = forms.ChoiceField(
        label="L'immersion a-t-elle eu lieu ?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Dites si l'immersion a eu lieu."},
    )
    no_show_reason = forms.CharField(
        label="Pourquoi la personne ne s'est-elle pas présentée ?",
        required=False,
        max_length=NO_SHOW_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Seulement si elle ne s'est pas présentée. Si vous ne savez pas, écrivez "
            "« sans nouvelles »."
        ),
    )
    last_day = ImmersionDateField(
        label="Dernier jour de présence",
        required=False,
        help_text="Seulement si l'immersion a été partiellement réalisée.",
    )
    missed_hours = forms.IntegerField(
        label="Heures manquées", required=False, min_value=0, initial=0
    )
    missed_mins = forms.IntegerField(
        label="et minutes", required=False, min_value=0, max_value=59, initial=0
    )
    appreciation = forms.CharField(
        label="Votre appréciation générale",
        required=False,
        max_length=APPRECIATION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    advice = forms.CharField(
        label="Vos conseils pour la suite de son parcours",
        required=False,
        max_length=ADVICE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hired = forms.ChoiceField(
        label="L'immersion débouche-t-elle sur une embauche ?",
        choices=YES_NO,
        initial="non",
        widget=forms.RadioSelect,
    )
    contract_type = forms.ChoiceField(
        label="Type de contrat",
        required=False,
        choices=[("", "—"), *ContractType.choices],
    )
    contract_start = ContractDateField(label="Début du contrat", required=False)

    def __init__(self, *args, convention, no_show_only: bool = False, **kwargs):
        self.convention = convention
        self.no_show_only = no_show_only
        self.objective_names = split_objectives(convention.objectives or "")
        self.skill_names = convention_skills(convention)
        super().__init__(*args, **kwargs)
        if no_show_only:
            for name in list(self.fields):
                if name not in {"outcome", "no_show_reason"}:
                    del self.fields[name]
            self.fields["outcome"].widget = forms.HiddenInput()
            self.fields["outcome"].initial = Outcome.NO_SHOW
            self.fields[
                "no_show_reason"
            ].help_text = "Si vous ne savez pas, écrivez « sans nouvelles »."
            return
        for index, objective in enumerate(self.objective_names):
            self.fields[f"objective_{index}"] = forms.ChoiceField(
                label=f"Objectif : {objective}",
                choices=Achievement.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"objective_{index}_comment"] = forms.CharField(
                label="Commentaire sur cet objectif",
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        for index, skill in enumerate(self.skill_names):
            self.fields[f"skill_{index}"] = forms.ChoiceField(
                label=skill, choices=[NOT_SEEN, *Level.choices], required=False
            )
        for index in range(FREE_SKILLS_MAX):
            self.fields[f"free_skill_{index}"] = forms.CharField(
                label=f"Autre compétence observée ({index + 1})",
                required=False,
                max_length=SKILL_MAX,
            )
            self.fields[f"free_skill_{index}_level"] = forms.ChoiceField(
                label="Niveau", choices=[("", "—"), *Level.choices], required=False
            )

    # Groups of fields for the template's sections.
    def objective_fields(self) -> list[tuple]:
        return [
            (self[f"objective_{i}"], self[f"objective_{i}_comment"])
            for i in range(len(self.objective_names))
        ]

    def skill_fields(self) -> list:
        return [self[f"skill_{i}"] for i in range(len(self.skill_names))]

    def free_skill_fields(self) -> list[tuple]:
        return [
            (self[f"free_skill_{i}"], self[f"free_skill_{i}_level"]) for i in range(FREE_SKILLS_MAX)
        ]

    def answers(self) -> Answers:
        data = self.cleaned_data
        if self.no_show_only:
            return Answers(outcome=Outcome.NO_SHOW, no_show_reason=data.get("no_show_reason", ""))
        hours = data.get("missed_hours") or 0
        minutes = data.get("missed_mins") or 0
        objectives = tuple(
            ObjectiveResult(
                objective=name,
                result=data.get(f"objective_{i}") or "",
                comment=data.get(f"objective_{i}_comment", "").strip(),
            )
            for i, name in enumerate(self.objective_names)
        )
        skills = [
            SkillLevel(skill=name, level=data[f"skill_{i}"])
            for i, name in enumerate(self.skill_names)
            if data.get(f"skill_{i}")
        ]
        for i in range(FREE_SKILLS_MAX):
            name = data.get(f"free_skill_{i}", "").strip()
            if name:
                skills.append(
                    SkillLevel(skill=name, level=data.get(f"free_skill_{i}_level") or "", free=True)
                )
        return Answers(
            outcome=data.get("outcome", ""),
            last_day=data.get("last_day"),
            missed_minutes=hours * 60 + minutes,
            no_show_reason=data.get("no_show_reason", "").strip(),
            objectives=objectives,
            skills=tuple(skills),
            appreciation=data.get("appreciation", "").strip(),
            advice=data.get("advice", "").strip(),
            hired=data.get("hired") == "oui",
            contract_type=data.get("contract_type", ""),
            contract_start=data.get("contract_start"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        facts = rules.ConventionFacts(
            date_start=self.convention.date_start,
            date_end=self.convention.date_end,
            schedule=self.convention.schedule(),
            objectives=self.objective_names,
        )
        for violation in rules.check(self.answers(), facts):
            name = RULE_FIELDS.get(violation.field, violation.field)
            self.add_error(name if name in self.fields else None, violation.message)
        return cleaned

    @classmethod
    def initial_from(cls, assessment) -> dict:
        """What a filled assessment holds, as the form's initial data (a correction)."""
        initial = {
            "outcome": assessment.outcome,
            "no_show_reason": assessment.no_show_reason,
            "last_day": assessment.last_day,
            "missed_hours": assessment.missed_minutes // 60,
            "missed_mins": assessment.missed_minutes % 60,
            "appreciation": assessment.appreciation,
            "advice": assessment.advice,
            "hired": "oui" if assessment.hired else "non",
            "contract_type": assessment.contract_type,
            "contract_start": assessment.contract_start,
        }
        names = split_objectives(assessment.convention.objectives or "")
        results = {row.get("objective"): row for row in assessment.objectives or []}
        for i, name in enumerate(names):
            row = results.get(name, {})
            initial[f"objective_{i}"] = row.get("result", "")
            initial[f"objective_{i}_comment"] = row.get("comment", "")
        skills = convention_skills(assessment.convention)
        levels = {row.get("skill"): row.get("level") for row in assessment.skills or []}
        for i, name in enumerate(skills):
            initial[f"skill_{i}"] = levels.get(name, "")
        free = [row for row in assessment.skills or [] if row.get("free")]
        for i, row in enumerate(free[:FREE_SKILLS_MAX]):
            initial[f"free_skill_{i}"] = row.get("skill", "")
            initial[f"free_skill_{i}_level"] = row.get("level", "")
        return initial


class CorrectionReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif de la correction",
        max_length=CORRECTION_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Le motif est conservé et communiqué au bénéficiaire et au tuteur.",
        error_messages={"required": "Indiquez le motif de la correction."},
    )


class CosignForm(StyledFormMixin, forms.Form):
    agrees = forms.ChoiceField(
        label="Êtes-vous d'accord avec ce bilan ?",
        choices=[("oui", "Oui, je suis d'accord"), ("non", "Non, je ne suis pas d'accord")],
        widget=forms.RadioSelect,
        error_messages={"required": "Dites si vous êtes d'accord."},
    )
    comment = forms.CharField(
        label="Votre commentaire",
        required=False,
        max_length=BENEFICIARY_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire si vous n'êtes pas d'accord.",
    )

    def clean(self):
        cleaned = super().clean()
        if "agrees" in cleaned:
            for v in rules.check_cosign(
                agrees=cleaned["agrees"] == "oui", comment=cleaned.get("comment", "")
            ):
                self.add_error(v.field if v.field in self.fields else None, v.message)
        return cleaned


class ExportForm(StyledFormMixin, forms.Form):
    """The period of the agency's CSV export: the immersions taking place (in whole or in
    part) between two dates."""

    du = SearchDateField(label="Immersions à partir du")
    au = SearchDateField(label="jusqu'au")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and end < start:
            self.add_error("au", "Cette date doit suivre la date « à partir du ».")
        return cleaned


class RenewalRequestForm(StyledFormMixin, forms.Form):
    """The beneficiary asks their agency for a renewal; a message is optional."""

    message = forms.CharField(
        label="Votre message à votre conseiller ou conseillère",
        required=False,
        max_length=RENEWAL_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : ce que vous aimeriez encore découvrir ou essayer.",
    )
