"""Reading actions for the register, an action's page and the exports.

Every query here is bounded: however many actions there are, a page of the
register, an action's page or an export takes the same number of queries
(owners, updates and agenda items are prefetched, counts are one aggregate).

``may_update`` is the one rule for who may add a progress update to an action;
``visible_actions`` the one rule for which actions a user may read.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, Lower, NullIf
from django.http import Http404
from django.utils import timezone

from actions.models import Action, ActionUpdate
from mappa import access
from mappa.models import Body, Membership, Organisation, Person
from meetings.models import AgendaItem, Meeting
from meetings.numbering import numbered_agenda

PAGE_SIZE = 50
# Roles that may ever add an update to an action: the secretariat to any, owners to their own.
UPDATER_ROLES = frozenset(
    {access.Role.SECRETARIAT, access.Role.SOG_CHAIR, access.Role.NSG_MEMBER, access.ADMINISTRATOR}
)
# Inspectors read actions once the minute that records them is agreed, as they read minutes.
AGREED_STATUSES = (Meeting.Status.MINUTES_AGREED, Meeting.Status.PUBLISHED)


# ----------------------------------------------------------------------------------------------
# Who may read and who may update
# ----------------------------------------------------------------------------------------------


def person_of(user):
    """The Person a login belongs to, or None (cached on the user, as ``user.person`` is)."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def owned_by(person, on=None):
    """A filter for the actions ``person`` owns, on a date (today by default).

    A person owns an action when they are named as an owner, when they are a named
    contact of an owning organisation (Organisation.contacts), or when they hold a
    current seat on an owning body ("All NSG members"). Written as subqueries, so
    filtering by it never repeats an action.
    """
    seats = Membership.objects.current(on).filter(person=person).values("body_id")
    return (
        Q(pk__in=Action.owner_people.through.objects.filter(person=person).values("action_id"))
        | Q(pk__in=Action.owner_organisations.through.objects.filter(organisation__contacts=person).values("action_id"))
        | Q(pk__in=Action.owner_bodies.through.objects.filter(body_id__in=seats).values("action_id"))
    )


def may_update(user, action):
    """Whether ``user`` may add a progress update to ``action``.

    The secretariat (and administrators) may update any action. An SOG chair or
    NSG member may update the actions they own (see ``owned_by``): as a named
    owner, as a named contact of an owning organisation, or as a current member
    of an owning body. Inspectors never may, whatever they own; nor may anyone else.
    """
    roles = access.roles_of(user)
    if roles & access.SECRETARIAT:
        return True
    if not roles & UPDATER_ROLES:
        return False
    person = person_of(user)
    if person is None:
        return False
    return Action.objects.filter(pk=action.pk).filter(owned_by(person)).exists()


def may_edit(user):
    """Whether ``user`` may edit actions themselves (text, owners, due date, status): the secretariat."""
    return access.has_role(user, *access.SECRETARIAT)


def visible_actions(user):
    """The actions ``user`` may read: all of them, except that inspectors see only those of agreed minutes.

    An action is part of its meeting's minute; like the minute (see
    meetings.rules.may_read_minutes), it is not the inspectors' to
    see until the minute is agreed.
    """
    actions = Action.objects.all()
    roles = access.roles_of(user)
    if not (roles - {access.Role.INSPECTOR}):
        actions = actions.filter(meeting__status__in=AGREED_STATUSES)
    return actions


# ----------------------------------------------------------------------------------------------
# The register
# ----------------------------------------------------------------------------------------------


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
    totals = actions.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(today)),
        due_soon=Count("pk", filter=due_within_q(today, 7)),
        complete=Count("pk", filter=Q(status=Action.Status.COMPLETE)),
    )
    return Counts(**totals)


@dataclass
class RegisterPage:
    page: object  # django.core.paginator.Page of actions, owners prefetched
    counts: Counts
    sort: str
    today: date


def register_page(actions, *, sort=None, page_number=None, today=None):
    """One page of the register for already-filtered ``actions``, sorted, with the counts for all of them.

    Each action on the page carries ``is_overdue``. Queries: the counts, the page's
    count and rows, and three for the owners, whatever the number of actions.
    """
    today = today or timezone.localdate()
    counts = register_counts(actions, today)
    rows = with_owners(sorted_actions(actions, sort))
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(page_number)
    for action in page.object_list:
        action.is_overdue = action.is_open and action.due_date < today
    return RegisterPage(page=page, counts=counts, sort=parse_sort(sort), today=today)


# ----------------------------------------------------------------------------------------------
# One action
# ----------------------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    """One dated entry on an action's page: an update, or the action being raised."""

    title: str
    at: object
    author: str
    text: str = ""
    reason: str = ""
    new_status: str = ""
    new_due_date: date | None = None
    noted_at: Meeting | None = None
    raised: bool = False


@dataclass
class ActionPage:
    action: Action
    item_number: str
    owners: list  # (kind, label): kind is "group", "organisation" or "person"
    timeline: list
    closure: ActionUpdate | None
    is_overdue: bool
    can_update: bool
    can_edit: bool


def _author(user):
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


def _timeline_title(update):
    parts = []
    if update.new_status:
        parts.append(
            {
                Action.Status.OPEN: "Reopened",
                Action.Status.IN_PROGRESS: "Marked in progress",
                Action.Status.COMPLETE: "Marked complete",
                Action.Status.DROPPED: "Dropped or superseded",
            }[update.new_status]
        )
    if update.new_due_date:
        parts.append(f"Due date moved to {update.new_due_date:%-d %B %Y}")
    return "; ".join(parts) or "Progress update"


def get_action(pk, user):
    """The action ``pk`` with its meeting, item and owners, if ``user`` may read it; else Http404."""
    action = (
        with_owners(visible_actions(user).select_related("agenda_item", "created_by__person")).filter(pk=pk).first()
    )
    if action is None:
        raise Http404("No such action")
    return action


def action_page(pk, user, today=None):
    """An action with its owners, its item's number and its timeline (newest first); Http404 if not readable."""
    today = today or timezone.localdate()
    action = get_action(pk, user)
    updates = list(
        ActionUpdate.objects.filter(action=action)
        .select_related("author__person", "noted_at__body")
        .order_by("-at", "-id")
    )
    items = AgendaItem.objects.filter(meeting_id=action.meeting_id).only("id", "parent_id", "position", "meeting_id")
    numbers = {entry.item.id: entry.number for entry in numbered_agenda(list(items))}
    owners = [("group", f"All {b.short_name or b.name} members") for b in action.owner_bodies.all()]
    owners += [("organisation", o.label) for o in action.owner_organisations.all()]
    owners += [("person", p.name) for p in action.owner_people.all()]
    timeline = [
        TimelineEntry(
            title=_timeline_title(u),
            at=u.at,
            author=_author(u.author),
            text=u.text,
            reason=u.reason,
            new_status=u.new_status,
            new_due_date=u.new_due_date,
            noted_at=u.noted_at,
        )
        for u in updates
    ]
    timeline.append(
        TimelineEntry(
            title="Action raised",
            at=action.created_at,
            author=_author(action.created_by),
            raised=True,
            text=f"Raised at the meeting of {action.meeting.date:%-d %B %Y}, due {action.original_due_date:%-d %B %Y}.",
        )
    )
    closure = None
    if not action.is_open:
        closure = next((u for u in updates if u.new_status == action.status), None)
    return ActionPage(
        action=action,
        item_number=numbers.get(action.agenda_item_id, ""),
        owners=owners,
        timeline=timeline,
        closure=closure,
        is_overdue=action.is_open and action.due_date < today,
        can_update=may_update(user, action),
        can_edit=may_edit(user),
    )


def meetings_for_noting(action):
    """Meetings at which an update on ``action`` may be noted: later meetings of the same group."""
    return (
        Meeting.objects.filter(body_id=action.meeting.body_id, date__gt=action.meeting.date)
        .select_related("body")
        .order_by("date", "start_time")
    )


# ----------------------------------------------------------------------------------------------
# Exports
# ----------------------------------------------------------------------------------------------


def export_rows(actions, *, sort=None, today=None):
    """Every action of the filter, sorted, ready for a spreadsheet: owners, item number, latest update.

    Each action carries ``item_number``, ``latest_update`` (or None) and ``is_overdue``.
    A fixed number of queries: the actions, their owners (3), their updates, and the
    agenda items of their meetings.
    """
    today = today or timezone.localdate()
    updates = ActionUpdate.objects.order_by("-at", "-id")
    rows = list(
        with_owners(sorted_actions(actions, sort))
        .select_related("agenda_item")
        .prefetch_related(Prefetch("updates", queryset=updates))
    )
    _number_items(rows)
    for action in rows:
        every = list(action.updates.all())
        action.latest_update = every[0] if every else None
        action.is_overdue = action.is_open and action.due_date < today
    return rows


def _number_items(actions):
    meeting_ids = {action.meeting_id for action in actions}
    by_meeting = {}
    for item in AgendaItem.objects.filter(meeting_id__in=meeting_ids).only("id", "parent_id", "position", "meeting_id"):
        by_meeting.setdefault(item.meeting_id, []).append(item)
    numbers = {}
    for items in by_meeting.values():
        numbers.update({entry.item.id: entry.number for entry in numbered_agenda(items)})
    for action in actions:
        action.item_number = numbers.get(action.agenda_item_id, "")


@dataclass
class OwnerGroup:
    """The open actions of one owner, for the PDF: an action with three owners is under each."""

    kind: str
    label: str
    actions: list


_KIND_ORDER = {"group": 0, "organisation": 1, "person": 2}


def open_actions_by_owner(actions, today=None):
    """The open actions among ``actions``, grouped by owner (groups, organisations, people; A to Z).

    Within an owner, actions are in due-date order. Queries do not grow with the
    number of actions or owners.
    """
    today = today or timezone.localdate()
    rows = list(
        with_owners(actions.filter(status__in=Action.OPEN_STATUSES)).order_by(
            "due_date", "meeting__date", "number", "pk"
        )
    )
    groups = {}
    for action in rows:
        action.is_overdue = action.due_date < today
        owners = [("group", f"All {b.short_name or b.name} members", b.pk) for b in action.owner_bodies.all()]
        owners += [("organisation", o.label, o.pk) for o in action.owner_organisations.all()]
        owners += [("person", p.name, p.pk) for p in action.owner_people.all()]
        for kind, label, pk in owners or [("none", "No owner recorded", 0)]:
            group = groups.setdefault((kind, pk), OwnerGroup(kind=kind, label=label, actions=[]))
            group.actions.append(action)
    return sorted(groups.values(), key=lambda g: (_KIND_ORDER.get(g.kind, 3), g.label.lower()))
