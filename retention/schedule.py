"""The retention schedule, as data: each kind of record, how long it is kept, and from which date.

A record goes once its period has run from its date: with a period of N years, on or after the day
N years after that date (a paper of a meeting on 8 November 2017, kept 10 years, goes on the first run
on or after 8 November 2027); a record whose clock is a time stamp (a reminder, an e-mail, an audit
line) once it is more than N years old. The periods are whole years, RETENTION_YEARS in the settings
(RETENTION_<KIND>_YEARS overrides one: RETENTION_PAPERS_YEARS=12). What is kept permanently is listed
in PERMANENT, for the README: no kind here reaches it.

retention.services applies it (python manage.py apply_retention, and the monthly beat job); every
model is named by its label and looked up in the app registry, so a kind whose app is not installed
is simply not applied, and nothing here imports a domain app.
"""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from reminders.registry import kinds as reminder_kinds

# Kept for good: never deleted by the schedule (shown in the README and by the command).
PERMANENT = [
    "Meetings, their agendas and attendance",
    "Minutes (agreed, and every saved version)",
    "The thematic inspection action plan: recommendations and their updates",
    "Actions and their updates",
    "Areas, organisations, people, groups and memberships",
]


def years_before(day, years):
    """The same day ``years`` years earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def quarter_end_on_or_before(day):
    """The last day of the latest quarter (financial or calendar: they end on the same days) ending on or
    before ``day``: 30 June, 30 September, 31 December or 31 March."""
    for month, last in ((12, 31), (9, 30), (6, 30), (3, 31)):
        end = date(day.year, month, last)
        if end <= day:
            return end
    return date(day.year - 1, 12, 31)


@dataclass(frozen=True)
class Kind:
    key: str  # the key of RETENTION_YEARS, of the counts, and of holds (retention.holds)
    label: str
    model: str  # "app_label.Model"
    clock: str  # the date the period runs from, in words
    setting: str | None  # the RETENTION_YEARS entry giving the period; None: Django's own rule (sessions)
    rows: object  # (cutoff, going) -> the query set of rows past their date; cutoff: a date, or a moment
    moment: bool = False  # the clock is a time stamp: the cutoff is the moment ``years`` before now

    @property
    def app_label(self):
        return self.model.split(".")[0]

    @property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def years(self):
        return settings.RETENTION_YEARS[self.setting] if self.setting else None

    @property
    def period(self):
        """ "10 years", or how Django decides."""
        if self.years is None:
            return "until they expire"
        return f"{self.years} year" + ("" if self.years == 1 else "s")

    def cutoff(self, now):
        """The latest date (or, for a time stamp, moment) a record of this kind may carry and go at ``now``
        (an aware datetime); for sessions, ``now`` itself."""
        if self.years is None:
            return now
        if self.moment:
            return years_before(timezone.localtime(now), self.years)
        return years_before(timezone.localdate(now), self.years)

    def due(self, now, going):
        """The rows past their date at ``now`` (``going``: the rows already found going, by kind key)."""
        return self.rows(self.cutoff(now), going)


def _papers(cutoff, going):
    # Every version of the paper goes with it (CASCADE), and each version's file once committed
    # (papers.models.remove_file_of_deleted_version).
    return apps.get_model("papers.Paper").objects.filter(agenda_item__meeting__date__lte=cutoff)


def _returns(cutoff, going):
    # With its steps and the secretariat's comments (CASCADE) and every saved version (its history).
    return apps.get_model("reviews.QuarterlyReturn").objects.filter(period__ends_on__lte=cutoff)


def _reporting_periods(cutoff, going):
    # A quarter goes once every return of it goes (or has gone): a quarter left without its returns
    # would show every area as owing one.
    returns = apps.get_model("reviews.QuarterlyReturn").objects
    staying = returns.filter(period=OuterRef("pk")).exclude(pk__in=going["returns"].values("pk"))
    return apps.get_model("reviews.ReportingPeriod").objects.filter(ends_on__lte=cutoff).exclude(Exists(staying))


def _case_reviews(cutoff, going):
    # Counted in the quarter it was commissioned and the one it was completed: the clock runs from the
    # end of the later one. An open review is still in use and stays, however old.
    model = apps.get_model("reviews.CaseReview")
    end = quarter_end_on_or_before(cutoff)
    return model.objects.exclude(status=model.Status.OPEN).filter(
        Q(completed_on__lte=end) | Q(completed_on__isnull=True, commissioned_on__lte=end)
    )


def _reminders(cutoff, going):
    # A line of a kind sent once per occasion (a recommendation's passed review date, a return's
    # "due today") is what stops that occasion being chased again: it stays while its subject does
    # (it goes with the recommendation or the return, by cascade).
    once = [kind.name for kind in reminder_kinds().values() if kind.once]
    return apps.get_model("reminders.Reminder").objects.filter(claimed_at__lt=cutoff).exclude(kind__in=once)


def _emails(cutoff, going):
    return apps.get_model("outbox.Email").objects.filter(queued_at__lt=cutoff)


def _audit(cutoff, going):
    return apps.get_model("audit.AuditEvent").objects.filter(at__lt=cutoff)


def _sessions(cutoff, going):
    # As `manage.py clearsessions`: sessions past their expiry date (SESSION_IDLE_MINUTES).
    return apps.get_model("sessions.Session").objects.filter(expire_date__lt=cutoff)


SCHEDULE = [
    Kind("papers", "Papers (every version, with its file)", "papers.Paper", "the meeting's date", "papers", _papers),
    Kind(
        "returns",
        "Quarterly returns",
        "reviews.QuarterlyReturn",
        "the end of their quarter",
        "returns",
        _returns,
    ),
    Kind(
        "reporting_periods",
        "Reporting periods (quarters)",
        "reviews.ReportingPeriod",
        "the end of the quarter, once its returns have gone",
        "returns",
        _reporting_periods,
    ),
    Kind(
        "case_reviews",
        "Case review records",
        "reviews.CaseReview",
        "the end of the quarter completed (or commissioned); never while open",
        "case_reviews",
        _case_reviews,
    ),
    Kind(
        "reminders",
        "Reminder log lines",
        "reminders.Reminder",
        "when claimed (the chasing run)",
        "reminders",
        _reminders,
        moment=True,
    ),
    Kind("emails", "Outbox e-mails", "outbox.Email", "when queued", "emails", _emails, moment=True),
    Kind("audit", "Audit log lines", "audit.AuditEvent", "when it happened", "audit", _audit, moment=True),
    Kind(
        "sessions", "Expired sessions", "sessions.Session", "their expiry (as Django's clearsessions)", None, _sessions
    ),
]


def kinds():
    """The kinds of the schedule whose app is installed, in the order they are applied."""
    return [kind for kind in SCHEDULE if _installed(kind.app_label)]


def _installed(app_label):
    try:
        apps.get_app_config(app_label)
    except LookupError:
        return False
    return True


def kind(key):
    return next(k for k in SCHEDULE if k.key == key)
