"""`python manage.py seed_demo`: load the demo programme (once) and print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mentorship import demo
from mentorship.models import Programme


class Command(BaseCommand):
    help = (
        "Build the demo programme (about 40 mentors, 120 mentees and six months of history) "
        "unless it exists, then print the demo logins as `login: ROLE USERNAME PASSWORD`."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only seed when the database holds no programme at all.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.demo_exists():
            self.stdout.write("The demo programme is already loaded.")
        elif options["if_empty"] and Programme.objects.exists():
            self.stdout.write("The database already holds programmes; not adding the demo.")
            return
        else:
            self.stdout.write("Building the demo programme (takes a few seconds)…")
            programme = demo.build_demo(seed=options["seed"])
            counts = {
                "members": programme.memberships.count(),
                "mentorships": programme.mentorships.count(),
                "proposals": programme.proposals.count(),
            }
            self.stdout.write(
                f"Loaded {programme.name}: "
                + ", ".join(f"{n} {what}" for what, n in counts.items())
                + f"; join code {programme.join_code}."
            )
        for login in demo.LOGINS:
            self.stdout.write(f"login: {login.role} {login.username} {login.password}")
