"""The dashboard's second section: actions open, overdue and completed, by group, by owner and by age.

Which actions a reader sees is ``actions.selectors.visibility.visible_actions`` (inspectors: actions
of agreed minutes only). An action's status and due date on the "as at" day are read
from its updates (``Action.objects.as_on``, ``actions.models.state_on``), so a report for a
past range says what was open and overdue then, not now. Counted in the database: five
queries whatever the number of actions.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from actions.models import Action, ActionUpdate, state_on
from actions.selectors.visibility import visible_actions
from dashboard import charts
from dashboard.selectors.layout import Figure, Headline, Section, day_label
from dashboard.tables import Table
from mappa import access
from mappa.models import Body, Organisation

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


def actions_section(user, scope):
    """Actions open, overdue and completed, by group, by owner and by how long overdue."""
    as_at = scope.as_at
    totals, by_group, by_owner = action_figures(user, scope)

    def figures(row):
        return [row["open"], row["overdue"], row["completed"]]

    group_rows = [[row["meeting__body__name"], *figures(row)] for row in by_group]
    group_table = Table(
        slug="actions-by-group",
        title=f"Actions by the group that raised them, as at {day_label(as_at)}",
        sheet="Actions by group",
        columns=["Group", *ACTION_COLUMNS],
        rows=group_rows + ([["All groups", *figures(totals)]] if group_rows else []),
        numeric=(1, 2, 3),
        notes=["Open and overdue: on the day the figures are as at. Completed: closed as complete within the range."],
    )
    owner_table = Table(
        slug="actions-by-owner",
        title=f"Actions by owning organisation or group, as at {day_label(as_at)}",
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
        title=f"Overdue actions by how long overdue, as at {day_label(as_at)}",
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
            f"Actions raised at meetings up to {day_label(as_at)}: open and overdue on that day, and those completed "
            f"within the range.{visibility} The group filter chooses the group whose meetings raised them; the area "
            "filter, the actions of that area's SOG."
        ],
        headlines=[
            Headline(totals["open"], "open action" + ("" if totals["open"] == 1 else "s"), group_table.slug),
            Headline(totals["overdue"], "overdue", age_table.slug),
        ],
        figures=[
            Figure(group_table, grouped_chart(group_table, group_table.title) if group_rows else None),
            Figure(
                owner_table,
                grouped_chart(owner_table, owner_table.title) if owner_table.rows else None,
                folded=True,
            ),
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
