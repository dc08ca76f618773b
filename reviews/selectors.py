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

import difflib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from mappa import access
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
    ret = (QuarterlyReturn.objects.filter(area=area, period=period)
           .select_related("submitted_by__person", "approved_by__person").first())
    if ret is None:
        ret = QuarterlyReturn(area=area, period=period)
    else:
        ret.area, ret.period = area, period
    if not acts_for_areas(user) and ret.status != Status.APPROVED:
        raise NotVisible("Only approved returns can be read")
    return ret


def previous_approved(area, period):
    """The area's most recent approved return for an earlier period (what warnings compare against)."""
    return (QuarterlyReturn.objects
            .filter(area=area, status=Status.APPROVED)
            .filter(Q(period__year__lt=period.year) | Q(period__year=period.year, period__quarter__lt=period.quarter))
            .select_related("period").order_by("-period__year", "-period__quarter").first())


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
        transitions = list(ReturnTransition.objects.filter(quarterly_return=ret)
                           .select_related("by__person").prefetch_related("section_comments"))
    comments, reason = latest_comments(ret, transitions)
    editor = acts_for_areas(user)
    previous = previous_approved(ret.area, ret.period) if editor else None
    secretariat = is_secretariat(user)
    return ReturnPage(
        ret=ret, previous=previous, transitions=transitions, comments=comments, reopen_reason=reason,
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

HISTORY_FIELDS = ["status", "is_nil_return", *FIGURES, *THEME_FIELDS, "theme_other_text",
                  "category3_decline_reasons", "narrative", "learning", "escalations"]
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


def _text_diff(old, new):
    lines = []
    for line in difflib.ndiff((old or "").splitlines(), (new or "").splitlines()):
        code, text = line[:2], line[2:]
        if code == "  ":
            lines.append(("same", text))
        elif code == "- ":
            lines.append(("removed", text))
        elif code == "+ ":
            lines.append(("added", text))
    return lines


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
                change.lines = _text_diff(old if previous is not None else "", new)
            changes.append(change)
        versions.append(Version(number, record.history_date, record.history_user, _shown("status", record.status),
                                changes))
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
    return {(r["area_id"], r["period_id"]): r for r in query.values("area_id", "period_id", "status",
                                                                      "first_submitted_at")}


def _cell(period, area, found, today):
    if not period.expects(area):
        return None
    if found is None:
        return Cell(period, area, today=today)
    return Cell(period, area, found["status"], found["first_submitted_at"], today=today)


def returns_matrix(today=None):
    """Areas × periods with each return's status, and per period the reporting and on-time rates.

    Three queries whatever the number of areas and periods.
    """
    today = today or timezone.localdate()
    periods = list(ReportingPeriod.objects.order_by("year", "quarter"))
    areas = [a for a in Area.objects.order_by("name") if any(p.expects(a) for p in periods)]
    found = _returns_by_key()
    rows, rates = [], []
    for area in areas:
        rows.append((area, [_cell(p, area, found.get((area.pk, p.pk)), today) for p in periods]))
    for column, period in enumerate(periods):
        cells = [cells[column] for _area, cells in rows if cells[column] is not None]
        rates.append(PeriodRates(
            period=period, expected=len(cells), submitted=sum(c.submitted for c in cells),
            on_time=sum(c.on_time for c in cells), late=sum(c.late for c in cells)))
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
        outstanding = [c for c in cells if not c.submitted and c.status in QuarterlyReturn.EDITABLE
                       and c.period.is_open(today)]
        returned = [c for c in cells if c.status == Status.RETURNED]
        due_next = (returned or outstanding or [None])[0]
        result.append(AreaReturns(area=area, cells=list(reversed(cells)), due_next=due_next))
    return result


def approved_returns():
    """What inspectors and NSG members may read: approved returns, newest period first."""
    return list(QuarterlyReturn.objects.filter(status=Status.APPROVED)
                .select_related("area", "period").order_by("-period__year", "-period__quarter", "area__name"))


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
    records = list(CaseReview.objects.filter(area=area).filter(
        Q(commissioned_on__range=(period.starts_on, period.ends_on))
        | Q(completed_on__range=(period.starts_on, period.ends_on))).order_by("reference"))
    in_quarter = [r for r in records if period.starts_on <= r.commissioned_on <= period.ends_on]
    T = CaseReview.Type
    initial = [r for r in in_quarter if r.review_type == T.INITIAL_ICR]
    values = {
        "initial_icrs_processed": len(initial),
        "progressed_to_full_icr": sum(r.review_type == T.FULL_ICR for r in in_quarter),
        "scrs_commissioned": sum(r.review_type == T.SCR for r in in_quarter),
        "scrs_completed": sum(r.review_type == T.SCR and r.completed_on is not None
                              and period.starts_on <= r.completed_on <= period.ends_on for r in records),
        "icrs_from_proactive_policing": sum(r.from_proactive_policing for r in initial),
    }
    counted = [r for r in records if r in in_quarter or (r.review_type == T.SCR and r.completed_on)]
    values["themes"] = [key for key, _label in THEMES if any(getattr(r, f"theme_{key}") for r in counted)]
    others = sorted({r.theme_other_text for r in counted if r.theme_other and r.theme_other_text})
    values["theme_other_text"] = "; ".join(others)[:TEXT_LIMITS["theme_other_text"]]
    return Prefill(values=values, records=records)
