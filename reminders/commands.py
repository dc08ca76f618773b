"""What the chasing commands share (chase_overdue_actions, remind_review_dates, chase_late_returns).

Each takes --dry-run and --date. A dry run prints who would get what and claims
nothing; otherwise the command claims the lines in the reminder log and sends
each digest in this process, as the Celery tasks do (a digest already sent is
never sent again).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders import services
from reminders.models import Reminder


def plural(count, word, words=None):
    """ "1 e-mail", "2 e-mails" """
    return f"{count} {word if count == 1 else (words or word + 's')}"


def parse_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD (got {value!r}).") from None


class ChaseCommand(BaseCommand):
    """A chasing job as a command: subclasses say how to chase (``chase``) and what to print (``print_plan``)."""

    def chase(self, today, *, dry_run):
        """The job's result (a reminders.services.Chase, or anything with ``.to_send``)."""
        raise NotImplementedError

    def print_plan(self, result):
        raise NotImplementedError

    def print_heading(self, result, title):
        """ "Chase of overdue actions as of 1 December 2017 (dry run)" """
        self.stdout.write(f"{title} as of {result.today:%-d %B %Y}" + (" (dry run)" if result.dry_run else ""))

    def print_digests(self, result, kinds, noun, describe):
        """For each kind: how many e-mails and lines; then each person, what they get, a line each (``describe``)."""
        verb = "would get" if result.dry_run else "gets"
        labels = dict(Reminder.Kind.choices)
        for kind in kinds:
            digests = [d for d in result.digests if d.kind == kind]
            self.stdout.write(
                f"\n{labels[kind]}: {plural(len(digests), 'e-mail')}, {plural(result.lines(kind), 'line')}"
            )
            for digest in digests:
                name, email = result.people[digest.recipient_id]
                self.stdout.write(f"  {name} <{email}> {verb} {plural(len(digest.lines), noun)}:")
                for line in digest.lines:
                    self.stdout.write(f"    - {describe(result, line)}")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print who would get what; claim and send nothing.")
        parser.add_argument("--date", type=str, default=None, help="Chase as of this date (YYYY-MM-DD); default today.")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        today = parse_date(options["date"]) if options["date"] else timezone.localdate()
        result = self.chase(today, dry_run=dry_run)
        self.print_plan(result)
        if dry_run:
            self.stdout.write("Dry run: nothing claimed, nothing sent.")
            return
        sent = failed = 0
        for digest_id in result.to_send:
            try:
                if services.send_digest(digest_id):
                    sent += 1
            except Exception as exc:  # recorded on the digest's rows; carry on with the others
                failed += 1
                self.stderr.write(f"Digest {digest_id} failed: {exc.__class__.__name__}: {exc}")
        self.stdout.write(f"Sent {plural(sent, 'e-mail')}; {failed} failed.")
        if failed:
            raise CommandError(f"{plural(failed, 'reminder e-mail')} failed: see /actions/reminders/.")
