from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "shangliang.opinions"
    label = "opinions"
    verbose_name = _("社情民意信息")

    def ready(self) -> None:
        from shangliang.opinions import labels, todo, workflow  # noqa: F401  (registers them)
