from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "shangliang.meetings"
    label = "meetings"
    verbose_name = _("会议与考勤")

    def ready(self) -> None:
        from shangliang.core.pubsub import register_channel
        from shangliang.meetings import permissions, workflow  # noqa: F401  (registers them)

        register_channel("meeting", permissions.can_listen)
