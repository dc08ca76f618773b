"""python manage.py seed_demo: load the demo world (idempotent)."""

from django.core.management.base import BaseCommand

from demo import world as demo_world
from mappa import registry


class Command(BaseCommand):
    help = "Create or update the demo world from the 2017 NSG papers. Safe to run again: a second run changes nothing."

    def handle(self, *args, **options):
        world = demo_world.seed_core()
        # Each later part of the service adds its demo records on top of the core world
        # (registered from its AppConfig.ready(), in the order of INSTALLED_APPS).
        for seeder in registry.demo_seeders():
            seeder(world)
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
