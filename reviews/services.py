"""Changes to returns and case review records: saving sections and every workflow step.

Each function checks who is acting (PermissionDenied otherwise) and what state
the return is in (ReturnRefused otherwise), saves a version that
django-simple-history keeps with its author, and records each status change as
a ReturnTransition. A SOG chair or coordinator acts only for the areas
mappa.selectors.areas_for gives them; the secretariat acts for every area and
alone returns, approves and reopens.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mappa.models import Area
from mappa.refusals import Refused, require_secretariat
from mappa.selectors import areas_for
from reviews import emails, rules
from reviews.models import (
    FIGURES,
    THEME_FIELDS,
    CaseReview,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnTransition,
    SectionComment,
)

Status = QuarterlyReturn.Status


class ReturnRefused(Refused):
    """A step that is out of order, or a return that is not ready for it."""


def _require_area(user, area):
    """The user must act for the area: its SOG chair, deputy or coordinator, or the secretariat."""
    if not areas_for(user).filter(pk=area.pk).exists():
        raise PermissionDenied("You do not act for this area.")


def _locked(ret):
    """The return, re-read and locked for the rest of the transaction (a new one if it has no row yet)."""
    if ret.pk is None:
        existing = QuarterlyReturn.objects.select_for_update().filter(area=ret.area, period=ret.period).first()
        return existing or ret
    return QuarterlyReturn.objects.select_for_update().select_related("area", "period").get(pk=ret.pk)


def _move(ret, to_status, *, by, comment=""):
    """Change the status if the workflow allows that step, and record the step."""
    if to_status not in QuarterlyReturn.TRANSITIONS.get(ret.status, ()):
        raise ReturnRefused(
            f"This return is “{ret.get_status_display()}”: it cannot be {Status(to_status).label.lower()} now."
        )
    transition = ReturnTransition(
        quarterly_return=ret, from_status=ret.status, to_status=to_status, by=by, comment=comment
    )
    ret.status = to_status
    return transition


def _save(ret, by, transition=None):
    ret._history_user = by
    ret.save()
    if transition is not None:
        transition.quarterly_return = ret
        transition.save()
    return transition


def _check_editable(ret):
    if not ret.is_editable:
        if ret.status == Status.APPROVED:
            raise ReturnRefused("This return is approved and locked. Only the secretariat can reopen it.")
        raise ReturnRefused(
            "This return has been submitted: it can be changed again only if the secretariat returns it for amendment."
        )
    if not ret.period.is_open():
        raise ReturnRefused(f"Returns for {ret.period.label} open on {ret.period.opens_on:%-d %B %Y}.")


@transaction.atomic
def save_section(ret, section_slug, values, *, by, confirmed_warnings=()):
    """Save one section's answers (already validated by its form). A first save starts the draft.

    ``confirmed_warnings`` are the keys of the warnings the person confirmed
    ("I have checked these figures"); they are remembered so the
    check-your-answers page does not ask again.
    """
    _require_area(by, ret.area)
    ret = _locked(ret)
    _check_editable(ret)
    section = rules.SECTIONS_BY_SLUG[section_slug]
    fields = set(section.fields)
    for name, value in values.items():
        if name in fields:
            setattr(ret, name, value if value is not None or name in FIGURES else "")
    errors = rules.figure_errors({n: getattr(ret, n) for n in FIGURES})
    errors.update(rules.theme_errors({n: getattr(ret, n) for n in (*FIGURES, *THEME_FIELDS, "theme_other_text")}))
    if errors:
        raise ReturnRefused(errors)
    if ret.is_nil_return and section_slug in (rules.S.CASE_REVIEWS, rules.S.CATEGORY_3):
        ret.is_nil_return = not any(getattr(ret, name) for name in FIGURES) and not ret.theme_keys
    ret.sections_saved = sorted(set(ret.sections_saved or []) | {section_slug})
    ret.confirmed_warnings = sorted(set(ret.confirmed_warnings or []) | set(confirmed_warnings))
    transition = _move(ret, Status.DRAFT, by=by) if ret.status == Status.NOT_STARTED else None
    _save(ret, by, transition)
    return ret


@transaction.atomic
def make_nil_return(ret, *, by):
    """Nothing to report this quarter: every figure 0, no themes. The area still submits it."""
    _require_area(by, ret.area)
    ret = _locked(ret)
    _check_editable(ret)
    for name in FIGURES:
        setattr(ret, name, 0)
    for name in THEME_FIELDS:
        setattr(ret, name, False)
    ret.theme_other_text = ""
    ret.category3_decline_reasons = ""
    ret.is_nil_return = True
    ret.sections_saved = [section.slug for section in rules.SECTIONS]
    transition = _move(ret, Status.DRAFT, by=by) if ret.status == Status.NOT_STARTED else None
    _save(ret, by, transition)
    return ret


@transaction.atomic
def submit_return(ret, *, by, confirmed=False):
    """Submit (or resubmit, after amendment) the area's return to the NSG secretariat.

    Refused while an answer is missing or the figures break a rule, and while a
    warning stands unconfirmed unless ``confirmed`` (the "I have checked these
    figures" box on the check-your-answers page).
    """
    from reviews.selectors import previous_approved

    _require_area(by, ret.area)
    ret = _locked(ret)
    if ret.pk is None or ret.status not in (Status.DRAFT, Status.RETURNED):
        raise ReturnRefused(f"This return is “{ret.get_status_display()}”: there is nothing to submit.")
    missing = rules.missing_answers(ret)
    if missing:
        raise ReturnRefused([message for _section, message in missing])
    errors = rules.figure_errors({n: getattr(ret, n) for n in FIGURES})
    if errors:
        raise ReturnRefused(list(errors.values()))
    pending = rules.unconfirmed(
        rules.return_warnings(ret, previous_approved(ret.area, ret.period)), ret.confirmed_warnings
    )
    if pending and not confirmed:
        raise ReturnRefused({"confirm": f"Confirm: tick “{rules.confirmation_label(pending)}”"})
    ret.confirmed_warnings = sorted(set(ret.confirmed_warnings or []) | {w.key for w in pending})
    to_status = Status.SUBMITTED if ret.status == Status.DRAFT else Status.RESUBMITTED
    transition = _move(ret, to_status, by=by)
    now = timezone.now()
    ret.submitted_at, ret.submitted_by = now, by
    ret.first_submitted_at = ret.first_submitted_at or now
    _save(ret, by, transition)
    return ret


@transaction.atomic
def send_back(ret, *, by, comments, note=""):
    """Return a submitted return to the area for amendment, with the secretariat's comment per section.

    ``comments`` maps section slugs to comments; at least one is needed. The
    submitter is e-mailed once the step is committed.
    """
    require_secretariat(by)
    ret = _locked(ret)
    comments = {slug: text.strip() for slug, text in comments.items() if text and text.strip()}
    unknown = set(comments) - set(rules.SECTIONS_BY_SLUG)
    if unknown:
        raise ReturnRefused(f"Unknown sections: {', '.join(sorted(unknown))}")
    if not comments:
        raise ReturnRefused("Enter a comment on at least one section, saying what needs to change")
    if ret.status not in QuarterlyReturn.AWAITING_CHECK:
        raise ReturnRefused(
            f"This return is “{ret.get_status_display()}”: only a submitted return can be returned for amendment."
        )
    transition = _move(ret, Status.RETURNED, by=by, comment=note.strip())
    _save(ret, by, transition)
    SectionComment.objects.bulk_create(
        SectionComment(quarterly_return=ret, transition=transition, section=slug, text=text)
        for slug, text in comments.items()
    )
    _email_submitter(transition)
    return ret


@transaction.atomic
def approve_return(ret, *, by):
    """Approve a submitted return: it is locked from then on."""
    require_secretariat(by)
    ret = _locked(ret)
    if ret.status not in QuarterlyReturn.AWAITING_CHECK:
        raise ReturnRefused(f"This return is “{ret.get_status_display()}”: only a submitted return can be approved.")
    transition = _move(ret, Status.APPROVED, by=by)
    ret.approved_at, ret.approved_by = timezone.now(), by
    _save(ret, by, transition)
    return ret


@transaction.atomic
def reopen_return(ret, *, by, reason):
    """Reopen an approved return for amendment (the secretariat only, with a reason the area is sent)."""
    require_secretariat(by)
    reason = (reason or "").strip()
    if not reason:
        raise ReturnRefused({"reason": "Enter the reason for reopening the return"})
    ret = _locked(ret)
    if ret.status != Status.APPROVED:
        raise ReturnRefused(f"This return is “{ret.get_status_display()}”: only an approved return can be reopened.")
    transition = _move(ret, Status.RETURNED, by=by, comment=f"Reopened: {reason}")
    ret.approved_at = ret.approved_by = None
    _save(ret, by, transition)
    _email_submitter(transition)
    return ret


def _email_submitter(transition):
    # Recorded in the step's transaction, sent once it commits (or by the outbox sweep): never lost.
    emails.queue_return_for_amendment(transition)


# ----------------------------------------------------------------------------------------------
# Case review records
# ----------------------------------------------------------------------------------------------

CASE_REVIEW_FIELDS = [
    "review_type",
    "mappa_category",
    "mappa_level",
    "commissioned_on",
    "from_proactive_policing",
    "progressed_from",
    "stage",
    "status",
    "completed_on",
    "learning_summary",
    "shared_with_sg_on",
    *THEME_FIELDS,
    "theme_other_text",
]


def _check_progressed_from(area, earlier, review=None):
    if earlier is None:
        return
    if earlier.area_id != area.pk:
        raise ReturnRefused({"progressed_from": "The earlier review must be one of the same area's"})
    if review is not None and earlier.pk == review.pk:
        raise ReturnRefused({"progressed_from": "A review cannot follow itself"})


@transaction.atomic
def create_case_review(*, by, area, **values):
    """Record a notified case review; its reference is the area's code, the year and the next number."""
    _require_area(by, area)
    _check_progressed_from(area, values.get("progressed_from"))
    Area.objects.select_for_update().get(pk=area.pk)  # one new reference per area at a time
    year = values["commissioned_on"].year
    last = (
        CaseReview.objects.filter(area=area, year=year).order_by("-sequence").values_list("sequence", flat=True).first()
    )
    sequence = (last or 0) + 1
    review = CaseReview(
        area=area,
        year=year,
        sequence=sequence,
        reference=CaseReview.make_reference(area, year, sequence),
        created_by=by,
        **{name: values.get(name) for name in CASE_REVIEW_FIELDS if name in values},
    )
    review._history_user = by
    review.full_clean(exclude=["reference", "created_by"])
    review.save()
    return review


@transaction.atomic
def update_case_review(review, *, by, **values):
    """Change a case review record (its area and reference stay as they are)."""
    _require_area(by, review.area)
    review = CaseReview.objects.select_for_update().get(pk=review.pk)
    _check_progressed_from(review.area, values.get("progressed_from"), review)
    for name in CASE_REVIEW_FIELDS:
        if name in values:
            setattr(review, name, values[name])
    review._history_user = by
    review.full_clean(exclude=["reference", "created_by"])
    review.save()
    return review


# ----------------------------------------------------------------------------------------------
# Reporting periods: the secretariat adds a quarter and may move its due date
# ----------------------------------------------------------------------------------------------


def _check_due_date(period, due_on):
    if due_on is not None and due_on < period.ends_on:
        raise ReturnRefused(
            {"due_on": f"The due date must be on or after the last day of the quarter, {period.ends_on:%-d %B %Y}"}
        )


@transaction.atomic
def create_period(*, by, year, quarter, due_on=None):
    """Add a reporting period. Its dates follow from the year and quarter; the due date may be given.

    Without a due date it is one month after the quarter ends; returns can be
    started from the quarter's first day.
    """
    require_secretariat(by)
    period = ReportingPeriod(year=year, quarter=quarter, due_on=due_on)
    if ReportingPeriod.objects.filter(year=year, quarter=quarter).exists():
        raise ReturnRefused({"quarter": f"{period.label} already exists: change its due date instead"})
    period.fill_dates()
    _check_due_date(period, due_on)
    period.save()
    return period


@transaction.atomic
def change_due_date(period, *, by, due_on):
    """Move a period's due date (an extension, say). Whether a return was on time follows the new date."""
    require_secretariat(by)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if due_on is None:
        raise ReturnRefused({"due_on": "Enter the due date"})
    _check_due_date(period, due_on)
    if due_on < period.opens_on:
        raise ReturnRefused(
            {"due_on": f"The due date must be on or after the day returns open, {period.opens_on:%-d %B %Y}"}
        )
    period.due_on = due_on
    period.save(update_fields=["due_on"])
    return period


# ----------------------------------------------------------------------------------------------
# The NSG meeting. This is the one place that knows both returns and meetings: the meetings app
# serves every group and knows nothing of returns, so the returns app brings its figures and
# narratives to a meeting, through the meetings and papers apps' own services (the minute's
# version check and history, the papers' versions).
# ----------------------------------------------------------------------------------------------

NO_UPDATE = "No update given."
NIL_UPDATE = "Nil return: nothing to report this quarter."


def sog_updates_text(period, updates):
    """The SOG chairs' updates as Markdown: "### Area" and its approved narrative, one sub-section per area.

    An area with no approved return is listed as such, so the minute shows who has not reported.
    """
    sections = []
    for entry in updates:
        if entry.ret is None:
            body = f"No approved return for {period.label}."
        else:
            body = entry.ret.narrative.strip() or (NIL_UPDATE if entry.ret.is_nil_return else NO_UPDATE)
        sections.append(f"### {entry.area.name}\n\n{body}")
    return "\n\n".join(sections)


@transaction.atomic
def add_sog_updates_to_minute(item, *, by, period, base_version, replace=False):
    """Write each area's approved update for ``period`` into the minute of the SOG chairs' updates item.

    The updates go after the text already there, unless ``replace``. The minute is
    saved through meetings.services.minutes.save_minute, so the version rises, the old
    text stays in the item's history, and if anyone saved since ``base_version``
    (the version the person saw) nothing is written: EditConflict. Returns
    (the saved item, the areas with their approved returns or None).
    """
    from meetings.models import AgendaItem
    from meetings.services.meetings import MeetingStepRefused
    from meetings.services.minutes import EditConflict, save_minute
    from reviews.selectors import approved_by_area

    require_secretariat(by)
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if current.kind != AgendaItem.Kind.SOG_UPDATES:
        raise MeetingStepRefused("Areas' updates go only into the SOG chairs' updates item.")
    if current.version != base_version:
        raise EditConflict(current)
    updates = approved_by_area(period)
    if not any(entry.ret for entry in updates):
        raise MeetingStepRefused({"period": f"No return for {period.label} has been approved yet"})
    text = sog_updates_text(period, updates)
    existing = current.narrative.rstrip()
    narrative = f"{existing}\n\n{text}" if existing and not replace else text
    saved = save_minute(current, by=by, narrative=narrative, decisions=current.decisions, base_version=base_version)
    return saved, updates


CASE_REVIEW_TABLE_TITLE = "National case review figures, {period}"


def attach_case_review_table(period, meeting, *, by):
    """Put the period's national case review table into a meeting's papers, under its SOG chairs' updates item.

    The first time it becomes a new paper; again (returns approved since) a new
    version of the same paper, the earlier kept. Refused if the meeting's
    minutes are agreed or its agenda has no SOG chairs' updates item. Returns
    (the paper, the version number).
    """
    from django.core.files.base import ContentFile

    from meetings.models import AgendaItem, Meeting
    from papers.models import Paper
    from papers.services import add_paper, replace_paper
    from reviews.documents import case_review_table_filename, case_review_table_pdf

    require_secretariat(by)
    if meeting.minutes_are_agreed:
        raise ReturnRefused(
            {
                "meeting": "The minutes of that meeting are agreed: choose a meeting still to come "
                "or whose minutes are in draft"
            }
        )
    item = (
        AgendaItem.objects.filter(meeting=meeting, kind=AgendaItem.Kind.SOG_UPDATES, parent=None)
        .order_by("position")
        .first()
    )
    if item is None:
        raise ReturnRefused(
            {"meeting": "That meeting's agenda has no SOG chairs' updates item: choose another meeting"}
        )
    # Rendered before any lock is taken: it is the slow part.
    upload = ContentFile(case_review_table_pdf(period), name=case_review_table_filename(period))
    title = CASE_REVIEW_TABLE_TITLE.format(period=period.label)
    with transaction.atomic():
        # One at a time per meeting, so that two people attaching at once make one paper, not two.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        paper = Paper.objects.filter(agenda_item=item, title=title).first()
        if paper is not None:
            return paper, replace_paper(paper, by=by, upload=upload).number
        return add_paper(item, by=by, title=title, upload=upload), 1
