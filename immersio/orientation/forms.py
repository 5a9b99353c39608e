"""The wizard's questions: a GET form, so that the answers — situation, age, who follows
the person, commune or department, nothing else — make the result's shareable address."""

import re
from datetime import date

from django import forms

from immersio.agencies.forms import read_commune
from immersio.core.forms import StyledFormMixin
from immersio.core.law import limits_for

from .rules import Followed, WizardSituation

DEPARTMENT = re.compile(r"^(?:\d{2}|2[AB]|97\d)$")


class WizardForm(StyledFormMixin, forms.Form):
    situation = forms.ChoiceField(
        label="Votre situation aujourd'hui",
        choices=WizardSituation.choices,
        widget=forms.RadioSelect,
        help_text="Choisissez ce qui vous décrit le mieux ; si plusieurs réponses vous "
        "décrivent, prenez la première de la liste.",
        error_messages={"required": "Choisissez la situation qui vous décrit le mieux."},
    )
    age = forms.IntegerField(
        label="Votre âge",
        help_text="En années. Nous ne demandons ni votre nom ni votre date de naissance.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "age-input"}),
    )
    suivi = forms.ChoiceField(
        label="Une structure vous accompagne-t-elle déjà ?",
        choices=Followed.choices,
        initial=Followed.NO,
        widget=forms.RadioSelect,
        help_text="Un conseiller ou une conseillère qui vous suit, même de loin.",
        error_messages={"required": "Dites si une structure vous accompagne déjà."},
    )
    lieu = forms.CharField(label="Votre commune", required=False, max_length=100)
    commune = forms.CharField(required=False, max_length=5)
    departement = forms.CharField(
        label="Votre département",
        required=False,
        max_length=3,
        help_text="Son numéro, par exemple 69 ou 2A, si vous préférez ne pas dire votre commune.",
        widget=forms.TextInput(attrs={"class": "department-input", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The oldest age the law allows is read on the day the form is built: the field
        # is built then too, with its bounds as validators and as the input's min and max.
        max_age = limits_for(date.today()).max_age
        declared = self.fields["age"]
        self.fields["age"] = forms.IntegerField(
            label=declared.label,
            help_text=declared.help_text,
            widget=declared.widget,
            min_value=1,
            max_value=max_age,
            error_messages={
                "required": "Indiquez votre âge, en années.",
                "invalid": "Indiquez votre âge en chiffres, par exemple 24.",
                "min_value": "Indiquez votre âge en années, par exemple 24.",
                "max_value": f"Indiquez un âge de {max_age} ans au plus.",
            },
        )

    def clean_departement(self):
        value = self.cleaned_data["departement"].strip().upper()
        if value and not DEPARTMENT.match(value):
            raise forms.ValidationError(
                "Indiquez le numéro du département : deux chiffres (69), 2A, 2B, ou trois "
                "chiffres outre-mer (974)."
            )
        return value

    def clean(self):
        data = super().clean()
        typed = data.get("lieu") or data.get("commune")
        commune = read_commune(self, data, or_else="indiquez votre département")
        if commune is not None:
            data["departement"] = commune.department
        elif not typed and not data.get("departement") and "departement" not in self.errors:
            self.add_error("lieu", "Indiquez votre commune ou votre département.")
        return data
