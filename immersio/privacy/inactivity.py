"""Inactive accounts, as two lines of the retention table (``retention.RULES``).

An account nobody logged in to for ``INACTIVITY`` (its last login, or its creation if it
was never used), with no immersion under way, is warned by e-mail ``NOTICE`` before (once:
``InactivityWarning``), then deleted through ``services.delete_account`` (actor ``TASK``)
if it was warned at least ``NOTICE`` before and nobody logged in since. Logging in
removes the warning (``apps.PrivacyConfig.ready``).

The table sits in the lowest layer of the app; the services it calls are named by their
dotted path and imported when a rule applies (as ``PersonalLink`` does for e-mail links).
"""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string

from immersio.accounts.models import User
from immersio.conventions.models import Convention
from immersio.conventions.transitions import Status as ConventionStatus

from .models import InactivityWarning
from .retention import Action, Duration, RetentionRule

#: After this long without logging in, an account is deleted.
INACTIVITY = Duration(months=24)
#: The warning e-mail goes this long before.
NOTICE_DAYS = 7
NOTICE = timedelta(days=NOTICE_DAYS)


class _BeforeDuration(Duration):
    """``INACTIVITY`` less the notice, said as such (« 7 jours avant 2 ans »)."""

    def __str__(self) -> str:
        return f"{-self.days} jour{'s' if -self.days > 1 else ''} avant {Duration(self.months)}"


WARNING_AFTER = _BeforeDuration(months=INACTIVITY.months, days=-NOTICE_DAYS)


def _ongoing_immersion(today: object) -> Exists:
    """Whether the account (``OuterRef``) has an immersion of its own under way or to come
    (as ``erasure.ongoing_conventions`` says for one person)."""
    email = OuterRef("email")
    return Exists(
        Convention.objects.filter(
            status=ConventionStatus.VALIDATED, replaced_at__isnull=True, date_end__gte=today
        ).filter(
            Q(beneficiary_email__iexact=email)
            | Q(legal_rep_email__iexact=email)
            | Q(contact_request__candidate=OuterRef("pk"))
        )
    )


def inactive_accounts(now: datetime) -> QuerySet[User]:
    """Active accounts, with their last sign of life (``last_seen``), and no immersion
    under way."""
    return (
        User.objects.filter(is_active=True)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .exclude(_ongoing_immersion(timezone.localdate(now)))
        .order_by("pk")
    )


def _warned(**conditions: object) -> Exists:
    # A subquery, not a join: the job may lock the rows it finds (``select_for_update``),
    # which PostgreSQL refuses on the nullable side of an outer join.
    return Exists(InactivityWarning.objects.filter(user=OuterRef("pk"), **conditions))


def due_for_warning(now: datetime) -> QuerySet[User]:
    return (
        inactive_accounts(now).filter(last_seen__lte=WARNING_AFTER.before(now)).exclude(_warned())
    )


def due_for_deletion(now: datetime) -> QuerySet[User]:
    return inactive_accounts(now).filter(
        _warned(sent_at__lte=now - NOTICE), last_seen__lte=INACTIVITY.before(now)
    )


def deletion_day(user: User, now: datetime) -> date:
    """The first day ``user``'s account may be deleted, if warned at ``now``."""
    last_seen = user.last_login or user.date_joined
    return timezone.localdate(
        max(now + NOTICE, last_seen + relativedelta(months=INACTIVITY.months, days=INACTIVITY.days))
    )


def warn(user: User, *, now: datetime, actor: object) -> None:
    import_string("immersio.privacy.services.warn_inactive")(
        user=user,
        delete_on=deletion_day(user, now),
        inactivity=str(INACTIVITY),
        actor=actor,
        now=now,
    )


def delete(user: User, *, now: datetime, actor: object) -> None:
    import_string("immersio.privacy.services.delete_inactive")(user=user, actor=actor)


INACTIVITY_RULES = [
    RetentionRule(
        key="comptes_inactifs_avertissement",
        label="Comptes inactifs",
        model="accounts.User",
        starts="sans connexion (depuis la dernière, ou depuis la création du compte)",
        duration=WARNING_AFTER,
        action=Action.WARN,
        due=due_for_warning,
        apply=warn,
    ),
    RetentionRule(
        key="comptes_inactifs",
        label="Comptes inactifs, sans immersion en cours",
        model="accounts.User",
        starts=(
            "après la dernière connexion (ou la création du compte), si la personne a été "
            f"prévenue au moins {NOTICE_DAYS} jours avant"
        ),
        duration=INACTIVITY,
        action=Action.DELETE,
        due=due_for_deletion,
        apply=delete,
    ),
]
