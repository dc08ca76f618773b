"""python manage.py seed_scale [--scale 0.01]: build the national-scale dataset beside the demo world."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo import scale


def _fraction(value):
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"--scale must be a number, like 0.01 (got {value!r}).") from None
    if not 0 < number <= 1:
        raise CommandError(f"--scale must be more than 0 and at most 1 (got {value}).")
    return number


class Command(BaseCommand):
    help = (
        "Build the national-scale dataset (53 areas, 40 quarters of returns, 60 groups, 5,000 meetings, "
        "200,000 actions, 50 recommendations with 2,000 status updates) for measuring the service at that size. "
        "Synthetic records only. Refuses to run again on a database that already holds it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=_fraction,
            default=1.0,
            help="Fraction of the full size to build, e.g. 0.01 (default 1: full size).",
        )
        parser.add_argument(
            "--seed", type=int, default=2017, help="Random seed (default 2017): the same seed builds the same records."
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            built = scale.build(scale=options["scale"], seed=options["seed"])
        except scale.AlreadyBuilt as refusal:
            raise CommandError(f"{refusal} Nothing was changed. Build it in a fresh database instead.") from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale dataset built (scale {options['scale']:g}) in {seconds:.1f} s: "
                f"{built.areas} areas, {built.periods} quarters, {built.returns:,} returns, {built.bodies} groups, "
                f"{built.people} people, {built.meetings:,} meetings, {built.agenda_items:,} agenda items, "
                f"{built.actions:,} actions ({built.action_owners:,} owners, {built.action_updates:,} updates), "
                f"{built.recommendations} recommendations, "
                f"{built.status_updates:,} status updates."
            )
        )
