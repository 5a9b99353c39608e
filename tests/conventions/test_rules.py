"""The PMSMP rules: an example at every boundary, then properties (Hypothesis)."""

import itertools
from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from immersio.conventions import rules
from immersio.conventions.rules import (
    ContractKind,
    ImmersionObject,
    InsertionContract,
    Limits,
    PastConvention,
    Period,
    PotentialDuplicate,
    RenewalInfo,
    RuleSet,
    Signatories,
    Violation,
    age_on,
    check,
    is_known_field,
    is_valid,
    one_month_end,
    rule_set_for,
)
from immersio.conventions.schedule import DaySlots, Schedule

from .factories import END, START, SUBMITTED, convention, minor, on_days, slots, weekdays


def errors(data) -> set[tuple[str, str]]:
    return {(v.field, v.code) for v in check(data) if v.severity == "error"}


def warnings(data) -> set[tuple[str, str]]:
    return {(v.field, v.code) for v in check(data) if v.severity == "warning"}


def codes(data) -> set[str]:
    return {v.code for v in check(data) if v.severity == "error"}


def test_the_default_convention_is_valid():
    assert check(convention()) == []
    assert check(minor()) == []


# --- object and objectives -------------------------------------------------------------


def test_objectives_are_required():
    assert errors(convention(objectives=())) == {("objectives", "objectives_required")}
    assert errors(convention(objectives=("  ", ""))) == {("objectives", "objectives_required")}


def test_object_must_be_one_of_three():
    assert ("object", "object_invalid") in errors(convention(object="other"))


def test_one_to_five_short_objectives():
    five = tuple(f"Objectif {n}" for n in range(1, 6))
    assert check(convention(objectives=five)) == []
    six = (*five, "Objectif 6")
    [violation] = check(convention(objectives=six))
    assert (violation.field, violation.code) == ("objectives", "too_many_objectives")
    assert "au plus 5 objectifs" in violation.message and "il y en a 6" in violation.message
    # Blank items are not objectives.
    assert check(convention(objectives=(*five, "  "))) == []
    assert check(convention(objectives=("x" * 300,))) == []
    assert errors(convention(objectives=("x" * 301,))) == {("objectives", "objective_too_long")}


def test_objectives_are_compared_as_a_set_without_case_accents_or_order():
    same = rules.objectives_set
    assert same(["Découvrir le métier", "Évaluer"]) == same(["EVALUER.", "  decouvrir  le METIER"])
    assert same(["Découvrir le métier"]) != same(["Découvrir le métier", "Évaluer"])
    assert same(["Découvrir"]) != same(["Décrire"])


def test_split_objectives_one_per_line():
    text = "- Découvrir le métier\n\n• Évaluer les gestes  \n* Bilan écrit\n   "
    assert rules.split_objectives(text) == (
        "Découvrir le métier",
        "Évaluer les gestes",
        "Bilan écrit",
    )
    assert rules.split_objectives("  \n ") == ()


# --- dates: one month « de date à date » -----------------------------------------------


@pytest.mark.parametrize(
    ("start", "last"),
    [
        (date(2026, 2, 3), date(2026, 3, 2)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 1, 30), date(2026, 2, 28)),
        (date(2028, 1, 30), date(2028, 2, 29)),
        (date(2026, 1, 29), date(2026, 2, 28)),
        (date(2028, 1, 29), date(2028, 2, 28)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 12, 31), date(2027, 1, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_one_month_end(start, last):
    assert one_month_end(start) == last


def _period(start, end):
    return convention(
        submitted_on=start - timedelta(days=1),
        date_start=start,
        date_end=end,
        schedule=on_days({start: ["09:00-12:00"]}),
    )


def test_3_february_to_2_march_is_valid_and_3_march_refused():
    assert check(_period(date(2026, 2, 3), date(2026, 3, 2))) == []
    assert errors(_period(date(2026, 2, 3), date(2026, 3, 3))) == {("date_end", "period_too_long")}


def test_31_january_ends_on_the_last_day_of_february():
    assert check(_period(date(2026, 1, 31), date(2026, 2, 28))) == []
    assert errors(_period(date(2026, 1, 31), date(2026, 3, 1))) == {("date_end", "period_too_long")}
    assert check(_period(date(2028, 1, 31), date(2028, 2, 29))) == []


def test_period_too_long_message_gives_the_last_day():
    [violation] = check(_period(date(2026, 2, 3), date(2026, 3, 3)))
    assert "02/03/2026" in violation.message


def test_one_day_period_is_valid():
    assert check(_period(START, START)) == []


def test_end_before_start_is_refused():
    data = convention(
        date_end=START - timedelta(days=1), schedule=on_days({START: ["09:00-10:00"]})
    )
    assert ("date_end", "end_before_start") in errors(data)
    assert ("date_end", "period_too_long") not in errors(data)


def test_start_on_submission_day_is_valid_and_the_day_before_refused():
    assert check(convention(submitted_on=START)) == []
    assert errors(convention(submitted_on=START + timedelta(days=1))) == {
        ("date_start", "start_before_submission")
    }


def _daily(start, count):
    return Schedule.of({start + timedelta(days=i): slots("09:00-12:00") for i in range(count)})


def test_30_presence_days_valid_31_refused():
    start = date(2026, 3, 1)
    thirty = convention(date_start=start, date_end=date(2026, 3, 31), schedule=_daily(start, 30))
    thirty_one = replace(thirty, schedule=_daily(start, 31))
    assert "too_many_presence_days" not in codes(thirty)
    assert ("schedule", "too_many_presence_days") in errors(thirty_one)


# --- time slots -------------------------------------------------------------------------


def test_schedule_needs_a_slot():
    assert errors(convention(schedule=Schedule())) == {("schedule", "schedule_empty")}
    empty_days = Schedule((DaySlots(START, ()),))
    assert errors(convention(schedule=empty_days)) == {("schedule", "schedule_empty")}


@pytest.mark.parametrize("pair", ["12:00-12:00", "12:00-11:59"])
def test_slot_must_end_after_start(pair):
    data = convention(schedule=on_days({START: [pair]}))
    assert errors(data) == {("schedule.2026-03-09", "slot_end_before_start")}


def test_slot_in_whole_minutes():
    data = convention(schedule=Schedule.of({START: [(time(9, 0, 30), time(12, 0))]}))
    assert errors(data) == {("schedule.2026-03-09", "slot_not_minutes")}


def test_overlapping_slots_are_refused_touching_ones_accepted():
    assert check(convention(schedule=on_days({START: ["08:00-12:00", "12:00-13:00"]}))) == []
    data = convention(schedule=on_days({START: ["08:00-12:00", "11:59-13:00"]}))
    assert errors(data) == {("schedule.2026-03-09", "slots_overlap")}


def test_slots_outside_the_period_are_refused():
    data = convention(
        schedule=on_days({START: ["09:00-10:00"], END + timedelta(1): ["09:00-10:00"]})
    )
    assert errors(data) == {("schedule.2026-03-21", "slot_outside_period")}
    before = convention(schedule=on_days({START - timedelta(1): ["09:00-10:00"]}))
    assert errors(before) == {("schedule.2026-03-08", "slot_outside_period")}


def test_repeated_day_is_refused():
    schedule = Schedule(
        (
            DaySlots(START, tuple(slots("08:00-09:00"))),
            DaySlots(START, tuple(slots("10:00-11:00"))),
        )
    )
    assert errors(convention(schedule=schedule)) == {("schedule.2026-03-09", "day_repeated")}


# --- adults: day, week, rest ----------------------------------------------------------


def test_adult_10_hours_a_day_valid_10_15_refused():
    assert check(convention(schedule=on_days({START: ["07:00-12:00", "13:00-18:00"]}))) == []
    data = convention(schedule=on_days({START: ["07:00-12:00", "13:00-18:15"]}))
    assert errors(data) == {("schedule.2026-03-09", "day_too_long")}
    [violation] = check(data)
    assert "10 h 15" in violation.message and "10 h" in violation.message


SATURDAY = START + timedelta(days=5)


def _six_days(last_day_end="17:00"):
    mapping = {START + timedelta(days=i): ["08:00-12:00", "13:00-17:00"] for i in range(5)}
    mapping[SATURDAY] = ["08:00-12:00", f"13:00-{last_day_end}"]
    return on_days(mapping)


def test_adult_48_hours_a_week_valid_48_30_refused():
    assert check(convention(schedule=_six_days())) == []
    data = convention(schedule=_six_days("17:30"))
    assert errors(data) == {("schedule.weeks.2026-W11", "week_too_long")}
    assert "48 h 30" in check(data)[0].message


def test_adult_6_days_a_week_valid_7_refused():
    six = weekdays(START, SATURDAY, "09:00-12:00", weekend=True)
    seven = weekdays(START, SATURDAY + timedelta(1), "09:00-12:00", weekend=True)
    assert check(convention(schedule=six)) == []
    assert errors(convention(schedule=seven)) == {
        ("schedule.weeks.2026-W11", "too_many_days_in_week")
    }


def test_weeks_are_calendar_weeks_monday_to_sunday():
    # Thursday to Wednesday: 7 days in a row but 4 + 3 in two ISO weeks.
    start = date(2026, 3, 12)
    schedule = weekdays(start, start + timedelta(days=6), "09:00-12:00", weekend=True)
    assert check(convention(schedule=schedule)) == []


def _two_days(first_end, second_start, birth=None):
    data = convention(
        schedule=on_days(
            {START: [f"13:00-{first_end}"], START + timedelta(1): [f"{second_start}-12:00"]}
        )
    )
    return data


def test_adult_11_hours_rest_valid_10_59_refused():
    assert check(_two_days("21:00", "08:00")) == []
    data = _two_days("21:00", "07:59")
    assert errors(data) == {("schedule.2026-03-10", "rest_too_short")}
    assert "10 h 59" in check(data)[0].message


def test_rest_only_between_consecutive_calendar_days():
    data = convention(
        schedule=on_days({START: ["13:00-23:00"], START + timedelta(2): ["00:00-08:00"]})
    )
    assert check(data) == []


def test_adult_public_holiday_is_a_warning():
    friday_1_may = date(2026, 5, 1)
    data = convention(
        submitted_on=date(2026, 4, 20),
        date_start=date(2026, 4, 27),
        date_end=date(2026, 5, 8),
        schedule=weekdays(date(2026, 4, 27), date(2026, 5, 8), "09:00-12:00"),
    )
    assert errors(data) == set()
    assert warnings(data) == {
        ("schedule.2026-05-01", "public_holiday"),
        ("schedule.2026-05-08", "public_holiday"),
    }
    assert is_valid(check(data))
    assert "Fête du Travail" in check(data)[0].message
    assert rules.public_holiday(friday_1_may) == "Fête du Travail"


# --- minors ---------------------------------------------------------------------------


def test_16th_birthday_on_start_date_is_valid_the_day_after_refused():
    assert check(minor(beneficiary_birth_date=date(2010, 3, 9))) == []
    assert errors(minor(beneficiary_birth_date=date(2010, 3, 10))) == {
        ("beneficiary.birth_date", "beneficiary_too_young")
    }


def test_18th_birthday_on_start_date_is_an_adult():
    nine_hours = on_days({START: ["08:00-12:00", "13:00-18:00"]})
    adult = convention(beneficiary_birth_date=date(2008, 3, 9), schedule=nine_hours)
    assert check(adult) == []
    still_minor = replace(adult, beneficiary_birth_date=date(2008, 3, 10))
    assert errors(still_minor) == {
        ("legal_representative", "legal_representative_required"),
        ("schedule.2026-03-09", "day_too_long"),
        ("schedule.2026-03-09", "minor_continuous_too_long"),
    }


def test_birthday_on_29_february():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18
    assert age_on(date(2008, 2, 29), date(2028, 2, 29)) == 20


def test_minor_needs_a_legal_representative():
    data = minor(has_legal_representative=False, signatories=convention().signatories)
    assert errors(data) == {("legal_representative", "legal_representative_required")}


def test_minor_legal_representative_needs_an_email():
    data = minor(
        signatories=Signatories(beneficiary="a@example.org", host_representative="b@example.org")
    )
    assert errors(data) == {("signatories.legal_representative.email", "email_required")}


def test_minor_8_hours_a_day_valid_8_15_refused():
    assert check(minor(schedule=on_days({START: ["08:00-12:00", "13:00-17:00"]}))) == []
    data = minor(schedule=on_days({START: ["08:00-12:00", "13:00-17:15"]}))
    assert errors(data) == {("schedule.2026-03-09", "day_too_long")}


def test_minor_35_hours_a_week_valid_35_15_refused():
    mapping = {START + timedelta(days=i): ["08:00-12:00", "13:00-16:00"] for i in range(5)}
    assert check(minor(schedule=on_days(mapping))) == []
    mapping[START] = ["08:00-12:00", "13:00-16:15"]
    assert errors(minor(schedule=on_days(mapping))) == {
        ("schedule.weeks.2026-W11", "week_too_long")
    }


def test_minor_4_30_continuous_valid_4_31_refused():
    assert check(minor(schedule=on_days({START: ["08:00-12:30"]}))) == []
    assert errors(minor(schedule=on_days({START: ["08:00-12:31"]}))) == {
        ("schedule.2026-03-09", "minor_continuous_too_long")
    }
    touching = minor(schedule=on_days({START: ["08:00-10:00", "10:00-12:31"]}))
    assert errors(touching) == {("schedule.2026-03-09", "minor_continuous_too_long")}
    with_break = minor(schedule=on_days({START: ["08:00-12:30", "13:00-16:30"]}))
    assert check(with_break) == []


@pytest.mark.parametrize(
    ("pair", "valid"),
    [
        ("06:00-10:00", True),
        ("05:59-10:00", False),
        ("18:00-22:00", True),
        ("18:00-22:01", False),
        ("00:00-01:00", False),
        ("22:00-23:00", False),
    ],
)
def test_minor_no_presence_between_22_and_6(pair, valid):
    data = minor(schedule=on_days({START: [pair]}))
    assert errors(data) == (set() if valid else {("schedule.2026-03-09", "minor_night")})


def test_night_is_allowed_for_adults():
    assert check(convention(schedule=on_days({START: ["22:00-23:59"]}))) == []


def test_minor_12_hours_rest_valid_11_59_refused():
    def two_days(second_start):
        return minor(
            schedule=on_days(
                {START: ["16:00-20:00"], START + timedelta(1): [f"{second_start}-12:00"]}
            )
        )

    assert check(two_days("08:00")) == []
    assert errors(two_days("07:59")) == {("schedule.2026-03-10", "rest_too_short")}


def test_minor_public_holiday_is_an_error():
    data = minor(
        submitted_on=date(2026, 4, 20),
        date_start=date(2026, 4, 27),
        date_end=date(2026, 4, 30),
        schedule=on_days({date(2026, 4, 27): ["09:00-12:00"]}),
    )
    assert check(data) == []
    holiday = replace(
        data, date_end=date(2026, 5, 1), schedule=on_days({date(2026, 5, 1): ["09:00-12:00"]})
    )
    assert errors(holiday) == {("schedule.2026-05-01", "minor_public_holiday")}
    assert warnings(holiday) == set()


def test_minor_two_consecutive_rest_days_a_week():
    # Week 11: Monday, Tuesday, Thursday, Friday, Saturday; the Monday after is worked too:
    # Wednesday and Sunday are not consecutive.
    days = [START + timedelta(days=i) for i in (0, 1, 3, 4, 5, 7)]
    data = minor(schedule=on_days({day: ["09:00-12:00"] for day in days}))
    assert errors(data) == {("schedule.weeks.2026-W11", "minor_weekly_rest")}
    assert check(replace(data, beneficiary_birth_date=date(1990, 1, 1))) == []


def _minor_on(first: date, last: date, weekdays_: set[int]):
    days, day = [], first
    while day <= last:
        if day.weekday() in weekdays_:
            days.append(day)
        day += timedelta(days=1)
    return minor(
        date_start=first,
        date_end=last,
        schedule=on_days({d: ["09:00-12:00", "13:00-16:00"] for d in days}),
    )


def test_minor_rest_may_straddle_two_weeks_sunday_and_monday():
    # Tuesday to Saturday every week, Sunday and Monday off: lawful.
    tuesday_to_saturday = _minor_on(date(2026, 3, 10), date(2026, 4, 4), {1, 2, 3, 4, 5})
    assert check(tuesday_to_saturday) == []
    # The pair Sunday–Monday is made of days outside the period at both ends too.
    assert check(_minor_on(date(2026, 3, 3), date(2026, 3, 7), {1, 2, 3, 4, 5})) == []


def test_minor_rest_day_serves_one_week_only():
    # Week 11: Monday to Saturday (rest on Sunday 15/03); week 12: Tuesday to Sunday (rest on
    # Monday 16/03). The single pair Sunday–Monday cannot be both weeks' two days of rest.
    days = [date(2026, 3, 9) + timedelta(days=i) for i in range(6)]
    days += [date(2026, 3, 17) + timedelta(days=i) for i in range(6)]
    data = minor(
        date_end=date(2026, 3, 22),
        schedule=on_days({d: ["09:00-12:00"] for d in days}),
    )
    assert errors(data) == {("schedule.weeks.2026-W12", "minor_weekly_rest")}
    adult = replace(data, beneficiary_birth_date=date(1990, 1, 1))
    assert check(adult) == []


def test_minor_saturday_sunday_then_sunday_monday():
    # Week 11 rests on Saturday–Sunday, week 12 on Sunday 22–Monday 23 (outside the period).
    days = [date(2026, 3, 9) + timedelta(days=i) for i in range(5)]  # Mon–Fri
    days += [date(2026, 3, 16) + timedelta(days=i) for i in range(6)]  # Mon–Sat
    data = minor(date_end=date(2026, 3, 21), schedule=on_days({d: ["09:00-12:00"] for d in days}))
    assert check(data) == []


def test_birth_date_in_the_future_or_implausible():
    assert errors(convention(beneficiary_birth_date=SUBMITTED + timedelta(1))) == {
        ("beneficiary.birth_date", "birth_date_in_future")
    }
    assert errors(convention(beneficiary_birth_date=date(1905, 3, 9))) == {  # 121
        ("beneficiary.birth_date", "birth_date_implausible")
    }
    assert check(convention(beneficiary_birth_date=date(1905, 3, 10))) == []  # 120


# --- signatories ----------------------------------------------------------------------


def test_signatories_emails_distinct_case_insensitive():
    data = convention(
        signatories=Signatories(
            beneficiary="camille@example.org", host_representative="  Camille@EXAMPLE.org "
        )
    )
    assert errors(data) == {("signatories.host_representative.email", "email_not_distinct")}


def test_all_four_signatories():
    signatories = Signatories(
        beneficiary="a@example.org",
        host_representative="b@example.org",
        legal_representative="c@example.org",
        current_employer="d@example.org",
    )
    data = minor(signatories=signatories, is_employee=True)
    assert check(data) == []
    clash = replace(signatories, current_employer="C@example.org")
    assert errors(replace(data, signatories=clash)) == {
        ("signatories.current_employer.email", "email_not_distinct")
    }


def test_employee_needs_the_current_employer_email():
    assert errors(convention(is_employee=True)) == {
        ("signatories.current_employer.email", "email_required")
    }
    contract = InsertionContract(ContractKind.SIAE, date(2026, 1, 1), date(2026, 12, 31))
    assert errors(convention(insertion_contract=contract)) == {
        ("signatories.current_employer.email", "email_required")
    }


def test_missing_beneficiary_email():
    data = convention(signatories=Signatories(beneficiary=" ", host_representative="b@example.org"))
    assert errors(data) == {("signatories.beneficiary.email", "email_required")}


def test_tutor_is_not_the_beneficiary_but_may_be_the_host_representative():
    assert errors(convention(tutor_email="CAMILLE@example.org")) == {
        ("tutor.email", "tutor_is_beneficiary")
    }
    assert check(convention(tutor_email="direction@example.com")) == []
    assert errors(convention(tutor_email="")) == {("tutor.email", "email_required")}


# --- renewal --------------------------------------------------------------------------

OBJECTIVES = convention().objectives


def _renewal(**changes):
    info = RenewalInfo(
        parent_is_renewal=False,
        parent_object=ImmersionObject.DISCOVER,
        parent_objectives=OBJECTIVES,
        parent_objectives_not_met=True,
    )
    return convention(renewal=replace(info, **changes))


def test_valid_renewal():
    assert check(_renewal()) == []
    reordered = tuple("  " + o.upper() for o in reversed(OBJECTIVES))
    assert check(_renewal(parent_objectives=reordered)) == []


def test_renewal_of_a_renewal_is_refused():
    assert errors(_renewal(parent_is_renewal=True)) == {("renewal", "renewal_of_renewal")}


def test_an_original_already_renewed_cannot_be_renewed_again():
    assert errors(_renewal(parent_already_renewed=True)) == {("renewal", "already_renewed")}
    # A renewal of a renewal reports the renewal of a renewal, once.
    assert errors(_renewal(parent_is_renewal=True, parent_already_renewed=True)) == {
        ("renewal", "renewal_of_renewal")
    }


def test_renewal_only_when_objectives_not_met():
    assert errors(_renewal(parent_objectives_not_met=False)) == {
        ("renewal", "renewal_objectives_met")
    }
    assert errors(_renewal(parent_objectives_not_met=None)) == {
        ("renewal", "renewal_assessment_missing")
    }


def test_renewal_keeps_object_and_objectives():
    assert errors(_renewal(parent_object=ImmersionObject.CONFIRM)) == {
        ("object", "renewal_object_changed")
    }
    assert errors(_renewal(parent_objectives=("Autre chose",))) == {
        ("objectives", "renewal_objectives_changed")
    }


def test_renewal_has_the_same_duration_limits():
    data = replace(_renewal(), date_end=one_month_end(START) + timedelta(1))
    assert ("date_end", "period_too_long") in errors(data)


# --- same beneficiary, same host, 12 months ------------------------------------------


def _past(
    start, end, days=10, objectives="Autre objectif", renewal=False, obj=ImmersionObject.DISCOVER
):
    if isinstance(objectives, str):
        objectives = (objectives,)
    return PastConvention(start, end, days, obj, objectives, renewal)


def test_window_is_the_12_months_ending_on_the_last_day():
    assert rules.window_ending(convention().date_end) == (date(2025, 3, 21), END)
    leap = convention(date_end=date(2028, 2, 29))
    assert rules.window_ending(leap.date_end) == (date(2027, 3, 1), date(2028, 2, 29))


def test_two_conventions_in_12_months_valid_three_refused():
    one = _past(date(2025, 9, 1), date(2025, 9, 10))
    two = _past(date(2025, 10, 1), date(2025, 10, 10), objectives="Encore un autre")
    assert check(convention(previous_conventions=(one,))) == []
    assert errors(convention(previous_conventions=(one, two))) == {
        ("date_start", "too_many_conventions_12_months")
    }


def test_window_edges():
    # The 12 months ending on the first day (09/03/2026) start on 10/03/2025.
    inside = _past(date(2025, 3, 1), date(2025, 3, 10))  # ends on that window's first day
    outside = _past(date(2025, 3, 1), date(2025, 3, 9))
    other = _past(date(2025, 9, 1), date(2025, 9, 10), objectives="Encore un autre")
    refused = convention(previous_conventions=(inside, other))
    assert errors(refused) == {("date_start", "too_many_conventions_12_months")}
    [violation] = check(refused)
    assert "entre le 10/03/2025 et le 09/03/2026" in violation.message
    assert check(convention(previous_conventions=(outside, other))) == []


def test_every_12_month_period_overlapping_the_convention_is_checked():
    # Issue 8 item 13: ended 11 months and 3 weeks before this one starts, so out of the
    # 12 months ending on its last day (21/03/2025–20/03/2026), but with it in the 12 months
    # from 15/03/2025 to 14/03/2026.
    old = _past(date(2025, 3, 1), date(2025, 3, 15))
    other = _past(date(2025, 9, 1), date(2025, 9, 10), objectives="Encore un autre")
    assert errors(convention(previous_conventions=(old, other))) == {
        ("date_start", "too_many_conventions_12_months")
    }
    same = _past(date(2025, 3, 1), date(2025, 3, 15), objectives=OBJECTIVES)
    assert errors(convention(previous_conventions=(same,))) == {
        ("objectives", "same_object_and_objectives")
    }
    heavy = _past(date(2025, 2, 20), date(2025, 3, 15), days=51)  # 51 + 10 = 61
    assert errors(convention(previous_conventions=(heavy,))) == {
        ("schedule", "too_many_days_12_months")
    }
    assert check(convention(previous_conventions=(replace(heavy, presence_days=50),))) == []


def test_a_later_convention_counts_in_the_periods_after_this_one():
    # Conventions already submitted for later dates count too: the 12 months ending on the
    # later one's first day hold this one and both others.
    before = _past(date(2025, 9, 1), date(2025, 9, 10))
    after = _past(date(2026, 9, 1), date(2026, 9, 10), objectives="Encore un autre")
    assert errors(convention(previous_conventions=(before, after))) == {
        ("date_start", "too_many_conventions_12_months")
    }
    far = _past(date(2027, 3, 21), date(2027, 3, 30), objectives="Encore un autre")
    assert check(convention(previous_conventions=(before, far))) == []


def test_two_past_conventions_more_than_12_months_apart_with_this_one_between():
    # 15/03/2025 and 01/03/2027 are 23 months apart: no 12 months hold all three.
    first = _past(date(2025, 3, 1), date(2025, 3, 15))
    last = _past(date(2027, 3, 1), date(2027, 3, 10), objectives="Encore un autre")
    assert check(convention(previous_conventions=(first, last))) == []


def test_renewals_do_not_count_as_conventions_but_their_days_do():
    first = _past(date(2025, 9, 1), date(2025, 9, 10))
    renewal = _past(date(2025, 9, 11), date(2025, 9, 20), renewal=True)
    assert check(convention(previous_conventions=(first, renewal))) == []
    this_renewal = replace(
        _renewal(),
        previous_conventions=(first, _past(date(2025, 10, 1), date(2025, 10, 5), objectives="x")),
    )
    assert "too_many_conventions_12_months" not in codes(this_renewal)


def test_same_object_and_objectives_refused():
    same = _past(
        date(2025, 9, 1), date(2025, 9, 10), objectives=tuple(o.upper() for o in OBJECTIVES)
    )
    assert errors(convention(previous_conventions=(same,))) == {
        ("objectives", "same_object_and_objectives")
    }
    other_object = replace(same, object=ImmersionObject.RECRUIT)
    assert check(convention(previous_conventions=(other_object,))) == []


def test_60_presence_days_in_12_months_valid_61_refused():
    # This convention: 10 presence days.
    first = _past(date(2025, 9, 1), date(2025, 9, 30), days=30)
    renewal = _past(date(2025, 10, 1), date(2025, 10, 30), days=20, renewal=True)
    assert check(convention(previous_conventions=(first, renewal))) == []
    more = replace(renewal, presence_days=21)
    assert errors(convention(previous_conventions=(first, more))) == {
        ("schedule", "too_many_days_12_months")
    }


def test_past_convention_ending_before_it_starts_is_reported():
    reversed_ = _past(date(2025, 9, 10), date(2025, 9, 1))
    assert errors(convention(previous_conventions=(reversed_,))) == {
        ("previous_conventions", "past_convention_dates_invalid")
    }


# --- CUI / SIAE -----------------------------------------------------------------------

# This convention lasts 12 calendar days (9–20 March 2026).


def _contract(end, other=()):
    return convention(
        is_employee=True,
        signatories=Signatories(
            beneficiary="a@example.org",
            host_representative="b@example.org",
            current_employer="c@example.org",
        ),
        insertion_contract=InsertionContract(ContractKind.CUI, date(2026, 3, 1), end),
        other_immersions=other,
    )


def test_25_percent_of_the_contract_exactly_is_valid():
    assert check(_contract(date(2026, 4, 17))) == []  # 48 days, 12 = 25 %
    assert errors(_contract(date(2026, 4, 16))) == {
        ("insertion_contract", "insertion_contract_share_exceeded")
    }


def test_25_percent_counts_the_other_immersions():
    other = (Period(date(2026, 6, 1), date(2026, 6, 13)),)  # 13 days; 25 days in all
    assert check(_contract(date(2026, 6, 8), other)) == []  # 100 days
    assert "insertion_contract_share_exceeded" in codes(_contract(date(2026, 6, 7), other))


def test_siae_contract_and_invalid_contract_dates():
    data = _contract(date(2026, 4, 16))
    siae = replace(
        data, insertion_contract=replace(data.insertion_contract, kind=ContractKind.SIAE)
    )
    assert "SIAE" in check(siae)[0].message
    backwards = replace(
        data,
        insertion_contract=InsertionContract(ContractKind.CUI, date(2026, 5, 1), date(2026, 4, 1)),
    )
    assert errors(backwards) == {("insertion_contract", "contract_dates_invalid")}


def test_other_immersion_with_reversed_dates_is_reported_not_counted_as_zero():
    contract = InsertionContract(ContractKind.CUI, date(2026, 1, 1), date(2026, 12, 31))
    data = convention(
        insertion_contract=contract,
        is_employee=True,
        signatories=Signatories(
            beneficiary="camille@example.org",
            host_representative="direction@example.com",
            current_employer="rh@example.net",
        ),
        other_immersions=(Period(date(2026, 2, 20), date(2026, 2, 1)),),
    )
    assert errors(data) == {("other_immersions", "other_immersion_dates_invalid")}


# --- duplicates -----------------------------------------------------------------------


def test_overlapping_duplicate_is_a_warning():
    touching = PotentialDuplicate("IMM-42", date(2026, 3, 1), START)
    data = convention(potential_duplicates=(touching,))
    assert warnings(data) == {("date_start", "possible_duplicate")}
    assert is_valid(check(data))
    assert "IMM-42" in check(data)[0].message
    before = PotentialDuplicate("IMM-41", date(2026, 3, 1), START - timedelta(1))
    assert check(convention(potential_duplicates=(before,))) == []


# --- versions -------------------------------------------------------------------------


def test_rule_set_chosen_by_submission_date(monkeypatch):
    first = rules.RULE_SETS[0]
    stricter = RuleSet(
        "2027-01", date(2027, 1, 1), Limits(adult_max_day_minutes=7 * 60), first.checks
    )
    monkeypatch.setattr(rules, "RULE_SETS", (first, stricter))
    assert rule_set_for(date(2026, 12, 31)) is first
    assert rule_set_for(date(2027, 1, 1)) is stricter
    assert rule_set_for(date(2000, 1, 1)) is first
    eight_hours = on_days({date(2027, 1, 4): ["08:00-12:00", "13:00-17:00"]})
    old = convention(
        submitted_on=date(2026, 12, 31),
        date_start=date(2027, 1, 4),
        date_end=date(2027, 1, 4),
        schedule=eight_hours,
    )
    assert check(old) == []
    assert codes(replace(old, submitted_on=date(2027, 1, 1))) == {"day_too_long"}


# --- properties -----------------------------------------------------------------------

emails = st.sampled_from(["a@example.org", "A@example.org", "b@example.org", "", " c@x.fr"])
# Mostly realistic dates, and the extremes (computing holidays for every year is slow).
days_around = st.dates(date(2025, 1, 1), date(2027, 12, 31)) | st.sampled_from(
    [date.min, date(1, 1, 7), date(1000, 1, 1), date(9999, 12, 25), date.max]
)
any_time = st.times()
slot_strategy = st.tuples(any_time, any_time)
schedules = st.lists(
    st.builds(DaySlots, days_around, st.lists(slot_strategy, max_size=3).map(tuple)), max_size=8
).map(lambda days: Schedule(tuple(days)))
objects = st.sampled_from(list(ImmersionObject))
text = st.text(max_size=30)
objective_lists = st.lists(st.text(max_size=30), max_size=6).map(tuple)

conventions = st.builds(
    rules.ConventionData,
    submitted_on=days_around,
    date_start=days_around,
    date_end=days_around,
    beneficiary_birth_date=st.dates(date(1880, 1, 1), date(2030, 1, 1)),
    object=objects,
    objectives=objective_lists,
    schedule=schedules,
    signatories=st.builds(Signatories, emails, emails, st.none() | emails, st.none() | emails),
    tutor_email=emails,
    is_employee=st.booleans(),
    insertion_contract=st.none()
    | st.builds(InsertionContract, st.sampled_from(list(ContractKind)), days_around, days_around),
    has_legal_representative=st.booleans(),
    renewal=st.none()
    | st.builds(
        RenewalInfo,
        st.booleans(),
        objects,
        objective_lists,
        st.none() | st.booleans(),
        st.booleans(),
    ),
    previous_conventions=st.lists(
        st.builds(
            PastConvention,
            days_around,
            days_around,
            st.integers(0, 40),
            objects,
            objective_lists,
            st.booleans(),
        ),
        max_size=3,
    ).map(tuple),
    other_immersions=st.lists(st.builds(Period, days_around, days_around), max_size=3).map(tuple),
    potential_duplicates=st.lists(
        st.builds(PotentialDuplicate, st.just("IMM-1"), days_around, days_around), max_size=2
    ).map(tuple),
)


@given(conventions)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@example(
    replace(
        convention(),
        submitted_on=date.min,
        date_start=date.min,
        date_end=date.max,
        schedule=on_days({date.max: ["09:00-10:00"], date.min: ["09:00-10:00"]}),
    )
)
def test_check_never_raises_and_violations_are_well_formed(data):
    for violation in check(data):
        assert isinstance(violation, Violation)
        assert violation.severity in {"error", "warning"}
        assert is_known_field(violation.field), violation.field
        assert violation.code and violation.code.isascii()
        assert isinstance(violation.message, str) and len(violation.message) > 20
        assert violation.message[0].isupper() and violation.message.endswith(".")
        assert "{" not in violation.message and "None" not in violation.message


PERIOD_DAYS = [START + timedelta(days=i) for i in range(12)]


@st.composite
def valid_schedules(draw):
    """Mostly valid adult schedules within 9–20 March 2026 (invalid ones are discarded)."""
    mapping = {}
    for day in draw(st.lists(st.sampled_from(PERIOD_DAYS), min_size=1, max_size=12, unique=True)):
        day_slots = []
        if draw(st.booleans()):
            start = draw(st.integers(7 * 60, 11 * 60))
            end = draw(st.integers(start + 1, 12 * 60))
            day_slots.append((start, end))
        if draw(st.booleans()) or not day_slots:
            start = draw(st.integers(13 * 60, 18 * 60))
            end = draw(st.integers(start + 1, 20 * 60))
            day_slots.append((start, end))
        mapping[day] = [(time(a // 60, a % 60), time(b // 60, b % 60)) for a, b in day_slots]
    return Schedule.of(mapping)


def _shorten(schedule, index, how, cut):
    flat = [(d.day, i) for d in schedule.days for i in range(len(d.slots))]
    day, slot_index = flat[index % len(flat)]
    mapping = {d.day: list(d.slots) for d in schedule.days}
    start, end = mapping[day][slot_index]
    if how == "remove":
        del mapping[day][slot_index]
    else:
        a, b = start.hour * 60 + start.minute, end.hour * 60 + end.minute
        length = b - a
        keep = max(1, length - cut % length) if length > 1 else 1
        if how == "shrink_end":
            b = a + keep
        else:
            a = b - keep
        mapping[day][slot_index] = (time(a // 60, a % 60), time(b // 60, b % 60))
    return Schedule.of(mapping)


@given(
    valid_schedules(),
    st.integers(0, 100),
    st.sampled_from(["remove", "shrink_end", "shrink_start"]),
    st.integers(0, 600),
    st.booleans(),
)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_shortening_a_valid_schedule_keeps_it_valid(schedule, index, how, cut, is_minor):
    data = minor(schedule=schedule) if is_minor else convention(schedule=schedule)
    assume(is_valid(check(data)))
    total_slots = sum(len(d.slots) for d in schedule.days)
    assume(how != "remove" or total_slots > 1)
    shorter = replace(data, schedule=_shorten(schedule, index, how, cut))
    assert is_valid(check(shorter))


@given(st.dates(max_value=date(9999, 11, 30)))
def test_one_month_end_is_within_28_to_31_days(start):
    last = one_month_end(start)
    assert 27 <= (last - start).days <= 30
    assert last.month != start.month or start.day == 1


def test_one_month_end_at_the_end_of_the_calendar():
    assert one_month_end(date(9999, 12, 5)) == date.max


# --- properties of the 12-month periods and of minors' weekly rest (issue 8) -----------

HISTORY_CODES = {
    "too_many_conventions_12_months",
    "same_object_and_objectives",
    "too_many_days_12_months",
}


@st.composite
def past_conventions(draw):
    start = draw(st.dates(date(2024, 1, 1), date(2027, 6, 30)))
    end = start + timedelta(days=draw(st.integers(0, 30)))
    return PastConvention(
        start,
        end,
        draw(st.integers(0, 30)),
        draw(objects),
        draw(st.sampled_from([OBJECTIVES, ("Autre objectif",), ("AUTRE objectif.",), ("x",)])),
        draw(st.booleans()),
    )


histories = st.lists(past_conventions(), max_size=5).map(tuple)


def _single_window_codes(data) -> set[str]:
    """What the former rule refused: only the 12 months ending on the last day."""
    first, last = rules.months_before(data.date_end, 12) + timedelta(days=1), data.date_end
    held = [c for c in data.previous_conventions if c.date_start <= last and first <= c.date_end]
    originals = [c for c in held if not c.is_renewal]
    found = set()
    if len(originals) + (0 if data.is_renewal else 1) > 2:
        found.add("too_many_conventions_12_months")
    this = (data.object, rules.objectives_set(data.objectives))
    if not data.is_renewal and any(
        (c.object, rules.objectives_set(c.objectives)) == this for c in originals
    ):
        found.add("same_object_and_objectives")
    if sum(c.presence_days for c in held) + presence_days_of(data) > 60:
        found.add("too_many_days_12_months")
    return found


def presence_days_of(data) -> int:
    return len({d.day for d in data.schedule.days if d.slots})


@given(histories, st.booleans())
@settings(max_examples=200)
def test_sliding_periods_refuse_everything_the_single_period_refused(history, renewal):
    data = _renewal() if renewal else convention()
    data = replace(data, previous_conventions=history)
    assert _single_window_codes(data) <= codes(data) & HISTORY_CODES


@given(histories, st.randoms(use_true_random=False))
@settings(max_examples=150)
def test_history_order_does_not_change_the_result(history, random):
    shuffled = list(history)
    random.shuffle(shuffled)
    data = convention(previous_conventions=history)
    assert check(data) == check(replace(data, previous_conventions=tuple(shuffled)))


def _rest_within_each_week(data) -> bool:
    """The former reading: two free consecutive days inside each calendar week."""
    present = {d.day for d in data.schedule.days if d.slots}
    for monday in {d - timedelta(days=d.weekday()) for d in present}:
        days = [monday + timedelta(days=i) for i in range(7)]
        if not any(a not in present and b not in present for a, b in itertools.pairwise(days)):
            return False
    return True


THREE_WEEKS = [date(2026, 3, 9) + timedelta(days=i) for i in range(21)]


@given(st.lists(st.sampled_from(THREE_WEEKS), min_size=1, unique=True))
@settings(max_examples=200)
def test_minor_rest_accepts_what_the_week_only_reading_accepted(days):
    data = minor(
        date_start=THREE_WEEKS[0],
        date_end=THREE_WEEKS[-1],
        schedule=on_days({d: ["09:00-12:00"] for d in days}),
    )
    if _rest_within_each_week(data):
        assert "minor_weekly_rest" not in codes(data)
