from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shangliang.accounts.models import User
from shangliang.web.demo import DEMO_ACCOUNTS, PASSWORD, DemoRefused, seed_demo


class Command(BaseCommand):
    help = "Seed the demo province on an empty database (refuses when DEBUG is off)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already has data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        from shangliang.orgs.models import Organization

        if not settings.DEBUG:
            raise CommandError("The demo seeder refuses to run with DEBUG off.")
        if options["if_empty"] and Organization.objects.exists():
            self.stdout.write("The database already has data; the demo was not seeded again.")
            if not User.objects.filter(username__in=DEMO_ACCOUNTS).exists():
                return
            accounts = DEMO_ACCOUNTS
        else:
            try:
                accounts = seed_demo()
            except DemoRefused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS("Demo seeded."))
        self.stdout.write(f"Demo accounts (password {PASSWORD}):")
        for username, what in accounts.items():
            self.stdout.write(f"  {username:<18} {what}")
