"""The home page: what needs a SOG chair's or the secretariat's attention about returns."""

from django.urls import reverse
from django.utils import timezone

from mappa import access, generation
from mappa.selectors import AttentionItem
from reviews.models import QuarterlyReturn
from reviews.selectors.matrix import area_returns, late_returns
from reviews.selectors.visibility import is_secretariat

Status = QuarterlyReturn.Status


def _return_name(area, period):
    return f"{area.name}'s return for {period.label}"


def _and_more(names, limit=5):
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _late_returns_named(today):
    """ "Fife 2017-18 Q2", ... for each late return: kept until the data changes (finding them reads every
    return of every past quarter, thousands at national scale, on each look at the secretariat's home page)."""
    return generation.kept(
        f"reviews:late-returns:{today.isoformat()}",
        lambda: [f"{cell.area.name} {cell.period.label}" for cell in late_returns(today)],
    )


def attention_for(user, today=None):
    """Home-page items about returns.

    A SOG chair or coordinator: each of their areas' returns returned for
    amendment, and the return due next (its status and due date), or every one
    that is late. The secretariat: each return submitted and awaiting its check,
    and how many returns are late.
    """
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
        late = _late_returns_named(today)
        if late:
            count = len(late)
            items.append(
                AttentionItem(
                    f"{count} return{'s are' if count != 1 else ' is'} late",
                    f"Not submitted by the due date: {_and_more(late)}.",
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
