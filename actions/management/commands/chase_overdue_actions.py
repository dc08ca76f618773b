"""python manage.py chase_overdue_actions [--dry-run] [--date YYYY-MM-DD]

The daily chase, run here and now without Celery: prints who gets which actions.
With --dry-run it claims nothing and sends nothing; without, it claims the lines
in the reminder log and sends each digest in this process, exactly as the
Celery task would (a digest already sent is never sent again).
"""

from actions import chasing
from reminders.commands import ChaseCommand


class Command(ChaseCommand):
    help = "Chase overdue and soon-due actions now: e-mail each owner one digest (--dry-run: only print it)."

    def chase(self, today, *, dry_run):
        return chasing.chase_overdue_actions(today, dry_run=dry_run)

    def print_plan(self, result):
        self.print_heading(result, "Chase of overdue actions")
        self.print_digests(result, chasing.CHASE_KINDS, "action", self.describe)
        if result.unreachable:
            self.stdout.write(
                f"\nNobody to remind for {len(result.unreachable)} action"
                f"{'s' if len(result.unreachable) != 1 else ''} (an owning organisation has no named "
                "contacts, or an owning group no current members):"
            )
            for pk in result.unreachable:
                row = result.actions[pk]
                self.stdout.write(f"  - {chasing.action_citation(row['meeting__date'], row['number'])}")
        self.stdout.write("")

    def describe(self, result, line):
        row = result.actions[line.action_id]
        days = (result.today - row["due_date"]).days
        when = (
            f"{days} day{'s' if days != 1 else ''} overdue"
            if days > 0
            else "due today"
            if days == 0
            else f"due in {-days} day{'s' if days != -1 else ''}"
        )
        via = f" [{line.via}]" if line.via and line.via != "owner" else ""
        return (
            f"{chasing.action_citation(row['meeting__date'], row['number'])}, due {row['due_date']:%-d %b %Y} "
            f"({when}){via}: {row['text'][:70]}{'…' if len(row['text']) > 70 else ''}"
        )
