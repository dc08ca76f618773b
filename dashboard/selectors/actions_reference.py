"""The actions figures by direct aggregation: the reference the dashboard's fast path is checked against.

This is how the dashboard counted actions before it had to serve a national dataset (issue
17): every action's state on the "as at" day worked out in each of four aggregates, and
"completed in the range" as an index probe per completed action. Slow at scale (about 2 s
over 200,000 actions), but plainly right: tests/dashboard/test_fast_figures.py requires
``actions_section.action_figures`` to give exactly these figures on random worlds.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from actions.models import Action, ActionUpdate, state_on
from dashboard.selectors.actions_section import scoped_actions
from mappa.models import Body, Organisation


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
