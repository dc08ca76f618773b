"""Reading the dashboard: recommendations, actions and returns for a range of quarters, an area and a group.

Everything is counted in the database (aggregate, values().annotate(Count)), so the number
of queries is the same for a handful of actions and returns as for a whole country's:
about twenty-five for the page, signing in included, whatever the data
(tests/dashboard/test_queries.py holds it to that). The one thing read row by row is the
action plan's updates up to the last meeting in the range (a few per recommendation, in one
query), to place each against the meeting dates.

Who sees what follows the rest of the service:

* actions: ``actions.selectors.visible_actions`` (inspectors: actions of agreed minutes only);
* returns: figures come from approved returns only, for everyone; the completeness matrix
  shows the secretariat each return's status, and everyone else whether it is approved,
  awaiting approval or not submitted; a return is linked only for those who may open it;
* case review and Category 3 counts by area and quarter go through disclosure control
  (dashboard.disclosure) for everyone but the secretariat.

Figures are "as at" the end of the range (or today, if the range has not ended): an
action's status and due date on that day are read from its updates, so a report for a
past range says what was open and overdue then, not now.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate, state_on
from actions.selectors import visible_actions
from dashboard import charts
from dashboard.disclosure import protect, unprotected
from dashboard.tables import NOTHING, Link, Table, numbers, withheld_note
from mappa import access
from mappa.models import Body, Organisation
from mappa.selectors import areas_for
from meetings.models import Meeting
from recommendations import selectors as plan
from recommendations.models import StatusUpdate
from reviews import selectors as returns
from reviews.models import QuarterlyReturn

ReturnStatus = QuarterlyReturn.Status

IN_TABLE = "The figures are in the table below the chart."


@dataclass
class Figure:
    """A table, and the chart drawn from it (some tables have none)."""

    table: Table
    chart: charts.Chart | None = None
    svg: str = ""  # the chart rendered (Dashboard.render_charts)


@dataclass
class Section:
    slug: str
    title: str
    lead: list  # paragraphs that say what the figures mean
    figures: list


@dataclass
class Dashboard:
    scope: object  # dashboard.filters.Scope
    sections: list
    sees_small_numbers: bool
    threshold: int

    def tables(self):
        return [figure.table for section in self.sections for figure in section.figures]

    def table(self, slug):
        """The table named ``slug``, or None."""
        return next((table for table in self.tables() if table.slug == slug), None)

    def render_charts(self, nonce=None):
        """Draw every chart as SVG: with the response's CSP nonce for the page, without for the PDF."""
        for section in self.sections:
            for figure in section.figures:
                if figure.chart is not None:
                    figure.svg = charts.render(figure.chart, nonce=nonce, description=IN_TABLE)
        return self


def sees_small_numbers(user):
    """Only the secretariat (and administrators) see counts below the disclosure threshold."""
    return access.has_role(user, *access.SECRETARIAT)


def dashboard(user, scope):
    """The whole dashboard for ``user`` within ``scope``; charts are drawn later (render_charts)."""
    threshold = settings.DISCLOSURE_THRESHOLD
    small = sees_small_numbers(user)
    return Dashboard(
        scope=scope,
        sections=[_recommendations(scope), _actions(user, scope), _returns(user, scope, small, threshold)],
        sees_small_numbers=small,
        threshold=threshold,
    )


def _day(day):
    return f"{day:%-d %B %Y}"


# ----------------------------------------------------------------------------------------------
# 1. Recommendations
# ----------------------------------------------------------------------------------------------

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


def _recommendations(scope):
    as_at = scope.as_at
    rows = plan.action_plan(as_at=as_at)
    summary = plan.plan_summary(rows)
    missing = sum(row.update is None for row in rows)
    by_status = _counts_table(
        "recommendations-by-status",
        f"Recommendations by status, as at {_day(as_at)}",
        "Recommendations by status",
        "Status",
        summary["by_status"],
        missing,
    )
    by_progress = _counts_table(
        "recommendations-by-progress",
        f"Recommendations by progress, as at {_day(as_at)}",
        "Recommendations by progress",
        "Progress",
        summary["by_progress"],
        missing,
    )

    listing = Table(
        slug="recommendations",
        title=f"Each recommendation's status and the inspectors' grade, as at {_day(as_at)}",
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
        columns=["Recommendation", *(_day(d) for d in dates)],
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
            columns=[_day(d) for d in dates],
            levels=[bands[value] for value in PROGRESS_LEVELS],
        )

    def counts_chart(table, title):
        return charts.bar_chart(
            title,
            labels=[row[0] for row in table.rows],
            series=[("Recommendations", [row[1] for row in table.rows])],
            horizontal=True,
            x_title="Number of recommendations",
        )

    return Section(
        slug="recommendations",
        title="Recommendations",
        lead=[
            f"The Scottish Government's action plan for the Joint Thematic Review's recommendations as it stood on "
            f"{_day(as_at)}, the inspectors' latest grades by then, and the plan at each NSG meeting in the range. "
            "The area and group filters do not apply to this section."
        ],
        figures=[
            Figure(by_status, counts_chart(by_status, by_status.title)),
            Figure(by_progress, counts_chart(by_progress, by_progress.title)),
            Figure(listing),
            Figure(over_time, strip),
        ],
    )


# ----------------------------------------------------------------------------------------------
# 2. Actions
# ----------------------------------------------------------------------------------------------

AGE_BANDS = [("Up to 30 days", "age_30"), ("31 to 90 days", "age_90"), ("Over 90 days", "age_older")]
ACTION_COLUMNS = ["Open", "Overdue", "Completed in the range"]


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_after(day):
    """The first moment after ``day``: updates before it had been made by the end of that day."""
    return _start_of(day + timedelta(days=1))


def _action_counts(scope, column, *, ref="pk"):
    """Count() of open, overdue and completed actions (``column``: what to count) on the state annotations.

    Completed in the range: complete on the "as at" day, its status last changed within the
    range. That change is the completion itself, so it is enough that some change of status
    falls within the range (an index lookup, made only for actions complete by then).
    """
    as_at = scope.as_at
    open_then = Q(status_then__in=Action.OPEN_STATUSES)
    overdue = open_then & Q(due_then__lt=as_at)
    changes = ActionUpdate.objects.filter(action=OuterRef(ref), at__lt=_day_after(as_at)).exclude(new_status="")
    if scope.start:
        changes = changes.filter(at__gte=_start_of(scope.start))
    completed = Q(status_then=Action.Status.COMPLETE) & Q(Exists(changes))
    distinct = column != "pk"
    return {
        "open": Count(column, filter=open_then, distinct=distinct),
        "overdue": Count(column, filter=overdue, distinct=distinct),
        "completed": Count(column, filter=completed, distinct=distinct),
    }


def _some(rows):
    """The rows with something to show. Filtered here, not in SQL: a HAVING clause would have the
    database work out each count a second time."""
    return [row for row in rows if row["open"] or row["overdue"] or row["completed"]]


def scoped_actions(user, scope):
    """The actions the user may read, raised by the range's "as at" day, in the group and area chosen."""
    actions = visible_actions(user).filter(meeting__date__lte=scope.as_at)
    if scope.body:
        actions = actions.filter(meeting__body=scope.body)
    if scope.area:
        # An area's actions: raised at its SOG's meetings or owned by its SOG as a whole.
        owned = Action.owner_bodies.through.objects.filter(body__area=scope.area).values("action_id")
        actions = actions.filter(Q(meeting__body__area=scope.area) | Q(pk__in=owned))
    return actions


def action_figures(user, scope):
    """Totals, overdue ageing, and counts by group and by owner (five queries, whatever the number of actions)."""
    as_at = scope.as_at
    actions = scoped_actions(user, scope)
    counts = _action_counts(scope, "pk")
    overdue = Q(status_then__in=Action.OPEN_STATUSES, due_then__lt=as_at)
    ages = {
        "age_30": Count("pk", filter=overdue & Q(due_then__gte=as_at - timedelta(days=30))),
        "age_90": Count(
            "pk", filter=overdue & Q(due_then__lt=as_at - timedelta(days=30), due_then__gte=as_at - timedelta(days=90))
        ),
        "age_older": Count("pk", filter=overdue & Q(due_then__lt=as_at - timedelta(days=90))),
    }
    # Each action was raised by one group, so the totals are the sums of the groups' counts.
    by_group = list(
        actions.as_on(as_at)
        .values("meeting__body__name", "meeting__body__kind")
        .annotate(**counts, **ages)
        .order_by("meeting__body__kind", "meeting__body__name")
    )
    totals = {key: sum(row[key] for row in by_group) for key in [*counts, *ages]}
    by_group = _some(by_group)

    # Owners: organisations named as owners, and the organisations of people named as owners (an
    # action owned by an organisation and by one of its people counts once for it); whole groups.
    ids = actions.values("pk")
    owner_state = state_on(as_at, ref="action_id", prefix="action__")
    owner_counts = _action_counts(scope, "action_id", ref="action_id")
    organisation_owners = Action.owner_organisations.through.objects
    named = _some(
        organisation_owners.filter(action__in=ids)
        .annotate(**owner_state)
        .values("organisation_id")
        .annotate(**owner_counts)
    )
    through_people = _some(
        Action.owner_people.through.objects.filter(action__in=ids)
        .exclude(
            Exists(
                organisation_owners.filter(
                    action_id=OuterRef("action_id"), organisation_id=OuterRef("person__organisation_id")
                )
            )
        )
        .annotate(**owner_state)
        .values(organisation_id=F("person__organisation_id"))
        .annotate(**owner_counts)
    )
    groups = _some(
        Action.owner_bodies.through.objects.filter(action__in=ids)
        .annotate(**owner_state)
        .values("body_id")
        .annotate(**owner_counts)
    )
    by_organisation = {}
    for row in [*named, *through_people]:
        figures = by_organisation.setdefault(row["organisation_id"], {"open": 0, "overdue": 0, "completed": 0})
        for key in figures:
            figures[key] += row[key]
    labels = {
        ("organisation", o.pk): o.label
        for o in Organisation.objects.filter(pk__in=by_organisation).select_related("parent")
    }
    labels.update(
        {
            ("group", b.pk): f"All {b.short_name or b.name} members"
            for b in Body.objects.filter(pk__in=[g["body_id"] for g in groups])
        }
    )
    by_owner = [(labels[("organisation", pk)], figures) for pk, figures in by_organisation.items()]
    by_owner += [(labels[("group", g["body_id"])], g) for g in groups]
    by_owner.sort(key=lambda entry: entry[0].lower())
    return totals, by_group, by_owner


def _actions(user, scope):
    as_at = scope.as_at
    totals, by_group, by_owner = action_figures(user, scope)

    def figures(row):
        return [row["open"], row["overdue"], row["completed"]]

    group_rows = [[row["meeting__body__name"], *figures(row)] for row in by_group]
    group_table = Table(
        slug="actions-by-group",
        title=f"Actions by the group that raised them, as at {_day(as_at)}",
        sheet="Actions by group",
        columns=["Group", *ACTION_COLUMNS],
        rows=group_rows + ([["All groups", *figures(totals)]] if group_rows else []),
        numeric=(1, 2, 3),
        notes=["Open and overdue: on the day the figures are as at. Completed: closed as complete within the range."],
    )
    owner_table = Table(
        slug="actions-by-owner",
        title=f"Actions by owning organisation or group, as at {_day(as_at)}",
        sheet="Actions by owner",
        columns=["Owner", *ACTION_COLUMNS],
        rows=[[label, *figures(row)] for label, row in by_owner],
        numeric=(1, 2, 3),
        notes=[
            "An organisation counts the actions it owns and those owned by its people. An action with several "
            "owners counts once for each."
        ],
    )
    age_table = Table(
        slug="overdue-actions-by-age",
        title=f"Overdue actions by how long overdue, as at {_day(as_at)}",
        sheet="Overdue actions by age",
        columns=["Overdue by", "Actions"],
        rows=[[label, totals[key]] for label, key in AGE_BANDS],
        numeric=(1,),
    )

    def grouped_chart(table, title):
        rows = [row for row in table.rows if row[0] != "All groups"]
        return charts.bar_chart(
            title,
            labels=[row[0] for row in rows],
            horizontal=True,
            x_title="Number of actions",
            series=[(name, [row[i + 1] for row in rows]) for i, name in enumerate(ACTION_COLUMNS)],
        )

    visibility = (
        " Inspectors see the actions of agreed minutes only."
        if access.roles_of(user) == {access.Role.INSPECTOR}
        else ""
    )
    return Section(
        slug="actions",
        title="Actions",
        lead=[
            f"Actions raised at meetings up to {_day(as_at)}: open and overdue on that day, and those completed "
            f"within the range.{visibility} The group filter chooses the group whose meetings raised them; the area "
            "filter, the actions of that area's SOG."
        ],
        figures=[
            Figure(group_table, grouped_chart(group_table, group_table.title) if group_rows else None),
            Figure(owner_table, grouped_chart(owner_table, owner_table.title) if owner_table.rows else None),
            Figure(
                age_table,
                charts.bar_chart(
                    age_table.title,
                    labels=[row[0] for row in age_table.rows],
                    series=[("Overdue actions", [row[1] for row in age_table.rows])],
                    x_title="Overdue by",
                    y_title="Number of actions",
                ),
            ),
        ],
    )


# ----------------------------------------------------------------------------------------------
# 3. Returns
# ----------------------------------------------------------------------------------------------

CASE_REVIEW_MEASURES = [
    ("initial_icrs_processed", "Initial ICRs"),
    ("progressed_to_full_icr", "Full ICRs"),
    ("scrs_commissioned", "SCRs"),
]
CATEGORY3_MEASURES = [("category3_accepted", "Accepted"), ("category3_declined", "Declined")]


def _matrix_cell(cell, *, full, linked):
    """A completeness matrix cell as this reader may see it."""
    if cell is None:
        return "Not expected"
    if full:
        text = cell.status_label
    elif cell.status == ReturnStatus.APPROVED:
        text = "Approved"
    else:
        text = "Awaiting approval" if cell.submitted else "Not submitted"
    if cell.late:
        text += " (late)"
    elif cell.submitted_late:
        text += " (submitted late)"
    if linked(cell):
        return Link(text, reverse("reviews:return-detail", kwargs=cell.url_kwargs))
    return text


def _linker(user):
    """Which matrix cells link to their return: those this user may open (reviews.selectors.find_return)."""
    if returns.is_secretariat(user):
        return lambda cell: True
    if returns.acts_for_areas(user):
        own = set(areas_for(user).values_list("pk", flat=True))
        return lambda cell: cell.area.pk in own
    return lambda cell: cell.status == ReturnStatus.APPROVED


@dataclass
class CountsByArea:
    """One measure's counts, area by area and quarter by quarter, as published (after disclosure control)."""

    areas: list  # (area id, name)
    table: object  # disclosure.ProtectedTable: rows = areas, columns = periods, with national totals


@dataclass
class ApprovedFigures:
    periods: list
    approved: dict = field(default_factory=dict)  # period id -> number of approved returns
    measures: dict = field(default_factory=dict)  # field name -> CountsByArea


def approved_figures(periods, measures, *, small, threshold):
    """Each measure by area and quarter from approved returns (one query), protected unless ``small``.

    Every area with an approved return in any of the periods is a row, whatever area the
    reader filters to: each quarter is protected as a whole, the same way in every view.
    """
    names = [name for name, _label in measures]
    found = list(
        QuarterlyReturn.objects.filter(status=ReturnStatus.APPROVED, period__in=periods)
        .values("area_id", "area__name", "period_id", *names)
        .order_by("area__name", "area_id")
    )
    areas = list(dict.fromkeys((row["area_id"], row["area__name"]) for row in found))
    row_of = {area_id: index for index, (area_id, _name) in enumerate(areas)}
    column_of = {period.pk: index for index, period in enumerate(periods)}
    result = ApprovedFigures(periods=periods)
    for row in found:
        result.approved[row["period_id"]] = result.approved.get(row["period_id"], 0) + 1
    for name in names:
        grid = [[None] * len(periods) for _ in areas]
        for row in found:
            grid[row_of[row["area_id"]]][column_of[row["period_id"]]] = row[name] or 0
        table = (
            unprotected(grid, row_totals=False, columns=len(periods))
            if small
            else protect(grid, threshold=threshold, row_totals=False, columns=len(periods))
        )
        result.measures[name] = CountsByArea(areas=areas, table=table)
    return result


def _national_table(slug, title, sheet, figures, measures, *, notes):
    periods = figures.periods
    rows = [
        [
            period.label,
            *(figures.measures[name].table.column_totals[i] for name, _label in measures),
            figures.approved.get(period.pk, 0),
        ]
        for i, period in enumerate(periods)
    ]
    columns = ["Quarter", *(label for _name, label in measures), "Approved returns"]
    return Table(
        slug=slug,
        title=title,
        sheet=sheet,
        columns=columns,
        rows=rows,
        numeric=tuple(range(1, len(columns))),
        notes=notes,
        empty="No quarters in this range.",
    )


def _by_area_table(slug, title, sheet, figures, measures, *, area, notes):
    rows = []
    first = figures.measures[measures[0][0]]
    for r, (area_id, name) in enumerate(first.areas):
        if area and area.pk != area_id:
            continue
        for c, period in enumerate(figures.periods):
            if first.table.cells[r][c] is None:
                continue  # no approved return for the quarter
            rows.append([name, period.label, *(figures.measures[m].table.cells[r][c] for m, _label in measures)])
    return Table(
        slug=slug,
        title=title,
        sheet=sheet,
        columns=["Area", "Quarter", *(label for _n, label in measures)],
        rows=rows,
        numeric=tuple(range(2, 2 + len(measures))),
        notes=notes,
        empty="No approved returns for these filters.",
    )


def _returns(user, scope, small, threshold):
    periods = scope.periods
    matrix = returns.returns_matrix(scope.today, periods=periods, areas=[scope.area] if scope.area else None)
    full = returns.is_secretariat(user)
    linked = _linker(user)
    completeness = Table(
        slug="returns-completeness",
        title="Returns by area and quarter",
        sheet="Returns by area and quarter",
        columns=["Area", *(period.label for period in matrix.periods)],
        rows=[
            [area.name, *(_matrix_cell(cell, full=full, linked=linked) for cell in cells)]
            for area, cells in matrix.rows
        ],
        notes=["Late: not submitted by the due date. Submitted late: first submitted after it."]
        + ([] if full else ["Returns awaiting approval cannot be read until the secretariat approves them."]),
        empty="No area owes a return in this range.",
    )
    rates = Table(
        slug="reporting-rates",
        title="Reporting and on-time rates by quarter",
        sheet="Reporting rates",
        columns=[
            "Quarter",
            "Returns expected",
            "Submitted",
            "Submitted on time",
            "Late (not submitted)",
            "Reporting rate (%)",
            "On-time rate (%)",
        ],
        rows=[
            [
                rate.period.label,
                rate.expected,
                rate.submitted,
                rate.on_time,
                rate.late,
                rate.reporting_rate,
                rate.on_time_rate,
            ]
            for rate in matrix.rates
        ],
        numeric=(1, 2, 3, 4, 5, 6),
        notes=[
            "Reporting rate: returns submitted ÷ returns expected. On-time rate: returns first submitted by the "
            "due date ÷ returns expected."
        ],
        empty="No quarters in this range.",
    )
    rates_chart = (
        charts.bar_chart(
            rates.title,
            labels=[row[0] for row in rates.rows],
            percent=True,
            y_title="Per cent of returns expected",
            series=[
                ("Reporting rate", numbers(row[5] for row in rates.rows)),
                ("On-time rate", numbers(row[6] for row in rates.rows)),
            ],
        )
        if rates.rows
        else None
    )

    protected = [] if small else [withheld_note(threshold)]
    approved_only = "From approved returns only."
    reviews = approved_figures(periods, CASE_REVIEW_MEASURES, small=small, threshold=threshold)
    national = _national_table(
        "case-reviews",
        "Case reviews in Scotland by quarter",
        "Case reviews",
        reviews,
        CASE_REVIEW_MEASURES,
        notes=[approved_only, *protected],
    )
    by_area = _by_area_table(
        "case-reviews-by-area",
        "Case reviews by area and quarter",
        "Case reviews by area",
        reviews,
        CASE_REVIEW_MEASURES,
        area=scope.area,
        notes=[approved_only, *protected],
    )
    category3 = approved_figures(periods, CATEGORY3_MEASURES, small=small, threshold=threshold)
    national3 = _national_table(
        "category-3-referrals",
        "Category 3 referrals in Scotland by quarter",
        "Category 3 referrals",
        category3,
        CATEGORY3_MEASURES,
        notes=[approved_only, *protected],
    )
    by_area3 = _by_area_table(
        "category-3-referrals-by-area",
        "Category 3 referrals by area and quarter",
        "Category 3 referrals by area",
        category3,
        CATEGORY3_MEASURES,
        area=scope.area,
        notes=[approved_only, *protected],
    )

    def measures_chart(table, measures):
        if not table.rows:
            return None
        return charts.bar_chart(
            table.title,
            labels=[row[0] for row in table.rows],
            y_title="Number",
            series=[(label, numbers(row[i + 1] for row in table.rows)) for i, (_name, label) in enumerate(measures)],
        )

    return Section(
        slug="returns",
        title="Quarterly returns",
        lead=[
            "Which areas have sent their quarterly returns, and the case review and Category 3 figures of the "
            "returns the secretariat has approved. The area filter narrows the returns and the figures by area; "
            "the figures for Scotland stay national. The group filter does not apply to this section."
        ],
        figures=[
            Figure(completeness),
            Figure(rates, rates_chart),
            Figure(national, measures_chart(national, CASE_REVIEW_MEASURES)),
            Figure(by_area),
            Figure(national3, measures_chart(national3, CATEGORY3_MEASURES)),
            Figure(by_area3),
        ],
    )
