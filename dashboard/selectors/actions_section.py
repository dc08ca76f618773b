"""The dashboard's second section: actions open, overdue and completed, by group, by owner and by age.

Which actions a reader sees is ``actions.selectors.visibility.visible_actions`` (inspectors: actions
of agreed minutes only). An action's status and due date on the "as at" day are read
from its updates (``Action.objects.as_on``, ``actions.models.state_on``), so a report for a
past range says what was open and overdue then, not now. Counted in the database by band
(``action_figures``): four grouped counts whatever the number of actions, the same figures as
the direct aggregation kept in dashboard.selectors.actions_reference.
"""

from datetime import datetime, time, timedelta

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When
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
FIGURES = ("open", "overdue", "completed", "age_30", "age_90", "age_older")


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_after(day):
    """The first moment after ``day``: updates before it had been made by the end of that day."""
    return _start_of(day + timedelta(days=1))


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


def _bands(scope, *, ref="pk", prefix=""):
    """Annotations that put each action in one band: open (not overdue), overdue by age, completed, or none.

    Counting actions by band, grouped by what the table is by, is one pass over them with a
    small hash aggregate (not a sort of every row, and not each count working out the state
    again). An action's status and due date on the "as at" day are its columns when no
    update has been made since (one indexed look-up; the usual case, figures as at today),
    else ``state_on``. Completed in the range: complete then, and some change of status
    within the range (the completion itself, see dashboard.selectors.actions_reference), read
    as one set of actions for the query rather than a probe per action.
    """
    as_at = scope.as_at
    cutoff = _day_after(as_at)
    if ActionUpdate.objects.filter(at__gte=cutoff).exists():
        state = state_on(as_at, ref=ref, prefix=prefix)
    else:
        state = {"status_then": F(f"{prefix}status"), "due_then": F(f"{prefix}due_date")}
    changes = ActionUpdate.objects.filter(at__lt=cutoff).exclude(new_status="")
    if scope.start:
        changes = changes.filter(at__gte=_start_of(scope.start))
    open_then = Q(status_then__in=Action.OPEN_STATUSES)
    band = Case(
        When(open_then & Q(due_then__gte=as_at), then=Value("open")),
        When(open_then & Q(due_then__gte=as_at - timedelta(days=30)), then=Value("age_30")),
        When(open_then & Q(due_then__gte=as_at - timedelta(days=90)), then=Value("age_90")),
        When(open_then, then=Value("age_older")),
        When(
            Q(status_then=Action.Status.COMPLETE, **{f"{ref}__in": changes.values("action_id")}),
            then=Value("completed"),
        ),
        default=Value(""),
        output_field=CharField(),
    )
    return state, band


def _figures(rows, key):
    """{key: {open, overdue, completed, age_30, age_90, age_older}} from rows of (key, band, n)."""
    found = {}
    for row in rows:
        figures = found.setdefault(row[key], dict.fromkeys(FIGURES, 0))
        band, n = row["band"], row["n"]
        if band == "completed":
            figures["completed"] += n
        elif band:
            figures["open"] += n
            if band != "open":
                figures["overdue"] += n
                figures[band] += n
    return found


def _counted(queryset, key, scope, *, ref, prefix, distinct):
    state, band = _bands(scope, ref=ref, prefix=prefix)
    rows = queryset.annotate(**state).annotate(band=band).values(key, "band").annotate(n=Count(ref, distinct=distinct))
    return _figures(rows.order_by(), key)


def _some(figures):
    """The rows with something to show."""
    return {key: row for key, row in figures.items() if row["open"] or row["overdue"] or row["completed"]}


def action_figures(user, scope):
    """Totals, overdue ageing, and counts by group and by owner: four aggregates, whatever the number of actions.

    The same figures as dashboard.selectors.actions_reference (the direct aggregation, kept to
    check this against), counted by band; tests/dashboard/test_fast_figures.py holds them equal.
    """
    actions = scoped_actions(user, scope)
    per_group = _counted(actions, "meeting__body_id", scope, ref="pk", prefix="", distinct=False)

    # Owners: organisations named as owners, and the organisations of people named as owners (an
    # action owned by an organisation and by one of its people counts once for it); whole groups.
    # Each owner appears once per action in the first and last (Django's many-to-many rows are
    # unique), so only the people's organisations need a distinct count.
    ids = actions.values("pk")
    owner = {"scope": scope, "ref": "action_id", "prefix": "action__"}
    organisation_owners = Action.owner_organisations.through.objects
    named = _counted(organisation_owners.filter(action__in=ids), "organisation_id", **owner, distinct=False)
    through_people = _counted(
        Action.owner_people.through.objects.filter(action__in=ids)
        .exclude(
            Exists(
                organisation_owners.filter(
                    action_id=OuterRef("action_id"), organisation_id=OuterRef("person__organisation_id")
                )
            )
        )
        .annotate(owning_organisation=F("person__organisation_id")),
        "owning_organisation",
        **owner,
        distinct=True,
    )
    groups = _some(
        _counted(Action.owner_bodies.through.objects.filter(action__in=ids), "body_id", **owner, distinct=False)
    )

    # In the order the table shows the groups (by kind and name, in the database's collation); groups of
    # the same kind and name share a row, as they would grouped by name in SQL.
    bodies = Body.objects.filter(pk__in=[*per_group, *groups]).order_by("kind", "name")
    by_name = {}
    for body in bodies:
        if body.pk not in per_group:
            continue
        row = by_name.setdefault(
            (body.kind, body.name),
            {"meeting__body__name": body.name, "meeting__body__kind": body.kind, **dict.fromkeys(FIGURES, 0)},
        )
        for key in FIGURES:
            row[key] += per_group[body.pk][key]
    bodies = {body.pk: body for body in bodies}
    by_group = list(by_name.values())
    totals = {key: sum(row[key] for row in by_group) for key in FIGURES}
    by_group = [row for row in by_group if row["open"] or row["overdue"] or row["completed"]]

    by_organisation = {}
    for found in (_some(named), _some(through_people)):
        for pk, row in found.items():
            figures = by_organisation.setdefault(pk, {"open": 0, "overdue": 0, "completed": 0})
            for key in figures:
                figures[key] += row[key]
    organisations = Organisation.objects.filter(pk__in=by_organisation).select_related("parent")
    labels = {organisation.pk: organisation.label for organisation in organisations}
    by_owner = [(labels[pk], figures) for pk, figures in by_organisation.items()]
    by_owner += [
        (
            f"All {bodies[pk].short_name or bodies[pk].name} members",
            {key: row[key] for key in ("open", "overdue", "completed")},
        )
        for pk, row in groups.items()
    ]
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
