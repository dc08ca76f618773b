"""python manage.py apply_retention [--dry-run] [--date YYYY-MM-DD]

Applies the retention schedule (retention/schedule.py) here and now, as the monthly Celery job does,
and prints a table: each kind, how long it is kept and from which date, the cut-off date (a record
dated on or before it goes), and how many go. With --dry-run nothing is deleted.
"""

from django.core.management.base import BaseCommand

from reminders.commands import parse_date
from retention import schedule, services


class Command(BaseCommand):
    help = "Delete records kept longer than the retention schedule says (--dry-run: only list what would go)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would go, by kind; delete nothing.")
        parser.add_argument("--date", help="Apply the schedule as on this day (YYYY-MM-DD; default today).")

    def handle(self, *args, dry_run, date, **options):
        today = parse_date(date) if date else None
        result = services.apply_retention(today=today, dry_run=dry_run)
        self.stdout.write(
            f"Retention schedule as of {result.today:%-d %B %Y}"
            + (" (dry run: nothing deleted)" if dry_run else "")
            + "\n"
        )
        rows = [("Kind", "Kept for", "Cut-off", "Would go" if dry_run else "Deleted", "Held", "Kept", "From")]
        for o in result.outcomes:
            rows.append(
                (
                    o.kind.label,
                    o.kind.period,
                    f"{o.cutoff:%-d %b %Y}" if o.kind.years else "now",
                    str(o.going if dry_run else o.deleted),
                    str(o.held),
                    str(sum(o.kept.values())),
                    o.kind.clock,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for number, row in enumerate(rows):
            cells = [cell.rjust(w) if 3 <= i <= 5 else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))]
            self.stdout.write("  ".join(cells).rstrip())
            if number == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        for o in result.outcomes:
            for reason, count in sorted(o.kept.items()):
                self.stdout.write(f"\n{o.kind.label}: {count} could not go, {reason}")
            if not dry_run and o.removed:
                self.stdout.write(
                    f"\n{o.kind.label}: "
                    + ", ".join(f"{label} {count}" for label, count in sorted(o.removed.items()) if count)
                )
        self.stdout.write("\nKept permanently: " + "; ".join(schedule.PERMANENT) + ".")
