"""python manage.py seed_demo: load the demo world (idempotent)."""

from django.core.management.base import BaseCommand

from demo import seeders
from demo import world as demo_world


class Command(BaseCommand):
    help = "Create or update the demo world from the 2017 NSG papers. Safe to run again: a second run changes nothing."

    def handle(self, *args, **options):
        # The core world, then each part of the service on top of it (demo/seeders.py).
        world = seeders.seed_everything(demo_world.seed_core())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready: {len(world.areas)} areas, {len(world.bodies)} groups, "
                f"{len(world.organisations)} organisations, {len(world.people)} people, "
                f"{len(world.meetings)} meetings."
            )
        )
        self.stdout.write("\nDemo logins (all share one password):")
        for username, purpose in demo_world.LOGINS:
            self.stdout.write(f"  {username:<15} {purpose}")
        self.stdout.write(f"\n  Password: {demo_world.DEMO_PASSWORD}\n")
