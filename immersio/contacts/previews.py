"""Examples of the e-mails about immersion requests (see
``immersio.notifications.previews``)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from immersio.accounts.previews import verified_person
from immersio.notifications.base import absolute_url
from immersio.notifications.previews import PUBLIC_TEXT, example
from immersio.referentials.previews import lyon, maraicher
from immersio.structures.previews import structure_with_team

from . import notifications
from .models import (
    AutoHide,
    BoardPost,
    BoardProposal,
    ContactRequest,
    DeclineReason,
    Duration,
    Status,
)
from .services import reopen_url, unavailable_reason, verify_url


def contact_request(*, draft: bool = False, **fields) -> ContactRequest:
    """A request sent to « Les Jardins de Gerland » by Camille Durand (a draft, not sent
    yet, when ``draft``)."""
    host, _ = structure_with_team()
    now = timezone.now()
    values = {
        "structure": host,
        "appellation": maraicher(),
        "first_name": "Camille",
        "last_name": "Durand",
        "situation": "demandeur_ft",
        "has_support": False,
        "objective": "decouvrir",
        "motivations": "Découvrir le maraîchage.",
        "hopes": "Les récoltes.",
        "period": "En mars.",
        "duration": "1s",
        "contact_mode": "message",
        "proposed_start": timezone.localdate() + timedelta(days=14),
        "proposed_end": timezone.localdate() + timedelta(days=25),
        "proposed_dates": "de 9 h à 17 h",
        "decline_reason": "",
    }
    if draft:
        values |= {"status": Status.DRAFT, "email": "camille@exemple.fr"}
    else:
        candidate = verified_person(
            "camille.durand@exemple.fr", first_name="Camille", last_name="Durand"
        )
        values |= {
            "status": Status.NEW,
            "candidate": candidate,
            "email": candidate.email,
            "sent_at": now,
            "verified_at": now,
        }
    return ContactRequest.objects.create(**(values | fields))


@example(notifications.VerifyEmailNotification)
def contact_verify_email():
    """Both variants: the request can leave, or it cannot now (the structure is paused)."""
    built = []
    for paused in (False, True):
        draft = contact_request(draft=True, first_name=PUBLIC_TEXT, last_name=PUBLIC_TEXT)
        problem = ""
        if paused:
            draft.structure.paused_until = timezone.localdate() + timedelta(days=10)
            draft.structure.save()
            problem = unavailable_reason(draft.structure)
        built.append(
            notifications.VerifyEmailNotification(
                contact_request=draft, verify_url=verify_url(draft), problem=problem
            )
        )
    return built


@example(notifications.NewRequestNotification)
def contact_new_request():
    return notifications.NewRequestNotification(contact_request=contact_request())


@example(notifications.ReminderNotification)
def contact_reminder():
    return notifications.ReminderNotification(contact_request=contact_request(), days=3)


@example(notifications.MessageNotification)
def contact_message():
    """Both sides of the thread of a request."""
    request = contact_request()
    return [
        notifications.MessageNotification(
            contact_request=request, to_side=side, quote="Pouvez-vous venir lundi à 9 h ?"
        )
        for side in ("candidat", "structure")
    ]


@example(notifications.AcceptedNotification)
def contact_accepted():
    request = contact_request()
    request.status = Status.ACCEPTED
    request.first_answer_at = request.answered_at = request.sent_at + timedelta(days=1)
    request.save()
    return notifications.AcceptedNotification(contact_request=request)


@example(notifications.DeclinedNotification)
def contact_declined():
    request = contact_request(status=Status.DECLINED, decline_reason=DeclineReason.UNAVAILABLE)
    other, _ = structure_with_team(name="La Ferme des Monts d'Or")
    path = reverse("directory:structure", kwargs={"public_id": other.public_id})
    suggestions = [{"name": other.display_name, "place": "Lyon", "url": absolute_url(path)}]
    return notifications.DeclinedNotification(contact_request=request, suggestions=suggestions)


@example(notifications.ExpiredNotification)
def contact_expired():
    return notifications.ExpiredNotification(contact_request=contact_request(status=Status.EXPIRED))


@example(notifications.AutoHiddenNotification)
def contact_auto_hidden():
    host, _ = structure_with_team()
    auto_hide = AutoHide.objects.create(structure=host, hidden_at=timezone.now())
    return notifications.AutoHiddenNotification(
        structure=host, reopen_url=reopen_url(auto_hide), unanswered=20
    )


def board_proposal() -> BoardProposal:
    host, admin = structure_with_team()
    candidate = verified_person("sami@exemple.fr", first_name="Sami", last_name="Benali")
    now = timezone.now()
    commune = lyon()
    post = BoardPost.objects.create(
        candidate=candidate,
        first_name="Sami",
        last_initial="B",
        appellation=maraicher(),
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        period="En avril",
        duration=Duration.choices[0][0],
        motivations="Découvrir le maraîchage.",
        published_at=now,
        expires_at=now + timedelta(days=60),
    )
    return BoardProposal.objects.create(
        post=post, structure=host, author=admin, body="Venez nous voir mardi matin."
    )


@example(notifications.ProposalNotification)
def contact_board_proposal():
    return notifications.ProposalNotification(proposal=board_proposal())


@example(notifications.ProposalMessageNotification)
def contact_board_proposal_message():
    """Both sides of the thread that follows a proposal."""
    proposal = board_proposal()
    from_candidate = proposal.messages.create(
        side="candidat", author=proposal.post.candidate, body="Mardi me convient, merci !"
    )
    from_structure = proposal.messages.create(
        side="structure", author=proposal.author, body="Parfait, à mardi 9 h."
    )
    return [
        notifications.ProposalMessageNotification(message=from_candidate),
        notifications.ProposalMessageNotification(message=from_structure),
    ]
