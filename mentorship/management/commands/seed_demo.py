"""`python manage.py seed_demo`: load the demo programme (once) and print its logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mentorship import demo
from mentorship.models import Programme

PUBLIC_FLAG = "--i-know-this-is-public"
REFUSAL = (
    "Refusing to load the demo with DEBUG off: it creates a superuser and 160 people with a "
    "published password, and a programme with a published join code. For local development run "
    "it with DEBUG=1; to show the demo on a public server, pass "
    f"{PUBLIC_FLAG}: every password and the join code are then random, printed once."
)


class Command(BaseCommand):
    help = (
        "Build the demo programme (about 40 mentors, 120 mentees and six months of history) "
        "unless it exists, then print the demo logins as `login: ROLE USERNAME PASSWORD`. "
        f"With DEBUG off it refuses unless given {PUBLIC_FLAG}, and then makes every password "
        "and the join code random (printed once, never again)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only seed when the database holds no programme at all.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            PUBLIC_FLAG,
            dest="public",
            action="store_true",
            help="Allow the demo with DEBUG off, with random passwords and join code.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        public = not settings.DEBUG
        if public and not options["public"]:
            raise CommandError(REFUSAL)
        if demo.demo_exists():
            self.stdout.write("The demo programme is already loaded.")
            if public:
                self.stdout.write("Its logins were printed when it was loaded; they are not kept.")
                return
        elif options["if_empty"] and Programme.objects.exists():
            self.stdout.write("The database already holds programmes; not adding the demo.")
            return
        else:
            self.stdout.write("Building the demo programme (takes a few seconds)…")
            programme = demo.build_demo(seed=options["seed"])
            logins = demo.make_private(programme) if public else list(demo.LOGINS)
            programme.refresh_from_db()
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
            if public:
                self.stdout.write(
                    "Random passwords, shown this once (everyone else's password is unusable):"
                )
            self._print(logins)
            return
        self._print(list(demo.LOGINS))

    def _print(self, logins: list[demo.DemoLogin]) -> None:
        for login in logins:
            self.stdout.write(f"login: {login.role} {login.username} {login.password}")
