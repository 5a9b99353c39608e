"""The transition table, exhaustively: every action, from every status, by every role.

``expected`` restates the lifecycle in plain rules, written apart from the table (issue 10):
a test of the table against itself could not fail."""

import itertools
from datetime import date

import pytest

from immersio.conventions.transitions import (
    TRANSITIONS,
    Action,
    Role,
    Status,
    TransitionRefused,
    allowed_actions,
    check,
    date_problem,
    obsolete_after,
)

S = Status
SIGNERS = {
    Role.BENEFICIARY,
    Role.LEGAL_REPRESENTATIVE,
    Role.CURRENT_EMPLOYER,
    Role.HOST_REPRESENTATIVE,
    Role.HOST_SECOND_REPRESENTATIVE,
}
WAITING_SIGNATURES = {S.TO_SIGN, S.PARTIALLY_SIGNED}
NOT_YET_VALIDATED = {S.TO_SIGN, S.PARTIALLY_SIGNED, S.IN_REVIEW, S.PRE_VALIDATED}


def expected(action: Action, status: Status, role: Role) -> tuple[bool, Status | None]:
    """(allowed, status after) as the issue describes the lifecycle."""
    agency = role in {Role.COUNSELLOR, Role.VALIDATOR}
    match action:
        case Action.SUBMIT:
            ok = status == S.DRAFT and (agency or role in {Role.DRAFTER, Role.STAFF, Role.SYSTEM})
            return ok, S.TO_SIGN
        case Action.SIGN:
            return status in WAITING_SIGNATURES and role in SIGNERS, S.PARTIALLY_SIGNED
        case Action.COMPLETE_SIGNATURES:
            return status in WAITING_SIGNATURES and role == Role.SYSTEM, S.IN_REVIEW
        case Action.DECLINE:
            return status in WAITING_SIGNATURES and role in SIGNERS, None
        case Action.REQUEST_CHANGE:
            return status in NOT_YET_VALIDATED and (role in SIGNERS or agency), None
        case Action.REOPEN:
            ok = status in NOT_YET_VALIDATED and (agency or role in {Role.DRAFTER, Role.STAFF})
            return ok, S.DRAFT
        case Action.CORRECT:
            ok = status in NOT_YET_VALIDATED | {S.VALIDATED} and (agency or role == Role.STAFF)
            return ok, None
        case Action.ADD_SIGNATORY:
            ok = status in WAITING_SIGNATURES and (agency or role in {Role.DRAFTER, Role.STAFF})
            return ok, None
        case Action.AMEND:
            return status == S.VALIDATED and (agency or role == Role.STAFF), None
        case Action.TRANSFER:
            return status in NOT_YET_VALIDATED and (agency or role == Role.STAFF), S.TO_SIGN
        case Action.PRE_VALIDATE:
            return status == S.IN_REVIEW and role == Role.COUNSELLOR, S.PRE_VALIDATED
        case Action.VALIDATE:
            ok = status in {S.IN_REVIEW, S.PRE_VALIDATED} and role == Role.VALIDATOR
            return ok, S.VALIDATED
        case Action.REFUSE:
            return status in NOT_YET_VALIDATED and (agency or role == Role.STAFF), S.REFUSED
        case Action.CANCEL:
            ok = status in NOT_YET_VALIDATED | {S.VALIDATED} and (agency or role == Role.STAFF)
            return ok, S.CANCELLED
        case Action.MAKE_OBSOLETE:
            ok = status in NOT_YET_VALIDATED and role in {Role.SYSTEM, Role.STAFF}
            return ok, S.OBSOLETE
    raise AssertionError(action)


REASON_REQUIRED = {
    Action.AMEND,
    Action.DECLINE,
    Action.REQUEST_CHANGE,
    Action.REOPEN,
    Action.CORRECT,
    Action.TRANSFER,
    Action.REFUSE,
    Action.CANCEL,
    Action.MAKE_OBSOLETE,
}


@pytest.mark.parametrize(
    ("action", "status", "role"), list(itertools.product(Action, Status, Role))
)
def test_every_action_from_every_status_by_every_role(action, status, role):
    allowed, target = expected(action, status, role)
    reason = "Un motif." if action in REASON_REQUIRED else ""
    if allowed:
        transition = check(action, status=status, roles={role}, reason=reason)
        assert transition.target == target
        assert action in allowed_actions(status=status, roles={role})
    else:
        with pytest.raises(TransitionRefused) as refused:
            check(action, status=status, roles={role}, reason=reason)
        assert refused.value.code in {"wrong_status", "wrong_role"}
        assert refused.value.message  # French, for the person
        assert action not in allowed_actions(status=status, roles={role})


@pytest.mark.parametrize("action", list(Action))
def test_a_reason_is_required_exactly_where_the_issue_says(action):
    transition = TRANSITIONS[action]
    assert transition.reason_required == (action in REASON_REQUIRED)
    if transition.reason_required:
        status = next(iter(transition.sources))
        role = next(iter(transition.roles))
        with pytest.raises(TransitionRefused) as refused:
            check(action, status=status, roles={role}, reason="   ")
        assert refused.value.code == "reason"


def test_forbidden_transitions_say_why_in_french():
    with pytest.raises(TransitionRefused) as refused:
        check(Action.VALIDATE, status=S.REFUSED, roles={Role.VALIDATOR})
    assert refused.value.message == (
        "Cette convention a été refusée. L'action « valider » n'est plus possible."
    )
    with pytest.raises(TransitionRefused) as refused:
        check(Action.SIGN, status=S.VALIDATED, roles={Role.BENEFICIARY})
    assert "déjà validée" in refused.value.message
    with pytest.raises(TransitionRefused) as refused:
        check(Action.VALIDATE, status=S.IN_REVIEW, roles={Role.COUNSELLOR})
    assert refused.value.message == "Vous ne pouvez pas « valider » cette convention."


def test_validation_up_to_the_first_day_cancellation_until_the_day_before():
    start = date(2027, 3, 15)
    assert date_problem(Action.VALIDATE, today=date(2027, 3, 15), start=start) == ""
    assert "ne se valide pas après son premier jour" in date_problem(
        Action.VALIDATE, today=date(2027, 3, 16), start=start
    )
    assert date_problem(Action.CANCEL, today=date(2027, 3, 14), start=start) == ""
    assert "au plus tard la veille" in date_problem(
        Action.CANCEL, today=date(2027, 3, 15), start=start
    )
    assert date_problem(Action.REFUSE, today=date(2027, 4, 1), start=start) == ""


@pytest.mark.parametrize(
    ("start", "first_obsolete_day"),
    [
        (date(2027, 3, 15), date(2027, 4, 15)),
        (date(2027, 1, 31), date(2027, 3, 1)),  # « un mois » from 31/01 ends on 28/02
        (date(2028, 1, 31), date(2028, 3, 1)),  # leap year: ends on 29/02
        (date(2027, 12, 31), date(2028, 1, 31)),
    ],
)
def test_obsolete_one_calendar_month_after_the_planned_start(start, first_obsolete_day):
    assert obsolete_after(start) == first_obsolete_day
