"""Changes to returns: saving sections and every workflow step.

Each function checks who is acting (PermissionDenied otherwise) and what state
the return is in (ReturnRefused otherwise), saves a version that
django-simple-history keeps with its author, and records each status change as
a ReturnTransition. A SOG chair or coordinator acts only for the areas
mappa.selectors.areas_for gives them; the secretariat acts for every area and
alone returns, approves and reopens.

ReturnRefused and require_area serve the app's other services too (case reviews, periods,
the NSG meeting).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mappa.refusals import Refused, require_secretariat
from mappa.selectors import areas_for
from reviews import emails, rules
from reviews.models import FIGURES, THEME_FIELDS, QuarterlyReturn, ReturnTransition, SectionComment
from reviews.selectors.returns import previous_approved

Status = QuarterlyReturn.Status


class ReturnRefused(Refused):
    """A step that is out of order, or a return that is not ready for it."""


def require_area(user, area):
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
    require_area(by, ret.area)
    ret = _locked(ret)
    _check_editable(ret)
    section = rules.SECTIONS_BY_SLUG[section_slug]
    fields = set(section.fields)
    for name, value in values.items():
        if name in fields:
            setattr(ret, name, value if value is not None or name in FIGURES else "")
    errors = rules.figure_errors({n: getattr(ret, n) for n in FIGURES})
    errors.update(rules.theme_errors({n: getattr(ret, n) for n in (*FIGURES, *THEME_FIELDS, "theme_other_text")}))
    errors.update(rules.personal_data_errors({n: getattr(ret, n) for n in section.text_fields}, section.text_fields))
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
    require_area(by, ret.area)
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
    require_area(by, ret.area)
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
