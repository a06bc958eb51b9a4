from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "shangliang.duty"
    label = "duty"
    verbose_name = _("履职档案")

    def ready(self) -> None:
        from shangliang.duty import jobs, permissions, reminders, sources, todo  # noqa: F401
