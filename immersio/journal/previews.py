"""Examples of the journal's e-mails (see ``immersio.notifications.previews``)."""

from immersio.conventions.previews import example_convention
from immersio.conventions.transitions import Status
from immersio.notifications.previews import example

from . import notifications, rules


@example(notifications.ReflectionReminderNotification)
def reflection_reminder():
    convention = example_convention(Status.VALIDATED)
    return [
        notifications.ReflectionReminderNotification(convention=convention, days_after=days)
        for days in rules.REMINDER_DAYS
    ]
