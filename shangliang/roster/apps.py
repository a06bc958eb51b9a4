from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "shangliang.roster"
    label = "roster"
    verbose_name = _("委员名册")

    def ready(self) -> None:
        from shangliang.roster import jobs, todo  # noqa: F401  (registers providers and jobs)
