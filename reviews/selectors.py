"""Read-only queries behind the returns and case review pages.

Who sees what:

* the secretariat (and administrators) every return and record, of every area;
* a SOG chair or MAPPA coordinator only their own areas' (mappa.selectors.areas_for):
  another area's return or record is "not found" for them, whatever the address;
* inspectors and NSG members approved returns only, and case reviews whose
  learning has been shared with the SG.

Each page's queries are bounded: their number does not grow with the number of
areas, periods or returns.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from mappa import access
from mappa.diffs import line_diff
from mappa.models import Area
from mappa.selectors import areas_for
from reviews import rules
from reviews.models import (
    FIGURES,
    TEXT_LIMITS,
    THEME_FIELDS,
    THEMES,
    CaseReview,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnTransition,
)

Status = QuarterlyReturn.Status
EDITORS = frozenset({*access.SECRETARIAT, access.Role.SOG_CHAIR})


class NotVisible(ObjectDoesNotExist):
    """No such return or record, or not one this user may see (the same answer: 404)."""


def acts_for_areas(user):
    """Whether the user edits returns at all (the secretariat or a SOG chair/coordinator)."""
    return access.has_role(user, *EDITORS)


def is_secretariat(user):
    return access.has_role(user, *access.SECRETARIAT)


# ----------------------------------------------------------------------------------------------
# One return
# ----------------------------------------------------------------------------------------------


def find_return(user, period_slug, area_slug):
    """The return of an area for a period, as this user may see it (unsaved if not started).

    Raises NotVisible when the period or area does not exist, the area owes no
    return for the period, the user does not act for the area, or (inspectors,
    NSG members) the return is not approved.
    """
    try:
        period = ReportingPeriod.objects.by_slug(period_slug)
    except ReportingPeriod.DoesNotExist:
        raise NotVisible(f"No reporting period {period_slug}") from None
    areas = areas_for(user) if acts_for_areas(user) else Area.objects.all()
    area = areas.filter(slug=area_slug).first()
    if area is None or not period.expects(area):
        raise NotVisible(f"No return for {area_slug} in {period_slug}")
    ret = (
        QuarterlyReturn.objects.filter(area=area, period=period)
        .select_related("submitted_by__person", "approved_by__person")
        .first()
    )
    if ret is None:
        ret = QuarterlyReturn(area=area, period=period)
    else:
        ret.area, ret.period = area, period
    if not acts_for_areas(user) and ret.status != Status.APPROVED:
        raise NotVisible("Only approved returns can be read")
    return ret


def previous_approved(area, period):
    """The area's most recent approved return for an earlier period (what warnings compare against)."""
    return (
        QuarterlyReturn.objects.filter(area=area, status=Status.APPROVED)
        .filter(Q(period__year__lt=period.year) | Q(period__year=period.year, period__quarter__lt=period.quarter))
        .select_related("period")
        .order_by("-period__year", "-period__quarter")
        .first()
    )


@dataclass
class SummaryRow:
    name: str
    label: str
    value: object
    section: rules.Section


@dataclass
class ReturnPage:
    ret: QuarterlyReturn
    previous: QuarterlyReturn | None
    transitions: list
    comments: dict  # section slug -> SectionComment, from the latest return for amendment
    reopen_reason: str
    missing: list
    warnings: list
    can_edit: bool
    can_check: bool  # the secretariat may return or approve it now
    can_reopen: bool
    can_see_history: bool
    sections: list = field(default_factory=list)  # (section, saved?, rows)


def _value_for_display(ret, name):
    value = getattr(ret, name)
    if name in THEME_FIELDS:
        return "Yes" if value else "No"
    return value


def summary(ret):
    """Section by section, each answer as the check-your-answers page and the return page show it."""
    saved = set(ret.sections_saved or [])
    sections = []
    for section in rules.SECTIONS:
        rows = []
        if section.slug == rules.S.CASE_REVIEWS:
            rows += [SummaryRow(n, rules.label(n), getattr(ret, n), section) for n in section.fields if n in FIGURES]
            rows.append(SummaryRow("themes", "Themes", ret.theme_labels, section))
        else:
            rows += [SummaryRow(n, rules.label(n), getattr(ret, n), section) for n in section.fields]
        sections.append((section, section.slug in saved or ret.is_nil_return, rows))
    return sections


def latest_comments(ret, transitions):
    """The secretariat's section comments from the step that last returned the return (if it stands returned)."""
    if ret.status != Status.RETURNED or not transitions:
        return {}, ""
    last = transitions[-1]
    if last.to_status != Status.RETURNED:
        return {}, ""
    comments = {c.section: c for c in last.section_comments.all()}
    return comments, last.comment


def return_page(user, period_slug, area_slug):
    ret = find_return(user, period_slug, area_slug)
    transitions = []
    if ret.pk:
        transitions = list(
            ReturnTransition.objects.filter(quarterly_return=ret)
            .select_related("by__person")
            .prefetch_related("section_comments")
        )
    comments, reason = latest_comments(ret, transitions)
    editor = acts_for_areas(user)
    previous = previous_approved(ret.area, ret.period) if editor else None
    secretariat = is_secretariat(user)
    return ReturnPage(
        ret=ret,
        previous=previous,
        transitions=transitions,
        comments=comments,
        reopen_reason=reason,
        missing=rules.missing_answers(ret) if editor and ret.is_editable else [],
        warnings=rules.unconfirmed(rules.return_warnings(ret, previous), ret.confirmed_warnings) if editor else [],
        can_edit=editor and ret.is_editable and ret.period.is_open(),
        can_check=secretariat and ret.status in QuarterlyReturn.AWAITING_CHECK,
        can_reopen=secretariat and ret.status == Status.APPROVED,
        can_see_history=editor and ret.pk is not None,
        sections=summary(ret),
    )


# ----------------------------------------------------------------------------------------------
# Every saved version, as a diff
# ----------------------------------------------------------------------------------------------

HISTORY_FIELDS = [
    "status",
    "is_nil_return",
    *FIGURES,
    *THEME_FIELDS,
    "theme_other_text",
    "category3_decline_reasons",
    "narrative",
    "learning",
    "escalations",
]
_TEXTS = set(TEXT_LIMITS) - {"theme_other_text"}


@dataclass
class FieldChange:
    label: str
    old: object
    new: object
    lines: list = field(default_factory=list)  # for long text: (kind, text), kind "same", "removed" or "added"


@dataclass
class Version:
    number: int
    at: object
    by: object
    status: str
    changes: list


def _shown(name, value):
    if name == "status":
        return Status(value).label if value else ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "Not answered" if value is None else value


def return_history(ret):
    """Every saved version of the return, oldest first, each with what changed since the one before."""
    records = list(ret.history.select_related("history_user__person").order_by("history_date", "history_id"))
    versions = []
    previous = None
    for number, record in enumerate(records, start=1):
        changes = []
        for name in HISTORY_FIELDS:
            new = getattr(record, name)
            old = getattr(previous, name) if previous is not None else None
            if previous is None and new in (None, "", False) and name != "status":
                continue
            if previous is not None and old == new:
                continue
            label = "Status" if name == "status" else rules.label(name)
            change = FieldChange(label, _shown(name, old) if previous is not None else "", _shown(name, new))
            if name in _TEXTS:
                change.lines = line_diff(old if previous is not None else "", new)
            changes.append(change)
        versions.append(
            Version(number, record.history_date, record.history_user, _shown("status", record.status), changes)
        )
        previous = record
    return versions


# ----------------------------------------------------------------------------------------------
# The returns page: the secretariat's completeness matrix, a chair's own returns
# ----------------------------------------------------------------------------------------------


@dataclass
class Cell:
    period: ReportingPeriod
    area: Area
    status: str = Status.NOT_STARTED
    first_submitted_at: object = None
    today: date = None

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def submitted(self):
        return self.first_submitted_at is not None

    @property
    def on_time(self):
        return self.submitted and timezone.localdate(self.first_submitted_at) <= self.period.due_on

    @property
    def submitted_late(self):
        return self.submitted and not self.on_time

    @property
    def late(self):
        """Not submitted, and past its due date."""
        return not self.submitted and (self.today or timezone.localdate()) > self.period.due_on

    @property
    def url_kwargs(self):
        return {"period": self.period.slug, "area": self.area.slug}


@dataclass
class PeriodRates:
    period: ReportingPeriod
    expected: int
    submitted: int
    on_time: int
    late: int

    @staticmethod
    def _percent(part, whole):
        return round(100 * part / whole) if whole else None

    @property
    def reporting_rate(self):
        """Returns submitted ÷ returns expected (DHIS2's reporting rate), as a whole percentage."""
        return self._percent(self.submitted, self.expected)

    @property
    def on_time_rate(self):
        """Returns submitted by the due date ÷ returns expected (DHIS2's reporting rate on time)."""
        return self._percent(self.on_time, self.expected)


@dataclass
class Matrix:
    periods: list
    rows: list  # (area, [Cell or None per period])
    rates: list  # PeriodRates per period
    today: date


def _returns_by_key(areas=None, periods=None):
    query = QuarterlyReturn.objects.all()
    if areas is not None:
        query = query.filter(area__in=areas)
    if periods is not None:
        query = query.filter(period__in=periods)
    return {
        (r["area_id"], r["period_id"]): r for r in query.values("area_id", "period_id", "status", "first_submitted_at")
    }


def _cell(period, area, found, today):
    if not period.expects(area):
        return None
    if found is None:
        return Cell(period, area, today=today)
    return Cell(period, area, Status(found["status"]), found["first_submitted_at"], today=today)


def returns_matrix(today=None, *, periods=None, areas=None):
    """Areas × periods with each return's status, and per period the reporting and on-time rates.

    Every period and area by default; ``periods`` (in order) and ``areas`` narrow it (the
    dashboard's filters). Three queries whatever the number of areas and periods.
    """
    today = today or timezone.localdate()
    narrowed = {"areas": areas, "periods": periods}
    periods = list(ReportingPeriod.objects.order_by("year", "quarter") if periods is None else periods)
    areas = [
        a for a in (Area.objects.order_by("name") if areas is None else areas) if any(p.expects(a) for p in periods)
    ]
    found = _returns_by_key(**narrowed)
    rows, rates = [], []
    for area in areas:
        rows.append((area, [_cell(p, area, found.get((area.pk, p.pk)), today) for p in periods]))
    for column, period in enumerate(periods):
        cells = [cells[column] for _area, cells in rows if cells[column] is not None]
        rates.append(
            PeriodRates(
                period=period,
                expected=len(cells),
                submitted=sum(c.submitted for c in cells),
                on_time=sum(c.on_time for c in cells),
                late=sum(c.late for c in cells),
            )
        )
    return Matrix(periods=periods, rows=rows, rates=rates, today=today)


@dataclass
class AreaReturns:
    area: Area
    cells: list  # newest first
    due_next: Cell | None


def area_returns(user, today=None):
    """For a SOG chair or coordinator: each of their areas' returns, newest first, and what is due next."""
    today = today or timezone.localdate()
    areas = list(areas_for(user).order_by("name"))
    periods = list(ReportingPeriod.objects.order_by("year", "quarter"))
    found = _returns_by_key(areas=areas)
    result = []
    for area in areas:
        cells = [c for c in (_cell(p, area, found.get((area.pk, p.pk)), today) for p in periods) if c is not None]
        outstanding = [
            c for c in cells if not c.submitted and c.status in QuarterlyReturn.EDITABLE and c.period.is_open(today)
        ]
        returned = [c for c in cells if c.status == Status.RETURNED]
        due_next = (returned or outstanding or [None])[0]
        result.append(AreaReturns(area=area, cells=list(reversed(cells)), due_next=due_next))
    return result


# Inspectors and NSG members page through approved returns: 53 areas a quarter add up quickly.
APPROVED_PER_PAGE = 50


def approved_returns():
    """What inspectors and NSG members may read: approved returns, newest period first (a queryset, to page)."""
    return (
        QuarterlyReturn.objects.filter(status=Status.APPROVED)
        .select_related("area", "period")
        .order_by("-period__year", "-period__quarter", "area__name", "pk")
    )


def late_returns(today=None):
    """Expected returns not submitted by their due date: (period, area, return or None). For chasing."""
    today = today or timezone.localdate()
    periods = list(ReportingPeriod.objects.filter(due_on__lt=today))
    areas = list(Area.objects.all())
    found = _returns_by_key(periods=periods)
    late = []
    for period in periods:
        for area in areas:
            cell = _cell(period, area, found.get((area.pk, period.pk)), today)
            if cell is not None and cell.late:
                late.append(cell)
    return late


# ----------------------------------------------------------------------------------------------
# Case review records
# ----------------------------------------------------------------------------------------------


def case_reviews_for(user):
    """The case review records this user may see."""
    query = CaseReview.objects.select_related("area")
    if acts_for_areas(user):
        return query.filter(area__in=areas_for(user))
    return query.filter(shared_with_sg_on__isnull=False)


def case_review_for(user, pk):
    review = case_reviews_for(user).select_related("progressed_from", "created_by__person").filter(pk=pk).first()
    if review is None:
        raise NotVisible(f"No case review {pk}")
    return review


@dataclass
class Prefill:
    values: dict
    records: list


def figures_from_case_reviews(area, period):
    """Section 1's figures as the area's case review records of the quarter give them (one query).

    Initial ICRs, full ICRs and SCRs count by the date commissioned; SCRs
    completed by the date completed; themes are those of any review counted.
    """
    records = list(
        CaseReview.objects.filter(area=area)
        .filter(
            Q(commissioned_on__range=(period.starts_on, period.ends_on))
            | Q(completed_on__range=(period.starts_on, period.ends_on))
        )
        .order_by("reference")
    )
    in_quarter = [r for r in records if period.starts_on <= r.commissioned_on <= period.ends_on]
    T = CaseReview.Type
    initial = [r for r in in_quarter if r.review_type == T.INITIAL_ICR]
    values = {
        "initial_icrs_processed": len(initial),
        "progressed_to_full_icr": sum(r.review_type == T.FULL_ICR for r in in_quarter),
        "scrs_commissioned": sum(r.review_type == T.SCR for r in in_quarter),
        "scrs_completed": sum(
            r.review_type == T.SCR
            and r.completed_on is not None
            and period.starts_on <= r.completed_on <= period.ends_on
            for r in records
        ),
        "icrs_from_proactive_policing": sum(r.from_proactive_policing for r in initial),
    }
    counted = [r for r in records if r in in_quarter or (r.review_type == T.SCR and r.completed_on)]
    values["themes"] = [key for key, _label in THEMES if any(getattr(r, f"theme_{key}") for r in counted)]
    others = sorted({r.theme_other_text for r in counted if r.theme_other and r.theme_other_text})
    values["theme_other_text"] = "; ".join(others)[: TEXT_LIMITS["theme_other_text"]]
    return Prefill(values=values, records=records)


# ----------------------------------------------------------------------------------------------
# For the NSG meeting: each area's approved update, and the national table of case review figures.
# Only approved returns count: a return still being prepared or checked is not the area's word yet.
# ----------------------------------------------------------------------------------------------


def periods_with_approved_returns():
    """Reporting periods with at least one approved return, newest first."""
    return list(
        ReportingPeriod.objects.filter(returns__status=Status.APPROVED).distinct().order_by("-year", "-quarter")
    )


def period_for_meeting(meeting_date, periods=None):
    """The quarter a meeting hears about: the latest with approved returns that ended before the meeting.

    ``periods`` (newest first) saves the query when the caller already has them.
    None if no quarter qualifies.
    """
    if periods is None:
        periods = periods_with_approved_returns()
    return next((period for period in periods if period.ends_on < meeting_date), None)


@dataclass
class AreaReturn:
    """An area that owes a return for the period, and its approved return (None: not approved, or none)."""

    area: Area
    ret: QuarterlyReturn | None


def approved_by_area(period):
    """Every area expected to return for ``period``, by name, each with its approved return or None (two queries).

    An area with an approved return is listed even if it no longer owes one (its
    dates were changed after it returned).
    """
    approved = {ret.area_id: ret for ret in QuarterlyReturn.objects.filter(period=period, status=Status.APPROVED)}
    areas = [area for area in Area.objects.order_by("name") if period.expects(area) or area.pk in approved]
    for ret in approved.values():
        ret.period = period
    return [AreaReturn(area=area, ret=approved.get(area.pk)) for area in areas]


@dataclass
class TableRow:
    area: Area
    ret: QuarterlyReturn | None
    values: list  # one number per FIGURES, or empty when there is no approved return


@dataclass
class CaseReviewTable:
    """A period's case review and Category 3 figures, area by area, with national totals of approved returns."""

    period: ReportingPeriod
    figures: list  # (field name, label) in FIGURES order
    rows: list
    totals: list

    @property
    def expected(self):
        return len(self.rows)

    @property
    def approved(self):
        return sum(row.ret is not None for row in self.rows)

    @property
    def missing(self):
        """The areas whose figures are not in the totals."""
        return [row.area for row in self.rows if row.ret is None]


# Column headings of the table: the case review figures, then the Category 3 referrals.
TABLE_LABELS = {
    "initial_icrs_processed": "Initial ICRs processed",
    "progressed_to_full_icr": "Progressed to full ICR",
    "scrs_commissioned": "SCRs commissioned",
    "scrs_completed": "SCRs completed",
    "icrs_from_proactive_policing": "ICRs from proactive policing",
    "category3_received": "Received",
    "category3_accepted": "Accepted",
    "category3_declined": "Declined",
}


def case_review_table(period):
    """The national table of ``period``'s figures: one row per area owing a return, totals of approved returns only."""
    rows = []
    for entry in approved_by_area(period):
        values = [getattr(entry.ret, name) or 0 for name in FIGURES] if entry.ret else []
        rows.append(TableRow(area=entry.area, ret=entry.ret, values=values))
    totals = [sum(row.values[column] for row in rows if row.values) for column in range(len(FIGURES))]
    return CaseReviewTable(
        period=period, figures=[(name, TABLE_LABELS[name]) for name in FIGURES], rows=rows, totals=totals
    )


def meetings_for_papers(today=None):
    """Meetings a generated paper can go to: minutes not yet agreed, with a SOG chairs' updates item.

    Upcoming meetings first (soonest first), then those already held (latest first).
    """
    from meetings.models import AgendaItem, Meeting

    today = today or timezone.localdate()
    open_statuses = Meeting.statuses_before(Meeting.Status.MINUTES_AGREED)
    meetings = list(
        Meeting.objects.filter(
            status__in=open_statuses,
            agenda_items__kind=AgendaItem.Kind.SOG_UPDATES,
            agenda_items__parent=None,
        )
        .select_related("body")
        .distinct()
    )
    upcoming = sorted((m for m in meetings if m.date >= today), key=lambda m: (m.date, m.start_time))
    held = sorted((m for m in meetings if m.date < today), key=lambda m: (m.date, m.start_time), reverse=True)
    return upcoming + held


# ----------------------------------------------------------------------------------------------
# Reporting periods (the secretariat's list)
# ----------------------------------------------------------------------------------------------


@dataclass
class PeriodRow:
    period: ReportingPeriod
    expected: int
    approved: int


def period_list():
    """Every reporting period, newest first, with how many returns it expects and how many are approved."""
    from django.db.models import Count

    periods = list(
        ReportingPeriod.objects.annotate(
            approved_count=Count("returns", filter=Q(returns__status=Status.APPROVED))
        ).order_by("-year", "-quarter")
    )
    areas = list(Area.objects.all())
    return [PeriodRow(period=p, expected=sum(p.expects(a) for a in areas), approved=p.approved_count) for p in periods]


def next_period_to_add():
    """(year, quarter) of the quarter after the latest period: what a new period most likely is."""
    latest = ReportingPeriod.objects.order_by("-year", "-quarter").first()
    if latest is None:
        today = timezone.localdate()
        start_year = today.year if today.month >= 4 else today.year - 1
        return start_year, (today.month - 4) % 12 // 3 + 1
    return (latest.year, latest.quarter + 1) if latest.quarter < 4 else (latest.year + 1, 1)


# ----------------------------------------------------------------------------------------------
# The home page: what needs a SOG chair's or the secretariat's attention
# ----------------------------------------------------------------------------------------------


def _return_name(area, period):
    return f"{area.name}'s return for {period.label}"


def _and_more(names, limit=5):
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def attention_for(user, today=None):
    """Home-page items about returns.

    A SOG chair or coordinator: each of their areas' returns returned for
    amendment, and the return due next (its status and due date), or every one
    that is late. The secretariat: each return submitted and awaiting its check,
    and how many returns are late.
    """
    from django.urls import reverse

    from mappa.selectors import AttentionItem

    today = today or timezone.localdate()
    items = []
    if is_secretariat(user):
        awaiting = (
            QuarterlyReturn.objects.filter(status__in=QuarterlyReturn.AWAITING_CHECK)
            .select_related("area", "period")
            .order_by("submitted_at", "area__name")
        )
        for ret in awaiting:
            again = " (resubmitted after amendment)" if ret.status == Status.RESUBMITTED else ""
            items.append(
                AttentionItem(
                    f"Check {_return_name(ret.area, ret.period)}",
                    f"Submitted on {timezone.localtime(ret.submitted_at):%-d %B %Y}{again}. Approve it or return it "
                    "for amendment.",
                    ret.get_absolute_url(),
                )
            )
        late = late_returns(today)
        if late:
            count = len(late)
            items.append(
                AttentionItem(
                    f"{count} return{'s are' if count != 1 else ' is'} late",
                    f"Not submitted by the due date: {_and_more([f'{c.area.name} {c.period.label}' for c in late])}.",
                    reverse("reviews:returns"),
                )
            )
        return items
    if not access.has_role(user, access.Role.SOG_CHAIR):
        return items
    for entry in area_returns(user, today):
        cells = list(reversed(entry.cells))  # oldest first
        for cell in cells:
            if cell.status == Status.RETURNED:
                items.append(
                    AttentionItem(
                        f"Amend {_return_name(cell.area, cell.period)}",
                        "The secretariat returned it for amendment: see their comments, then submit it again.",
                        reverse("reviews:return-detail", kwargs=cell.url_kwargs),
                    )
                )
        outstanding = [
            c for c in cells if not c.submitted and c.status in QuarterlyReturn.EDITABLE and c.period.is_open(today)
        ]
        late = [c for c in outstanding if c.late]
        for cell in late or outstanding[:1]:
            if cell.late:
                title = f"{_return_name(cell.area, cell.period)} is late"
                detail = f"It was due on {cell.period.due_on:%-d %B %Y}. Status: {cell.status_label}."
            else:
                title = f"{_return_name(cell.area, cell.period)} is due on {cell.period.due_on:%-d %B %Y}"
                detail = f"Status: {cell.status_label}."
            items.append(AttentionItem(title, detail, reverse("reviews:return-detail", kwargs=cell.url_kwargs)))
    return items
