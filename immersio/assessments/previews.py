"""Examples of the e-mails about assessments (see ``immersio.notifications.previews``)."""

from datetime import timedelta

from django.utils import timezone

from immersio.conventions.previews import example_convention
from immersio.conventions.transitions import Status
from immersio.notifications.previews import example

from . import notifications
from .models import Assessment, AssessmentDocument, FilledBy
from .rules import REMINDER_DAYS, Achievement, Level, Outcome


def example_assessment(**fields) -> Assessment:
    """The assessment of a validated convention that ended yesterday, filled by its tutor."""
    convention = example_convention(Status.VALIDATED)
    convention.date_end = timezone.localdate() - timedelta(days=1)
    convention.date_start = convention.date_end - timedelta(days=4)
    convention.save()
    values = {
        "requested_at": timezone.now() - timedelta(days=1),
        "outcome": Outcome.COMPLETED,
        "objectives": [
            {"objective": o, "result": Achievement.MET, "comment": ""}
            for o in convention.objective_list()
        ],
        "skills": [{"skill": "Travail en équipe", "level": Level.MASTERED, "free": True}],
        "appreciation": "Camille a été ponctuelle, curieuse et à l'aise avec l'équipe.",
        "advice": "Une formation courte en maraîchage biologique serait un bon prochain pas.",
        "minutes_done": convention.total_minutes,
        "filled_by_kind": FilledBy.TUTOR,
        "filled_by_name": convention.tutor_name,
        "filled_at": timezone.now(),
    }
    return Assessment.objects.create(convention=convention, **(values | fields))


@example(notifications.TutorRequestNotification)
def tutor_request():
    assessment = example_assessment(filled_at=None)
    return [
        notifications.TutorRequestNotification(assessment=assessment, reminder_days=days)
        for days in (0, *REMINDER_DAYS)
    ]


@example(notifications.BeneficiaryComingNotification)
def beneficiary_coming():
    return notifications.BeneficiaryComingNotification(
        assessment=example_assessment(filled_at=None)
    )


@example(notifications.AgencyReminderNotification)
def agency_reminder():
    return notifications.AgencyReminderNotification(assessment=example_assessment(filled_at=None))


@example(notifications.NoShowNotification)
def no_show():
    return notifications.NoShowNotification(
        assessment=example_assessment(
            outcome=Outcome.NO_SHOW,
            no_show_reason="Sans nouvelles depuis la veille du début.",
            objectives=[],
            skills=[],
            minutes_done=0,
        )
    )


@example(notifications.CosignRequestNotification)
def cosign_request():
    return notifications.CosignRequestNotification(assessment=example_assessment())


@example(notifications.CosignedNotification)
def cosigned():
    return [
        notifications.CosignedNotification(
            assessment=example_assessment(beneficiary_agrees=True, cosigned_at=timezone.now())
        ),
        notifications.CosignedNotification(
            assessment=example_assessment(
                beneficiary_agrees=False,
                beneficiary_comment="Le mercredi, j'étais sur l'autre site, pas absente.",
                cosigned_at=timezone.now(),
            )
        ),
    ]


@example(notifications.CorrectedNotification)
def corrected():
    return notifications.CorrectedNotification(
        assessment=example_assessment(),
        changed=["Dernier jour de présence", "Temps manqué"],
        why="Le tuteur s'était trompé de semaine.",
    )


@example(notifications.DocumentNotification)
def document():
    assessment = example_assessment(beneficiary_agrees=True, cosigned_at=timezone.now())
    return [
        notifications.DocumentNotification(
            assessment=assessment, document=AssessmentDocument(assessment=assessment, number=n)
        )
        for n in (1, 2)
    ]


@example(notifications.RenewalDeclinedNotification)
def renewal_declined():
    assessment = example_assessment()
    return notifications.RenewalDeclinedNotification(
        assessment=assessment,
        reason="Le maraîchage ferme en janvier : parlons plutôt d'une immersion au printemps, "
        "ou d'une autre structure dès maintenant.",
    )


@example(notifications.RenewalStartedNotification)
def renewal_started():
    assessment = example_assessment()
    return [
        notifications.RenewalStartedNotification(assessment=assessment, asked=asked)
        for asked in (True, False)
    ]


@example(notifications.RenewalRequestNotification)
def renewal_request():
    assessment = example_assessment()
    assessment.objectives[-1]["result"] = Achievement.NOT_MET
    assessment.save(update_fields=["objectives"])
    return [
        notifications.RenewalRequestNotification(
            assessment=assessment,
            message="J'aimerais une semaine de plus pour essayer la vente au marché.",
        ),
        notifications.RenewalRequestNotification(assessment=assessment, message=""),
    ]
