"""python manage.py seed_demo: load the demo world (idempotent)."""

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from mappa import demo

# Each later part of the service adds its demo records on top of the core world, in this order.
DEMO_SEEDERS = [
    "meetings.demo.seed_meetings",
    "meetings.demo.seed_minutes",
    "meetings.demo.seed_circulation",
    "recommendations.demo.seed_recommendations",
    "reviews.demo.seed_returns",
]


class Command(BaseCommand):
    help = "Create or update the demo world from the 2017 NSG papers. Safe to run again: a second run changes nothing."

    def handle(self, *args, **options):
        world = demo.seed_core()
        for seeder in DEMO_SEEDERS:
            import_string(seeder)(world)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready: {len(world.areas)} areas, {len(world.bodies)} groups, "
                f"{len(world.organisations)} organisations, {len(world.people)} people, "
                f"{len(world.meetings)} meetings."
            )
        )
        self.stdout.write("\nDemo logins (all share one password):")
        for username, purpose in demo.LOGINS:
            self.stdout.write(f"  {username:<15} {purpose}")
        self.stdout.write(f"\n  Password: {demo.DEMO_PASSWORD}\n")
