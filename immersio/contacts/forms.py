from django import forms

from immersio.core.fields import EmailAddressField, PhoneField, ProposedDateField
from immersio.core.forms import StyledFormMixin
from immersio.core.vocabulary import (
    CANDIDATE_SITUATIONS,
    ImmersionObject,
    situation_in_first_person,
)

from .models import SHORT_TEXT_MAX, TEXT_MAX, DeclineReason, Duration

MIN_MOTIVATION_WORDS = 4  # « Motivé. » tells a structure nothing


def _length_messages(label: str) -> dict:
    return {
        "required": f"{label} : ce champ est obligatoire.",
        "max_length": (
            f"{label} : %(limit_value)d caractères au maximum (le texte en compte "
            "%(show_value)d). Raccourcissez-le."
        ),
    }


def _text(label, *, max_length, help_text, required=True, rows=4, placeholder="", missing=""):
    attrs = {"maxlength": max_length, "rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,  # the limit is added by core.fields.apply_text_limit
        error_messages=_length_messages(label) | ({"required": missing} if missing else {}),
        widget=forms.Textarea(attrs=attrs),
    )


class ContactRequestForm(StyledFormMixin, forms.Form):
    """What the candidate writes to a structure. ``appellation`` lists the structure's
    offered métiers."""

    mark_required = True

    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        error_messages=_length_messages("Prénom") | {"required": "Saisissez votre prénom."},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        error_messages=_length_messages("Nom") | {"required": "Saisissez votre nom."},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = EmailAddressField(
        label="Adresse e-mail",
        help_text=(
            "Nous y envoyons un lien pour vérifier l'adresse avant d'envoyer la demande, puis "
            "les réponses de la structure. Par exemple : prenom.nom@exemple.fr"
        ),
        error_messages={
            "required": "Saisissez votre adresse e-mail.",
            "max_length": "Cette adresse e-mail est trop longue.",
        },
    )
    phone = PhoneField(
        label="Téléphone",
        max_length=20,
        required=False,
        help_text="Si vous préférez qu'on vous appelle. Par exemple : 06 12 34 56 78.",
    )
    situation = forms.ChoiceField(
        label="Votre situation",
        choices=[("", "Choisissez votre situation"), *CANDIDATE_SITUATIONS],
        help_text=(
            "Une immersion est ouverte aux personnes accompagnées dans leur recherche d'emploi "
            "ou leur projet. Vous hésitez ? Choisissez « Je ne sais pas » : votre conseiller "
            "vous aidera. Ce qui touche à votre santé, à vos aides sociales, à votre droit au "
            "séjour ou à votre emploi actuel n'est pas montré à la structure d'accueil : seul "
            "votre accompagnement en a besoin."
        ),
        error_messages={"required": "Choisissez votre situation (ou « Je ne sais pas »)."},
    )
    has_support = forms.TypedChoiceField(
        label="Êtes-vous déjà accompagné(e) par une structure ?",
        choices=[("oui", "Oui"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        help_text="France Travail, mission locale, Cap emploi, association…",
        error_messages={"required": "Dites si une structure vous accompagne déjà."},
    )
    support_name = forms.CharField(
        label="Si oui, laquelle ?",
        max_length=200,
        required=False,
        help_text="Par exemple : Mission locale de Lyon, conseillère Mme Martin.",
        error_messages=_length_messages("Structure d'accompagnement"),
    )
    support_name.conditional = True  # asked when a structure accompanies the person
    appellation = forms.ChoiceField(
        label="Le métier",
        help_text="Les métiers que cette structure propose de découvrir.",
        error_messages={
            "required": "Choisissez le métier qui vous intéresse.",
            "invalid_choice": "Choisissez un des métiers proposés par la structure.",
        },
    )
    objective = forms.ChoiceField(
        label="Votre objectif",
        choices=ImmersionObject.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Découvrir : voir à quoi ressemble le métier. Confirmer : vérifier qu'il vous "
            "convient avant une formation. Recrutement : vous espérez être embauché(e)."
        ),
        error_messages={"required": "Choisissez l'objectif de votre immersion."},
    )
    motivations = _text(
        "Votre intention et vos motivations",
        max_length=TEXT_MAX,
        missing="Expliquez en quelques mots votre intention et vos motivations.",
        rows=6,
        help_text=(
            "Pourquoi ce métier, pourquoi cette structure ? Par exemple : « J'ai travaillé dix "
            "ans en logistique et je veux me reconvertir dans le maraîchage bio. »"
        ),
    )
    hopes = _text(
        "Ce que vous espérez voir ou essayer",
        max_length=TEXT_MAX,
        missing="Dites ce que vous espérez voir ou essayer pendant l'immersion.",
        help_text=(
            "Par exemple : « Participer aux récoltes, voir comment on prépare les paniers, "
            "savoir si je supporte le travail en extérieur. »"
        ),
    )
    period = _text(
        "Quand êtes-vous disponible ?",
        max_length=SHORT_TEXT_MAX,
        missing="Dites quand vous êtes disponible.",
        rows=2,
        help_text="Par exemple : « À partir du 10 mars, en semaine, pas le mercredi. »",
    )
    duration = forms.ChoiceField(
        label="Durée souhaitée",
        choices=[("", "Choisissez une durée"), *Duration.choices],
        help_text="Une immersion dure d'un jour à un mois.",
        error_messages={"required": "Choisissez la durée souhaitée."},
    )
    transport = _text(
        "Comment viendrez-vous ?",
        max_length=SHORT_TEXT_MAX,
        rows=2,
        required=False,
        help_text="Par exemple : « En bus, ligne 12 » ou « J'ai une voiture ».",
    )
    # Honeypot: hidden from people, bots fill it.
    website = forms.CharField(label="Ne pas remplir ce champ", required=False)

    def __init__(self, *args, appellations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.appellations = {str(a.pk): a for a in appellations}
        self.fields["appellation"].choices = [("", "Choisissez un métier")] + [
            (str(a.pk), a.label) for a in appellations
        ]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @staticmethod
    def initial_from_profile(user) -> dict:
        """A logged-in candidate's details, so that they need not type them again."""
        if not getattr(user, "is_authenticated", False):
            return {}
        fields = {"first_name", "last_name", "email", "phone"}
        return {name: value for name in fields if (value := getattr(user, name, ""))}

    def clean_motivations(self):
        text = self.cleaned_data["motivations"]
        if len(text.split()) < MIN_MOTIVATION_WORDS:
            raise forms.ValidationError(
                "Dites-en un peu plus, en une ou deux phrases : pourquoi ce métier, pourquoi "
                "cette structure ? Par exemple : « J'ai travaillé dix ans en logistique et je "
                "veux me reconvertir dans le maraîchage bio. »",
                code="too_short",
            )
        return text

    def clean_appellation(self):
        return self.appellations[self.cleaned_data["appellation"]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_support") and not (cleaned.get("support_name") or "").strip():
            self.add_error("support_name", "Indiquez quelle structure vous accompagne.")
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def summary(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        rows = [
            ("Métier", data["appellation"].label),
            ("Objectif", ImmersionObject(data["objective"]).label),
            ("Situation", situation_in_first_person(data["situation"])),
            (
                "Accompagnement",
                data["support_name"] if data["has_support"] else "Pas encore accompagné(e)",
            ),
            ("Intention et motivations", data["motivations"]),
            ("Ce que j'espère voir ou essayer", data["hopes"]),
            ("Disponibilités", data["period"]),
            ("Durée souhaitée", Duration(data["duration"]).label),
        ]
        if data["transport"]:
            rows.append(("Pour venir", data["transport"]))
        return rows


class MessageForm(StyledFormMixin, forms.Form):
    mark_required = True
    prefix = "message"
    body = _text(
        "Votre message",
        max_length=TEXT_MAX,
        missing="Écrivez votre message.",
        help_text="Il est envoyé par e-mail, avec un lien vers cette page.",
    )


DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"]


def _date_field(label: str, *, missing: str, help_text: str) -> forms.DateField:
    """A proposed immersion day: bounded from today to a year ahead;
    ``rules.proposed_period`` says the rest next to the field."""
    return ProposedDateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        help_text=help_text,
        error_messages={
            "required": missing,
            "invalid": (
                f"{label} : cette date n'existe pas ou est mal écrite. Saisissez-la ainsi : "
                "15/03/2026."
            ),
        },
    )


class AcceptForm(StyledFormMixin, forms.Form):
    mark_required = True
    prefix = "accepter"
    proposed_start = _date_field(
        "Premier jour",
        missing="Indiquez la date de début.",
        help_text="Au plus tôt aujourd'hui.",
    )
    proposed_end = _date_field(
        "Dernier jour",
        missing="Indiquez la date de fin.",
        help_text="Une immersion dure d'un jour à un mois de date à date.",
    )
    proposed_dates = forms.CharField(
        label="Horaires et précisions",
        max_length=SHORT_TEXT_MAX,
        required=False,
        help_text="Par exemple : de 9 h à 17 h, pas le mercredi. "
        f"{SHORT_TEXT_MAX} caractères au maximum.",
        error_messages=_length_messages("Horaires et précisions"),
    )
    body = _text(
        "Un mot pour la personne",
        max_length=TEXT_MAX,
        required=False,
        rows=3,
        help_text="Où se présenter, à qui demander, quoi apporter.",
    )

    def clean(self):
        from django.utils import timezone

        from .rules import proposed_period

        cleaned = super().clean()
        if "proposed_start" in self.errors or "proposed_end" in self.errors:
            return cleaned
        for violation in proposed_period(
            start=cleaned.get("proposed_start"),
            end=cleaned.get("proposed_end"),
            today=timezone.localdate(),
        ):
            self.add_error(violation.field, violation.message)
        return cleaned


class DeclineForm(StyledFormMixin, forms.Form):
    mark_required = True
    prefix = "decliner"
    reason = forms.ChoiceField(
        label="Raison",
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la raison de votre refus."},
    )
    body = _text(
        "Un mot pour la personne",
        max_length=TEXT_MAX,
        required=False,
        rows=3,
        help_text="Un conseil, une autre piste : c'est toujours apprécié.",
    )


# Public request board -----------------------------------------------------------------


class BoardPostForm(StyledFormMixin, forms.Form):
    """Publish a request openly. The métier and the commune come from autocomplete
    fields (text + code); without JavaScript the text alone is resolved."""

    mark_required = True

    metier_texte = forms.CharField(label="Métier", max_length=100, required=False)
    metier = forms.CharField(required=False, widget=forms.HiddenInput)
    cause = forms.ModelChoiceField(
        label="Ou une cause qui vous tient à cœur",
        queryset=None,
        required=False,
        empty_label="Aucune en particulier",
        help_text="Si vous n'avez pas de métier précis en tête.",
    )
    commune_texte = forms.CharField(label="Commune", max_length=100, required=False)
    commune = forms.CharField(required=False, widget=forms.HiddenInput)
    period = _text(
        "Quand êtes-vous disponible ?",
        max_length=SHORT_TEXT_MAX,
        rows=2,
        missing="Dites quand vous êtes disponible.",
        help_text="Par exemple : « En avril, en semaine. »",
    )
    duration = forms.ChoiceField(
        label="Durée souhaitée",
        choices=[("", "Choisissez une durée"), *Duration.choices],
        error_messages={"required": "Choisissez la durée souhaitée."},
    )
    motivations = _text(
        "Vos motivations",
        max_length=TEXT_MAX,
        rows=5,
        missing="Expliquez en quelques mots ce que vous cherchez.",
        help_text=(
            "Ce texte est public : n'y mettez ni nom de famille, ni adresse, ni téléphone. "
            "Par exemple : « Ancien cuisinier, je veux découvrir le maraîchage. »"
        ),
    )

    def __init__(self, *args, **kwargs):
        from immersio.structures.models import Cause

        super().__init__(*args, **kwargs)
        self.fields["cause"].queryset = Cause.objects.all()

    def clean(self):
        cleaned = super().clean()
        _resolve_metier_and_commune(self, cleaned)
        return cleaned


def _resolve_metier_and_commune(form: forms.Form, cleaned: dict) -> None:
    """The métier (or a cause) and the commune typed in the autocomplete fields, as rows:
    ``cleaned["appellation"]`` (None for a cause alone) and ``cleaned["commune_row"]``."""
    from django.core.exceptions import ValidationError

    from immersio.structures.lookups import resolve_appellation, resolve_commune

    cleaned["appellation"] = None
    text, code = cleaned.get("metier_texte", ""), cleaned.get("metier", "")
    if text or code:
        try:
            cleaned["appellation"] = resolve_appellation(text, code)
        except ValidationError as exc:
            form.add_error("metier_texte", exc)
    elif not cleaned.get("cause"):
        form.add_error("metier_texte", "Indiquez un métier, ou choisissez une cause.")
    try:
        cleaned["commune_row"] = resolve_commune(
            cleaned.get("commune_texte", ""), cleaned.get("commune", "")
        )
    except ValidationError as exc:
        form.add_error("commune_texte", exc)


BOARD_RADII_KM = (10, 30, 100)  # the radii the public board offers
RADIUS_CHOICES = [(str(km), f"{km} km") for km in BOARD_RADII_KM]


class ProposalForm(StyledFormMixin, forms.Form):
    mark_required = True
    prefix = "proposition"
    structure = forms.ChoiceField(label="Au nom de")
    body = _text(
        "Votre proposition",
        max_length=TEXT_MAX,
        missing="Écrivez votre proposition.",
        help_text="Présentez l'immersion que vous proposez : le métier, la période, le lieu.",
    )

    def __init__(self, *args, structures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.structures = {str(s.public_id): s for s in structures}
        self.fields["structure"].choices = [
            (key, s.display_name) for key, s in self.structures.items()
        ]

    def clean_structure(self):
        return self.structures[self.cleaned_data["structure"]]


class ReportForm(StyledFormMixin, forms.Form):
    mark_required = True
    prefix = "signalement"
    reason = forms.ChoiceField(
        label="Motif",
        choices=[
            ("donnees_personnelles", "Elle contient des données personnelles"),
            ("propos", "Propos déplacés ou discriminatoires"),
            ("fausse", "Fausse demande ou publicité"),
            ("autre", "Autre"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le motif du signalement."},
    )


# « Préparer ma demande » ----------------------------------------------------------------


class PrepareRequestForm(StyledFormMixin, forms.Form):
    """The questions of the guided request, for a structure that is not on Immersio: the
    answers become an e-mail, a letter and a post (``contacts.writing``), and can go to
    the public board. The fields are the very objects of ``ContactRequestForm`` and
    ``BoardPostForm`` (labels, bounds, messages written once; Django copies them for each
    form); only « why now », the kind of structure and the signature are new."""

    mark_required = True

    name = forms.CharField(
        label="Votre prénom et votre nom",
        max_length=150,
        required=False,
        help_text="Pour signer vos textes. Ils ne sont ni envoyés ni enregistrés.",
        error_messages=_length_messages("Prénom et nom"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    objective = ContactRequestForm.base_fields["objective"]
    motivations = ContactRequestForm.base_fields["motivations"]
    why_now = _text(
        "Pourquoi maintenant ?",
        max_length=SHORT_TEXT_MAX,
        required=False,
        rows=3,
        help_text=(
            "Ce qui vous décide aujourd'hui. Par exemple : « Mon contrat se termine en juin "
            "et je veux choisir ma suite. »"
        ),
    )
    hopes = ContactRequestForm.base_fields["hopes"]
    period = ContactRequestForm.base_fields["period"]
    duration = ContactRequestForm.base_fields["duration"]
    metier_texte = BoardPostForm.base_fields["metier_texte"]
    metier = BoardPostForm.base_fields["metier"]
    cause = BoardPostForm.base_fields["cause"]
    commune_texte = BoardPostForm.base_fields["commune_texte"]
    commune = BoardPostForm.base_fields["commune"]
    structure_kind = forms.ChoiceField(
        label="Le type de structure",
        choices=[("", "Peu importe")],
        required=False,
        help_text="Le type de structure qui vous attire, si vous en avez un.",
    )

    clean_motivations = ContactRequestForm.clean_motivations

    def __init__(self, *args, **kwargs):
        from immersio.structures.models import Cause, HostStructure

        super().__init__(*args, **kwargs)
        self.fields["cause"].queryset = Cause.objects.all()
        self.fields["structure_kind"].choices = [("", "Peu importe"), *HostStructure.Kind.choices]

    def clean(self):
        cleaned = super().clean()
        _resolve_metier_and_commune(self, cleaned)
        return cleaned

    def answers(self):
        """The answers as people read them, for ``contacts.writing``."""
        from immersio.structures.models import HostStructure

        from .writing import Answers

        data = self.cleaned_data
        return Answers(
            objective=ImmersionObject(data["objective"]).in_sentence,
            motivations=data["motivations"],
            hopes=data["hopes"],
            period=data["period"],
            duration=Duration(data["duration"]).label,
            place=data["commune_row"].name,
            metier=data["appellation"].label if data["appellation"] else "",
            cause=data["cause"].label if data["cause"] else "",
            why_now=data["why_now"],
            structure_kind=(
                HostStructure.Kind(data["structure_kind"]).label if data["structure_kind"] else ""
            ),
            name=data["name"],
        )

    def board_initial(self) -> dict:
        """The board's publish form filled with these answers (``BoardPostForm`` names)."""
        from .writing import board_motivations

        data = self.cleaned_data
        appellation, commune = data["appellation"], data["commune_row"]
        return {
            "metier_texte": appellation.label if appellation else "",
            "metier": str(appellation.pk) if appellation else "",
            "cause": data["cause"].pk if data["cause"] else None,
            "commune_texte": commune.name,
            "commune": commune.insee_code,
            "period": data["period"],
            "duration": data["duration"],
            "motivations": board_motivations(self.answers()),
        }
