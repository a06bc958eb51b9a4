from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "shangliang.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self) -> None:
        from shangliang.api import jobs  # noqa: F401  (registers periodic jobs)
