from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "immersio.notifications"
    label = "notifications"
    verbose_name = "Notifications"
