"""python manage.py chase_late_returns [--dry-run] [--date YYYY-MM-DD]

The daily chase of quarterly returns, run here and now without Celery: prints
which chairs and coordinators get which returns, and the secretariat's weekly
list. With --dry-run it claims nothing and sends nothing; without, it claims the
lines in the reminder log and sends each digest in this process, exactly as the
Celery task would.
"""

from reminders.commands import ChaseCommand, plural
from reviews import chasing


class Command(ChaseCommand):
    help = (
        "Remind areas' chairs and coordinators of returns due in 7 days, due today or late, and send the "
        "secretariat its weekly list of late returns (--dry-run: only print it)."
    )

    def chase(self, today, *, dry_run):
        return chasing.chase_late_returns(today, dry_run=dry_run)

    def print_plan(self, result):
        self.print_heading(result, "Chase of quarterly returns")
        self.print_digests(result, chasing.RETURN_KINDS, "return", self.describe)
        if result.unreachable:
            self.stdout.write(
                f"\nNobody to remind for {plural(len(result.unreachable), 'return')} (the area's SOG "
                "has no current chair or coordinator):"
            )
            for cell in result.unreachable:
                self.stdout.write(f"  - {cell.area.name}, {cell.period.label}")
        self.stdout.write("")

    def describe(self, result, line):
        cell = result.returns[(line.reporting_period_id, line.area_id)]
        via = f" [{line.via}]" if line.via else ""
        return (
            f"{cell.area.name}, {cell.period.label} return, due {cell.period.due_on:%-d %b %Y} "
            f"({chasing.when(cell.period.due_on, result.today)}): {cell.status_label}{via}"
        )
