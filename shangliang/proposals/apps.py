from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "shangliang.proposals"
    label = "proposals"
    verbose_name = _("提案")

    def ready(self) -> None:
        from shangliang.proposals import (  # noqa: F401  (registers them)
            excellent_workflow,
            reminders,
            reply_search,
            similarity,
            subscribers,
            todo_excellent,
            todo_member_office,
            todo_unit,
            workflow,
        )
