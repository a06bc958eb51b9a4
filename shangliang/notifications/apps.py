from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "shangliang.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from shangliang.core.pubsub import register_channel
        from shangliang.notifications import subscribers  # noqa: F401  (registers them)
        from shangliang.notifications.services import can_listen

        register_channel("notifications", can_listen)
