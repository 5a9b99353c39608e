"""The journal's rules at their boundaries."""

from datetime import date, timedelta

from immersio.journal import rules

START, END = date(2031, 3, 10), date(2031, 3, 14)


def codes(violations):
    return [v.code for v in violations]


def day(value, today=END):
    return codes(rules.entry_day_violations(day=value, date_start=START, date_end=END, today=today))


def test_an_entry_day_is_a_day_of_the_immersion():
    assert day(START) == [] and day(END) == []
    assert day(START - timedelta(days=1)) == ["day_outside_convention"]
    assert day(END + timedelta(days=1)) == ["day_outside_convention"]


def test_an_entry_day_is_not_a_day_still_to_come():
    today = date(2031, 3, 12)
    assert day(today, today=today) == []
    assert day(today + timedelta(days=1), today=today) == ["day_in_future"]


def test_the_outside_message_states_the_dates():
    (violation,) = rules.entry_day_violations(
        day=END + timedelta(days=1), date_start=START, date_end=END, today=END
    )
    assert "10/03/2031" in violation.message and "14/03/2031" in violation.message


def test_a_target_date_is_today_or_later():
    today = date(2031, 3, 12)
    assert rules.target_date_violations(target=today, today=today) == []
    assert codes(rules.target_date_violations(target=today - timedelta(days=1), today=today)) == [
        "target_in_past"
    ]


def test_a_contact_is_kept_only_with_consent():
    assert rules.person_violations(name="Aïcha", contact="", contact_agreed=False) == []
    assert rules.person_violations(name="Aïcha", contact="06 00", contact_agreed=True) == []
    assert codes(rules.person_violations(name="Aïcha", contact="06 00", contact_agreed=False)) == [
        "contact_without_consent"
    ]
    assert codes(rules.person_violations(name=" ", contact="", contact_agreed=False)) == [
        "name_missing"
    ]


def test_lengths_at_the_limit():
    limit = rules.PROMPT_MAX
    assert rules.length_violations("observed", "a" * limit, limit) == []
    (violation,) = rules.length_violations("observed", "a" * (limit + 1), limit)
    assert violation.message.startswith(f"{limit + 1} caractères")


def test_the_carnet_is_open_until_months_after_the_end():
    until = rules.open_until(END)
    assert rules.earliest_open_end(until) == END
    assert rules.earliest_open_end(until + timedelta(days=1)) > END
    today = date(2031, 6, 1)
    assert rules.earliest_open_end(today) == date(2031 - rules.OPEN_MONTHS_AFTER_END // 12, 6, 1)
