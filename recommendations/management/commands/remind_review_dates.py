"""python manage.py remind_review_dates [--dry-run] [--date YYYY-MM-DD]

The daily reminder of passed review dates, run here and now without Celery:
prints who gets which recommendations. With --dry-run it claims nothing and sends
nothing; without, it claims the lines in the reminder log and sends each digest
in this process, exactly as the Celery task would.
"""

from recommendations.services import review_dates
from recommendations.services.review_digests import recommendation_label
from reminders.commands import ChaseCommand, plural


class Command(ChaseCommand):
    help = (
        "Remind policy leads (and the secretariat) of recommendations past their review date with no update "
        "since, once per review date (--dry-run: only print it)."
    )

    def chase(self, today, *, dry_run):
        return review_dates.remind_review_dates(today, dry_run=dry_run)

    def print_plan(self, result):
        self.print_heading(result, "Review dates passed")
        self.print_digests(result, review_dates.REVIEW_KINDS, "recommendation", self.describe)
        if result.no_lead:
            self.stdout.write(
                f"\nNo policy lead named for {plural(len(result.no_lead), 'recommendation')} "
                "(the secretariat's e-mail lists them):"
            )
            for pk in result.no_lead:
                self.stdout.write(f"  - {recommendation_label(result.updates[pk].recommendation)}")
        self.stdout.write("")

    def describe(self, result, line):
        update = result.updates[line.recommendation_id]
        days = (result.today - update.review_date).days
        return (
            f"{recommendation_label(update.recommendation)}: review date "
            f"{update.review_date:%-d %b %Y} ({plural(days, 'day')} ago), last update {update.as_of:%-d %b %Y}"
        )
