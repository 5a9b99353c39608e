"""E-mails about immersion requests. They share one pair of templates,
``contacts/email/message.txt`` and ``.html``: a title, paragraphs, an optional quoted
message, an optional list of suggested structures and one button."""

from django.urls import reverse

from immersio.accounts.models import User
from immersio.notifications.base import Notification, Recipient, absolute_url

REASON_CANDIDATE = (
    "Vous recevez cet e-mail parce que vous avez fait une demande d'immersion sur Immersio."
)
REASON_STRUCTURE = (
    "Vous recevez cet e-mail parce que vous faites partie de l'équipe de cette structure "
    "d'accueil sur Immersio."
)


def thread_path(contact_request) -> str:
    return reverse("contacts:thread", kwargs={"public_id": contact_request.public_id})


def link_for(email: str, next_path: str) -> str:
    """A link that logs the person in (magic link) and leads to ``next_path``; the login
    page with ``next`` when the address has no active account."""
    from immersio.accounts.services import login_url

    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return absolute_url(f"{reverse('accounts:login')}?next={next_path}")
    return login_url(user, next_path)


def team_recipients(structure) -> list[Recipient]:
    memberships = structure.memberships.filter(is_active=True, user__is_active=True)
    return [
        Recipient(email=m.user.email, name=m.user.get_full_name())
        for m in memberships.select_related("user").order_by("pk")
    ]


class ContactNotification(Notification):
    text_template_name = "contacts/email/message.txt"
    html_template_name = "contacts/email/message.html"
    sensitive = True  # the button logs the person in
    button_label = "Voir la demande"

    def __init__(self, *, contact_request, **extra):
        self.contact_request = contact_request
        self.extra = extra

    def target_path(self) -> str:
        return thread_path(self.contact_request)

    def paragraphs(self, recipient) -> list[str]:
        raise NotImplementedError

    def get_context(self, recipient):
        request = self.contact_request
        return {
            # The heading repeats the rendered subject (``subject`` in the templates).
            "title": "",
            "paragraphs": self.paragraphs(recipient),
            "quote": self.extra.get("quote", ""),
            "suggestions": self.extra.get("suggestions", []),
            "button_label": self.button_label,
            "url": link_for(recipient.email, self.target_path()),
            "structure_name": request.structure.display_name,
            "metier": request.appellation.label,
            "candidate_name": request.candidate_name,
        }


class CandidateNotification(ContactNotification):
    reason = REASON_CANDIDATE

    def get_recipients(self):
        request = self.contact_request
        return [Recipient(email=request.email, name=request.candidate_name)]


class StructureNotification(ContactNotification):
    reason = REASON_STRUCTURE

    def get_recipients(self):
        return team_recipients(self.contact_request.structure)


class VerifyEmailNotification(CandidateNotification):
    kind = "contact_verify_email"
    subject = "Confirmez votre demande d'immersion : {{ structure_name }}"
    button_label = "Confirmer ma demande"

    def get_context(self, recipient):
        context = super().get_context(recipient)
        context["url"] = self.extra["verify_url"]
        return context

    def paragraphs(self, recipient):
        intro = [
            "Bonjour,",
            f"Vous avez préparé une demande d'immersion pour le métier « "
            f"{self.contact_request.appellation.label} » à la structure "
            f"« {self.contact_request.structure.display_name} ».",
        ]
        problem = self.extra.get("problem", "")
        if problem:
            # Told only here, to the owner of the address, never on the public form.
            return [
                *intro,
                f"Attention : cette demande ne pourra pas partir tout de suite. {problem}",
                "Ce lien vous montre votre demande telle que vous l'avez écrite : rien n'est "
                "envoyé à la structure tant que c'est le cas. Si elle ne reçoit pas de demande "
                "en ce moment, vous pourrez l'envoyer, sans la réécrire, à une structure proche "
                "de votre choix.",
                "Ce n'est pas vous ? Ignorez simplement cet e-mail : rien ne sera envoyé.",
            ]
        return [
            *intro,
            "Pour vérifier votre adresse e-mail et envoyer la demande, ouvrez ce lien puis "
            "cliquez sur « Envoyer ma demande ». Il est valable 48 heures et ne sert qu'une fois.",
            "Ce n'est pas vous ? Ignorez simplement cet e-mail : rien ne sera envoyé.",
        ]


class NewRequestNotification(StructureNotification):
    kind = "contact_new_request"
    subject = "Nouvelle demande d'immersion : {{ metier }}"
    button_label = "Lire et répondre"

    def paragraphs(self, recipient):
        request = self.contact_request
        return [
            "Bonjour,",
            f"{request.candidate_name} souhaite faire une immersion dans votre structure, "
            f"{request.structure.display_name}, pour le métier « {request.appellation.label} ».",
            "Répondez-lui depuis votre espace : accepter en proposant des dates, poser une "
            "question ou décliner. Une réponse, même négative, l'aide à avancer.",
        ]


class ReminderNotification(StructureNotification):
    kind = "contact_reminder"
    subject = "Une demande d'immersion attend votre réponse : {{ metier }}"
    button_label = "Répondre maintenant"

    def paragraphs(self, recipient):
        request = self.contact_request
        days = self.extra["days"]
        return [
            "Bonjour,",
            f"{request.candidate_name} vous a écrit il y a {days} jours pour une immersion "
            f"(métier « {request.appellation.label} ») et attend votre réponse.",
            "Sans réponse 30 jours après l'envoi, la demande expire et la personne est orientée "
            "vers d'autres structures.",
        ]


class MessageNotification(ContactNotification):
    kind = "contact_message"
    subject = "Nouveau message au sujet de l'immersion « {{ metier }} »"
    button_label = "Lire et répondre"

    def get_recipients(self):
        if self.extra["to_side"] == "candidat":
            request = self.contact_request
            return [Recipient(email=request.email, name=request.candidate_name)]
        return team_recipients(self.contact_request.structure)

    @property
    def reason(self):
        return REASON_CANDIDATE if self.extra["to_side"] == "candidat" else REASON_STRUCTURE

    def paragraphs(self, recipient):
        request = self.contact_request
        if self.extra["to_side"] == "candidat":
            who = request.structure.display_name
        else:
            who = request.candidate_name
        return ["Bonjour,", f"{who} vous a écrit :"]


class AcceptedNotification(CandidateNotification):
    kind = "contact_accepted"
    subject = "{{ structure_name }} accepte votre demande d'immersion"

    def paragraphs(self, recipient):
        request = self.contact_request
        return [
            f"Bonjour {request.first_name},",
            f"Bonne nouvelle : {request.structure.display_name} accepte de vous accueillir "
            f"pour découvrir le métier « {request.appellation.label} ».",
            f"Dates proposées : {request.proposed_period}.",
            "Prochaine étape : parlez-en à votre conseiller (France Travail, mission locale, "
            "Cap emploi…), qui prépare la convention d'immersion avec vous et la structure.",
        ]


class DeclinedNotification(CandidateNotification):
    kind = "contact_declined"
    subject = "Réponse à votre demande d'immersion : {{ structure_name }}"
    button_label = "Voir ma demande"

    def paragraphs(self, recipient):
        request = self.contact_request
        return [
            f"Bonjour {request.first_name},",
            f"{request.structure.display_name} ne peut pas vous accueillir cette fois-ci "
            f"({request.get_decline_reason_display().lower()}). Ce n'est pas un jugement sur "
            "vous : merci pour votre intérêt, et ne vous découragez pas.",
            "D'autres structures proposent ce métier près de là : n'hésitez pas à leur écrire.",
        ]


class ExpiredNotification(CandidateNotification):
    kind = "contact_expired"
    subject = "Demande d'immersion restée sans réponse : {{ structure_name }}"
    button_label = "Voir ma demande"

    def paragraphs(self, recipient):
        request = self.contact_request
        return [
            f"Bonjour {request.first_name},",
            f"{request.structure.display_name} n'a pas répondu à votre demande d'immersion "
            f"(métier « {request.appellation.label} ») dans les 30 jours : elle est close.",
            "D'autres structures proposent ce métier près de là : n'hésitez pas à leur écrire.",
        ]


class AutoHiddenNotification(Notification):
    kind = "contact_auto_hidden"
    subject = "{{ structure_name }} n'apparaît plus dans la recherche"
    reason = REASON_STRUCTURE
    sensitive = True
    text_template_name = "contacts/email/message.txt"
    html_template_name = "contacts/email/message.html"

    def __init__(self, *, structure, reopen_url: str, unanswered: int):
        self.structure = structure
        self.reopen_url = reopen_url
        self.unanswered = unanswered

    def get_recipients(self):
        return team_recipients(self.structure)

    def get_context(self, recipient):
        return {
            "title": f"{self.structure.display_name} n'apparaît plus dans la recherche",
            "paragraphs": [
                "Bonjour,",
                f"Votre structure a reçu {self.unanswered} demandes d'immersion ces 5 derniers "
                "mois sans répondre à aucune. Pour ne pas laisser des candidats sans nouvelles, "
                "nous l'avons retirée de la recherche.",
                "Pour la faire réapparaître, ouvrez ce lien puis confirmez. Pensez ensuite à "
                "répondre aux demandes en attente, ou à mettre votre structure en pause quand "
                "vous ne pouvez pas accueillir.",
            ],
            "quote": "",
            "suggestions": [],
            "button_label": "Faire réapparaître ma structure",
            "url": self.reopen_url,
            "structure_name": self.structure.display_name,
        }


class ProposalNotification(Notification):
    kind = "contact_board_proposal"
    subject = "Une structure vous propose une immersion : {{ structure_name }}"
    reason = (
        "Vous recevez cet e-mail parce que vous avez publié une demande d'immersion sur Immersio."
    )
    sensitive = True
    text_template_name = "contacts/email/message.txt"
    html_template_name = "contacts/email/message.html"

    def __init__(self, *, proposal):
        self.proposal = proposal

    def get_recipients(self):
        post = self.proposal.post
        return [Recipient(email=post.candidate.email, name=post.display_name)]

    def get_context(self, recipient):
        structure = self.proposal.structure
        return {
            "title": f"{structure.display_name} vous propose une immersion",
            "paragraphs": [
                f"Bonjour {self.proposal.post.first_name},",
                f"{structure.display_name} a vu votre demande (« {self.proposal.post.subject} ») "
                "et vous écrit :",
            ],
            "quote": self.proposal.body,
            "suggestions": [],
            "button_label": "Voir la proposition et répondre",
            "url": link_for(recipient.email, proposal_path(self.proposal)),
            "structure_name": structure.display_name,
        }


def proposal_path(proposal) -> str:
    return reverse(
        "contacts:board_proposal",
        kwargs={
            "public_id": proposal.post.public_id,
            "structure_id": proposal.structure.public_id,
        },
    )


class ProposalMessageNotification(Notification):
    """A new message in the thread of a board proposal, to the other side."""

    kind = "contact_board_proposal_message"
    subject = "Nouveau message au sujet de la demande « {{ subject }} »"
    sensitive = True
    text_template_name = "contacts/email/message.txt"
    html_template_name = "contacts/email/message.html"

    def __init__(self, *, message):
        self.message = message
        self.proposal = message.proposal

    @property
    def to_candidate(self) -> bool:
        return self.message.side == "structure"

    @property
    def reason(self):
        if self.to_candidate:
            return (
                "Vous recevez cet e-mail parce que vous avez publié une demande d'immersion "
                "sur Immersio."
            )
        return REASON_STRUCTURE

    def get_recipients(self):
        post = self.proposal.post
        if self.to_candidate:
            return [Recipient(email=post.candidate.email, name=post.display_name)]
        return team_recipients(self.proposal.structure)

    def get_context(self, recipient):
        post = self.proposal.post
        structure = self.proposal.structure
        who = structure.display_name if self.to_candidate else post.display_name
        return {
            "title": f"{who} vous a écrit",
            "paragraphs": [
                "Bonjour,",
                f"{who} vous a écrit au sujet de la demande d'immersion « {post.subject} » :",
            ],
            "quote": self.message.body,
            "suggestions": [],
            "button_label": "Lire et répondre",
            "url": link_for(recipient.email, proposal_path(self.proposal)),
            "structure_name": structure.display_name,
            "subject": post.subject,
        }
