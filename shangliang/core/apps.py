from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shangliang.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from shangliang.core import jobs  # noqa: F401  (registers periodic jobs)
