"""The action register: its rows (owners prefetched), sorts, counts and pages.

Every query here is bounded: however many actions there are, a page of the register takes
the same number of queries (owners are prefetched, counts are one aggregate).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, Lower, NullIf
from django.utils import timezone

from actions.models import Action
from mappa import generation
from mappa.models import Body, Organisation, Person

PAGE_SIZE = 50


def with_owners(actions):
    """Actions with what a row shows: meeting, body and owners, in a fixed number of queries."""
    organisations = Prefetch("owner_organisations", queryset=Organisation.objects.select_related("parent"))
    return actions.select_related("meeting__body").prefetch_related("owner_people", organisations, "owner_bodies")


def _owner_sort_key():
    """The first owner as owner_label writes it: the groups, then organisations, then people."""
    body = (
        Body.objects.filter(actions=OuterRef("pk"))
        .annotate(
            key=Concat(
                Value("All "),
                Coalesce(NullIf("short_name", Value("")), "name"),
                Value(" members"),
                output_field=CharField(),
            )
        )
        .order_by("key")
        .values("key")[:1]
    )
    own = Coalesce(NullIf("short_name", Value("")), "name")
    organisation = (
        Organisation.objects.filter(actions=OuterRef("pk"))
        .annotate(
            key=Case(
                When(
                    parent__isnull=False,
                    then=Concat(
                        Coalesce(NullIf("parent__short_name", Value("")), "parent__name"),
                        Value(", "),
                        own,
                        output_field=CharField(),
                    ),
                ),
                default=own,
                output_field=CharField(),
            )
        )
        .order_by("key")
        .values("key")[:1]
    )
    person = Person.objects.filter(actions=OuterRef("pk")).order_by("name").values("name")[:1]
    return Lower(
        Coalesce(Subquery(body), Subquery(organisation), Subquery(person), Value(""), output_field=CharField())
    )


_STATUS_ORDER = Case(
    *(When(status=status, then=Value(index)) for index, status in enumerate(Action.Status.values)),
    output_field=IntegerField(),
)

# ?sort= values: (label, the ordering for ascending). "-key" sorts descending. Ties fall back to
# the citation order (meeting date, number) and then the primary key, so pages never overlap.
# "number" is the citation's order, "Action 1 from 16 February 2017 meeting": by meeting date, then number.
SORTS = {
    "number": ("Action (meeting date and number)", ("meeting__date", "number")),
    "due": ("Due date", ("due_date",)),
    "owner": ("Owner", ("owner_key",)),
    "status": ("Status", ("status_order",)),
}
DEFAULT_SORT = "due"


def parse_sort(value):
    """A valid sort ("due", "-due", ...) from the query string, or the default."""
    value = (value or "").strip()
    key = value.removeprefix("-")
    return value if key in SORTS else DEFAULT_SORT


def sort_label(sort):
    """How the register is sorted, in words: "due date, ascending" for "due"."""
    sort = parse_sort(sort)
    label = SORTS[sort.removeprefix("-")][0].lower()
    return f"{label}, {'descending' if sort.startswith('-') else 'ascending'}"


def sorted_actions(actions, sort):
    """Order actions by a ``parse_sort`` value, adding the annotations that sort needs."""
    sort = parse_sort(sort)
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    if key == "owner":
        actions = actions.annotate(owner_key=_owner_sort_key())
    elif key == "status":
        actions = actions.annotate(status_order=_STATUS_ORDER)
    ordering = [F(name).desc() if descending else F(name).asc() for name in SORTS[key][1]]
    tie_break = [F("meeting__date").asc(), F("number").asc(), F("pk").asc()]
    return actions.order_by(*ordering, *tie_break)


@dataclass
class Counts:
    """How many actions of the current filter are open, overdue, due within 7 days, complete."""

    total: int = 0
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    complete: int = 0


def overdue_q(today):
    return Q(status__in=Action.OPEN_STATUSES, due_date__lt=today)


def due_within_q(today, days):
    """Open actions due from today to ``days`` days ahead (not those already overdue)."""
    return Q(status__in=Action.OPEN_STATUSES, due_date__gte=today, due_date__lte=today + timedelta(days=days))


def register_counts(actions, today=None):
    """The counts at the top of the register, in one aggregate query."""
    today = today or timezone.localdate()
    # Counting "status" (never empty), not "id": every column the query reads is then in the index on
    # (status, due_date), which PostgreSQL can read alone (an index-only scan), not every row of the table.
    totals = actions.order_by().aggregate(
        total=Count("*"),
        open=Count("status", filter=Q(status__in=Action.OPEN_STATUSES)),
        overdue=Count("status", filter=overdue_q(today)),
        due_soon=Count("status", filter=due_within_q(today, 7)),
        complete=Count("status", filter=Q(status=Action.Status.COMPLETE)),
    )
    return Counts(**totals)


def register_counts_less(actions, hidden, today=None):
    """register_counts of ``actions`` less those of ``hidden`` (a few of them): two aggregates. An inspector's
    actions are every action less the few of minutes not yet agreed, and every action counts from the index
    alone, where the actions an inspector may read would be joined with their meetings."""
    whole, less = register_counts(actions, today), register_counts(hidden, today)
    return Counts(**{name: getattr(whole, name) - getattr(less, name) for name in Counts.__dataclass_fields__})


@dataclass(frozen=True)
class RegisterRow:
    """What a row of the register shows of an action, read once from it and its owners: plain data, so that a
    page of rows can be kept (building 50 actions, their meetings and owners is most of a page's time)."""

    pk: int
    citation: str
    group: str
    text: str
    owner_label: str
    due_date: date
    original_due_date: date
    status: Action.Status
    is_overdue: bool

    @classmethod
    def of(cls, action, today):
        body = action.meeting.body
        return cls(
            pk=action.pk,
            citation=action.citation,
            group=body.short_name or body.name,
            text=action.text,
            owner_label=action.owner_label,
            due_date=action.due_date,
            original_due_date=action.original_due_date,
            status=Action.Status(action.status),
            is_overdue=action.is_open and action.due_date < today,
        )


@dataclass
class RegisterPage:
    page: object  # django.core.paginator.Page of RegisterRow
    counts: Counts
    sort: str
    today: date


def register_page(actions, *, sort=None, page_number=None, today=None, counts=None, key=None):
    """One page of the register for already-filtered ``actions``, sorted, with the counts for all of them
    (``counts``, when the caller has counted them).

    The page's rows are RegisterRow; with ``key`` (what ``actions`` are: the reader, the filters, the day), they
    are kept until the data changes (mappa.generation). Queries: the counts, the page's rows, and three for
    the owners, whatever the number of actions.
    """
    today = today or timezone.localdate()
    sort = parse_sort(sort)
    counts = counts or register_counts(actions, today)
    paginator = Paginator(with_owners(sorted_actions(actions, sort)), PAGE_SIZE)
    paginator.count = counts.total  # already counted: no second count of every action
    page = paginator.get_page(page_number)

    def rows():
        return [RegisterRow.of(action, today) for action in page.object_list]

    page.object_list = generation.kept(f"actions:rows:{key}:{sort}:{page.number}", rows) if key else rows()
    return RegisterPage(page=page, counts=counts, sort=sort, today=today)
