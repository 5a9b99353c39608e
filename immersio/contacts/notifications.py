"""E-mails about immersion requests. Templates: ``contacts/email/<kind>.txt`` and
``.html``; they extend ``contacts/email/message.*`` (a title, paragraphs, an optional quoted
message, an optional list of suggested structures and one button)."""

from django.urls import reverse

from immersio.accounts.models import User
from immersio.notifications.base import Notification, Recipient, absolute_url

from . import rules

REASON_CANDIDATE = (
    "Vous recevez cet e-mail parce que vous avez fait une demande d'immersion sur Immersio."
)
REASON_BOARD_CANDIDATE = (
    "Vous recevez cet e-mail parce que vous avez publié une demande d'immersion sur Immersio."
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


class ContactsEmail(Notification):
    """Every e-mail of this app: its templates in ``contacts/email``; its button logs the
    person in, so it is sensitive."""

    template_dir = "contacts/email"
    sensitive = True


class ContactNotification(ContactsEmail):
    def __init__(self, *, contact_request, **extra):
        self.contact_request = contact_request
        self.extra = extra

    def target_path(self) -> str:
        return thread_path(self.contact_request)

    def get_context(self, recipient):
        request = self.contact_request
        return {
            "quote": self.extra.get("quote", ""),
            "suggestions": self.extra.get("suggestions", []),
            "url": link_for(recipient.email, self.target_path()),
            "structure_name": request.structure.display_name,
            "metier": request.appellation.label,
            "candidate_name": request.candidate_name,
            "first_name": request.first_name,
            # The limits the e-mails state, from the rules that enforce them.
            "expiry_days": rules.EXPIRY_DAYS,
            "verify_hours": rules.VERIFY_HOURS,
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

    def get_context(self, recipient):
        # ``problem`` is told only here, to the owner of the address, never on the public
        # form.
        return super().get_context(recipient) | {
            "url": self.extra["verify_url"],
            "problem": self.extra.get("problem", ""),
        }


class NewRequestNotification(StructureNotification):
    kind = "contact_new_request"
    subject = "Nouvelle demande d'immersion : {{ metier }}"


class ReminderNotification(StructureNotification):
    kind = "contact_reminder"
    subject = "Une demande d'immersion attend votre réponse : {{ metier }}"

    def get_context(self, recipient):
        return super().get_context(recipient) | {"days": self.extra["days"]}


class MessageNotification(ContactNotification):
    kind = "contact_message"
    subject = "Nouveau message au sujet de l'immersion « {{ metier }} »"

    @property
    def to_candidate(self) -> bool:
        return self.extra["to_side"] == "candidat"

    def get_recipients(self):
        if self.to_candidate:
            request = self.contact_request
            return [Recipient(email=request.email, name=request.candidate_name)]
        return team_recipients(self.contact_request.structure)

    @property
    def reason(self):
        return REASON_CANDIDATE if self.to_candidate else REASON_STRUCTURE

    def get_context(self, recipient):
        context = super().get_context(recipient)
        sender = "structure_name" if self.to_candidate else "candidate_name"
        return context | {"sender_name": context[sender]}


class AcceptedNotification(CandidateNotification):
    kind = "contact_accepted"
    subject = "{{ structure_name }} accepte votre demande d'immersion"

    def get_context(self, recipient):
        period = self.contact_request.proposed_period
        return super().get_context(recipient) | {"proposed_period": period}


class DeclinedNotification(CandidateNotification):
    kind = "contact_declined"
    subject = "Réponse à votre demande d'immersion : {{ structure_name }}"

    def get_context(self, recipient):
        decline_reason = self.contact_request.get_decline_reason_display()
        return super().get_context(recipient) | {"decline_reason": decline_reason}


class ExpiredNotification(CandidateNotification):
    kind = "contact_expired"
    subject = "Demande d'immersion restée sans réponse : {{ structure_name }}"


class AutoHiddenNotification(ContactsEmail):
    kind = "contact_auto_hidden"
    subject = "{{ structure_name }} n'apparaît plus dans la recherche"
    reason = REASON_STRUCTURE

    def __init__(self, *, structure, reopen_url: str, unanswered: int):
        self.structure = structure
        self.reopen_url = reopen_url
        self.unanswered = unanswered

    def get_recipients(self):
        return team_recipients(self.structure)

    def get_context(self, recipient):
        return {
            "unanswered": self.unanswered,
            "quote": "",
            "suggestions": [],
            "url": self.reopen_url,
            "structure_name": self.structure.display_name,
        }


class ProposalNotification(ContactsEmail):
    kind = "contact_board_proposal"
    subject = "Une structure vous propose une immersion : {{ structure_name }}"
    reason = REASON_BOARD_CANDIDATE

    def __init__(self, *, proposal):
        self.proposal = proposal

    def get_recipients(self):
        post = self.proposal.post
        return [Recipient(email=post.candidate.email, name=post.display_name)]

    def get_context(self, recipient):
        return {
            "first_name": self.proposal.post.first_name,
            "post_subject": self.proposal.post.subject,
            "quote": self.proposal.body,
            "suggestions": [],
            "url": link_for(recipient.email, proposal_path(self.proposal)),
            "structure_name": self.proposal.structure.display_name,
        }


def proposal_path(proposal) -> str:
    return reverse(
        "contacts:board_proposal",
        kwargs={
            "public_id": proposal.post.public_id,
            "structure_id": proposal.structure.public_id,
        },
    )


class ProposalMessageNotification(ContactsEmail):
    """A new message in the thread of a board proposal, to the other side."""

    kind = "contact_board_proposal_message"
    subject = "Nouveau message au sujet de la demande « {{ post_subject }} »"

    def __init__(self, *, message):
        self.message = message
        self.proposal = message.proposal

    @property
    def to_candidate(self) -> bool:
        return self.message.side == "structure"

    @property
    def reason(self):
        return REASON_BOARD_CANDIDATE if self.to_candidate else REASON_STRUCTURE

    def get_recipients(self):
        post = self.proposal.post
        if self.to_candidate:
            return [Recipient(email=post.candidate.email, name=post.display_name)]
        return team_recipients(self.proposal.structure)

    def get_context(self, recipient):
        post = self.proposal.post
        structure = self.proposal.structure
        return {
            "sender_name": structure.display_name if self.to_candidate else post.display_name,
            "post_subject": post.subject,
            "quote": self.message.body,
            "suggestions": [],
            "url": link_for(recipient.email, proposal_path(self.proposal)),
            "structure_name": structure.display_name,
        }
