"""The dashboard's first section: the action plan's recommendations, as at the range's end and at each NSG meeting.

The area and group filters do not apply here. The one thing read row by row is the
action plan's updates up to the last meeting in the range (a few per recommendation, in
one query), to place each against the meeting dates.
"""

from dashboard import charts
from dashboard.selectors.layout import Figure, Headline, Section, day_label
from dashboard.tables import NOTHING, Link, Table
from mappa.choices import TAG_SHADES
from mappa.models import Body
from meetings.models import Meeting
from recommendations import selectors as plan
from recommendations.models import StatusUpdate

# Progress bands from the lowest to the highest, for the heat strip.
PROGRESS_LEVELS = list(reversed(StatusUpdate.Progress.values))


def _counts_table(slug, title, sheet, heading, counts, missing):
    rows = [[label, count] for label, _value, count in counts]
    if missing:
        rows.append(["No update recorded by then", missing])
    return Table(slug=slug, title=title, sheet=sheet, columns=[heading, "Recommendations"], rows=rows, numeric=(1,))


def nsg_meeting_dates(scope):
    """The dates of the NSG meetings held within the range, up to its "as at" day (one query)."""
    held = Meeting.statuses_from(Meeting.Status.HELD)
    meetings = Meeting.objects.filter(
        body__kind=Body.Kind.NATIONAL_STRATEGIC_GROUP, status__in=held, date__lte=scope.as_at
    )
    if scope.start:
        meetings = meetings.filter(date__gte=scope.start)
    return list(meetings.order_by("date").values_list("date", flat=True).distinct())


def progress_at_meetings(recommendation_ids, dates):
    """{recommendation id: [its latest update (status, progress) on each date, or None]} (one query)."""
    states = {pk: [None] * len(dates) for pk in recommendation_ids}
    if not dates:
        return states
    updates = (
        StatusUpdate.objects.filter(recommendation_id__in=recommendation_ids, as_of__lte=dates[-1])
        .order_by("recommendation_id", "as_of", "id")
        .values_list("recommendation_id", "as_of", "status", "progress")
    )
    for recommendation_id, as_of, status, progress in updates:
        for index, day in enumerate(dates):
            if as_of <= day:  # in date order, so the last one written is the latest by that day
                states[recommendation_id][index] = (status, progress)
    return states


def recommendations_section(scope):
    """The action plan as at the range's end, and at each NSG meeting within it."""
    as_at = scope.as_at
    rows = plan.action_plan(as_at=as_at)
    summary = plan.plan_summary(rows)
    missing = sum(row.update is None for row in rows)
    by_status = _counts_table(
        "recommendations-by-status",
        f"Recommendations by status, as at {day_label(as_at)}",
        "Recommendations by status",
        "Status",
        summary["by_status"],
        missing,
    )
    by_progress = _counts_table(
        "recommendations-by-progress",
        f"Recommendations by progress, as at {day_label(as_at)}",
        "Recommendations by progress",
        "Progress",
        summary["by_progress"],
        missing,
    )

    listing = Table(
        slug="recommendations",
        title=f"Each recommendation's status and the inspectors' grade, as at {day_label(as_at)}",
        sheet="Recommendations",
        columns=["Recommendation", "Status", "Progress", "Review date", "Inspectors' grade", "Graded on"],
        rows=[
            [
                Link(str(row.recommendation), row.recommendation.get_absolute_url()),
                row.update.get_status_display() if row.update else "No update recorded",
                row.update.get_progress_display() if row.update else NOTHING,
                row.update.review_date if row.update else None,
                row.assessment.get_grade_display() if row.assessment else "Not graded",
                row.assessment.as_of if row.assessment else None,
            ]
            for row in rows
        ],
        empty="No recommendations recorded.",
    )

    dates = nsg_meeting_dates(scope)
    states = progress_at_meetings([row.recommendation.pk for row in rows], dates)
    statuses, bands = dict(StatusUpdate.Status.choices), dict(StatusUpdate.Progress.choices)
    over_time = Table(
        slug="recommendations-over-time",
        title="Progress of each recommendation at each NSG meeting",
        sheet="Progress at NSG meetings",
        columns=["Recommendation", *(day_label(d) for d in dates)],
        rows=[
            [
                str(row.recommendation),
                *(
                    f"{bands[state[1]]}: {statuses[state[0]]}" if state else None
                    for state in states[row.recommendation.pk]
                ),
            ]
            for row in rows
        ],
        notes=[
            "Each cell is the action plan's progress band and status as the latest update before or on the "
            "day of the meeting recorded them."
        ],
        empty="No NSG meeting was held in this range.",
    )
    strip = None
    if dates and rows:
        strip = charts.strip_chart(
            "Progress of each recommendation at each NSG meeting",
            x_title="NSG meeting",
            rows=[
                (
                    str(row.recommendation),
                    [PROGRESS_LEVELS.index(state[1]) if state else None for state in states[row.recommendation.pk]],
                )
                for row in rows
            ],
            columns=[day_label(d) for d in dates],
            levels=[bands[value] for value in PROGRESS_LEVELS],
        )

    def counts_chart(table, title, shades=None):
        return charts.bar_chart(
            title,
            labels=[row[0] for row in table.rows],
            series=[("Recommendations", [row[1] for row in table.rows])],
            horizontal=True,
            x_title="Number of recommendations",
            shades=shades,
        )

    # The status chart in the action plan's status colours (its key in action-plan.pdf, the tags on
    # the page), each bar labelled with its status; recommendations with no update yet in grey.
    counts = {value: count for _label, value, count in summary["by_status"]}
    status_shades = [StatusUpdate.Status(value).shades for _label, value, _count in summary["by_status"]]
    status_shades += [TAG_SHADES["grey"]] * bool(missing)

    return Section(
        slug="recommendations",
        title="Recommendations",
        lead=[
            "The Scottish Government's action plan for the Joint Thematic Review's recommendations as it stood on "
            f"{day_label(as_at)}, the inspectors' latest grades by then, and the plan at each NSG meeting in the "
            "range. The area and group filters do not apply to this section."
        ],
        headlines=[
            Headline(
                counts[StatusUpdate.Status.MET],
                f"of {len(rows)} recommendation{'s' if len(rows) != 1 else ''} met",
                by_status.slug,
            ),
            Headline(counts[StatusUpdate.Status.OUT_OF_TARGET], "out with target", by_status.slug),
        ],
        figures=[
            Figure(by_status, counts_chart(by_status, by_status.title, status_shades)),
            Figure(by_progress, counts_chart(by_progress, by_progress.title)),
            Figure(listing, folded=True),
            Figure(over_time, strip, folded=True),
        ],
    )
