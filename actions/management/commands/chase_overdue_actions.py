"""python manage.py chase_overdue_actions [--dry-run] [--date YYYY-MM-DD]

The daily chase, run here and now without Celery: prints who gets which actions.
With --dry-run it claims nothing and sends nothing; without, it claims the lines
in the reminder log and sends each digest in this process, exactly as the
Celery task would (a digest already sent is never sent again).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions import services
from reminders import services as reminders
from reminders.models import Reminder


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD (got {value!r}).") from None


class Command(BaseCommand):
    help = "Chase overdue and soon-due actions now: e-mail each owner one digest (--dry-run: only print it)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print who would get what; claim and send nothing.")
        parser.add_argument("--date", type=str, default=None, help="Chase as of this date (YYYY-MM-DD); default today.")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        result = services.chase_overdue_actions(today, dry_run=dry_run)
        self.print_plan(result)
        if dry_run:
            self.stdout.write("Dry run: nothing claimed, nothing sent.")
            return
        sent = failed = 0
        for digest_id in result.to_send:
            try:
                if reminders.send_digest(digest_id):
                    sent += 1
            except Exception as exc:  # recorded on the digest's rows; carry on with the others
                failed += 1
                self.stderr.write(f"Digest {digest_id} failed: {exc.__class__.__name__}: {exc}")
        self.stdout.write(f"Sent {sent} e-mail{'s' if sent != 1 else ''}; {failed} failed.")
        if failed:
            raise CommandError(f"{failed} reminder e-mail{'s' if failed != 1 else ''} failed: see /actions/reminders/.")

    def print_plan(self, result):
        verb = "would get" if result.dry_run else "gets"
        heading = f"Chase of overdue actions as of {result.today:%-d %B %Y}"
        self.stdout.write(heading + (" (dry run)" if result.dry_run else ""))
        labels = dict(Reminder.Kind.choices)
        for kind in services.CHASE_KINDS:
            digests = [d for d in result.digests if d.kind == kind]
            people = len(digests)
            self.stdout.write(f"\n{labels[kind]}: {people} e-mail{'s' if people != 1 else ''}, "
                              f"{result.lines(kind)} line{'s' if result.lines(kind) != 1 else ''}")
            for digest in digests:
                name, email = result.people[digest.recipient_id]
                self.stdout.write(f"  {name} <{email}> {verb} {len(digest.lines)} "
                                  f"action{'s' if len(digest.lines) != 1 else ''}:")
                for line in digest.lines:
                    self.stdout.write(f"    - {self.describe(result, line)}")
        if result.unreachable:
            self.stdout.write(f"\nNobody to remind for {len(result.unreachable)} action"
                              f"{'s' if len(result.unreachable) != 1 else ''} (an owning organisation has no named "
                              "contacts, or an owning group no current members):")
            for pk in result.unreachable:
                row = result.actions[pk]
                self.stdout.write(f"  - {services.action_citation(row['meeting__date'], row['number'])}")
        self.stdout.write("")

    def describe(self, result, line):
        row = result.actions[line.action_id]
        days = (result.today - row["due_date"]).days
        when = (f"{days} day{'s' if days != 1 else ''} overdue" if days > 0
                else "due today" if days == 0 else f"due in {-days} day{'s' if days != -1 else ''}")
        via = f" [{line.via}]" if line.via and line.via != "owner" else ""
        return (f"{services.action_citation(row['meeting__date'], row['number'])}, due {row['due_date']:%-d %b %Y} "
                f"({when}){via}: {row['text'][:70]}{'…' if len(row['text']) > 70 else ''}")
