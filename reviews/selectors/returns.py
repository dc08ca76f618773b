"""One return as its page shows it: the return, the area's previous approved one, its steps,
the secretariat's comments, what is missing or to be confirmed, and what the user may do.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from mappa.models import Area
from mappa.selectors import areas_for
from reviews import rules
from reviews.models import FIGURES, THEME_FIELDS, QuarterlyReturn, ReportingPeriod, ReturnTransition
from reviews.selectors.visibility import NotVisible, acts_for_areas, is_secretariat

Status = QuarterlyReturn.Status


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
    warnings: list  # not yet confirmed: the check-your-answers page asks for a tick
    checked_warnings: list  # confirmed already: the check-your-answers page lists them
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
    warnings = rules.return_warnings(ret, previous) if editor else []
    pending = rules.unconfirmed(warnings, ret.confirmed_warnings)
    return ReturnPage(
        ret=ret,
        previous=previous,
        transitions=transitions,
        comments=comments,
        reopen_reason=reason,
        missing=rules.missing_answers(ret) if editor and ret.is_editable else [],
        warnings=pending,
        checked_warnings=[warning for warning in warnings if warning not in pending],
        can_edit=editor and ret.is_editable and ret.period.is_open(),
        can_check=secretariat and ret.status in QuarterlyReturn.AWAITING_CHECK,
        can_reopen=secretariat and ret.status == Status.APPROVED,
        can_see_history=editor and ret.pk is not None,
        sections=summary(ret),
    )
