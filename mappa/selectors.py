"""Read-only queries for the core pages: the home page and the groups directory."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from mappa import access, registry
from mappa.models import Area, Body, Membership, Person


def person_for(user):
    """The Person behind a login, or None (an administrator may have none)."""
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("organisation__parent").filter(user=user).first()


def areas_for(user):
    """Areas a user acts for: those of SOGs where they are currently chair, deputy or coordinator.

    The secretariat and administrators act for every area.
    """
    if access.has_role(user, *access.SECRETARIAT):
        return Area.objects.all()
    if not access.has_role(user, access.Role.SOG_CHAIR):
        return Area.objects.none()
    seats = Membership.objects.current().filter(
        person__user=user, role__in=Membership.AREA_ROLES, body__kind=Body.Kind.STRATEGIC_OVERSIGHT_GROUP
    )
    return Area.objects.filter(oversight_group__memberships__in=seats).distinct()


def current_memberships(person):
    if person is None:
        return Membership.objects.none()
    return (
        Membership.objects.current()
        .filter(person=person)
        .select_related("body", "body__area", "representing")
        .order_by("body__kind", "body__name")
    )


@dataclass
class AttentionItem:
    """One thing on the home page that needs someone's attention."""

    title: str
    detail: str
    url: str = ""


@dataclass
class HomePage:
    person: Person | None
    roles: frozenset
    role_labels: list
    memberships: list
    areas: list
    attention: list = field(default_factory=list)
    is_read_only: bool = False
    is_secretariat: bool = False
    is_administrator: bool = False


def _secretariat_attention():
    """Gaps in the directory that the secretariat should fix."""
    items = []
    today = timezone.localdate()
    chairless = (
        Body.objects.filter(kind=Body.Kind.STRATEGIC_OVERSIGHT_GROUP, active=True)
        .annotate(
            chairs=Count(
                "memberships",
                filter=Q(memberships__role=Membership.Role.CHAIR)
                & (Q(memberships__started_on__isnull=True) | Q(memberships__started_on__lte=today))
                & (Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gte=today)),
            )
        )
        .filter(chairs=0)
        .order_by("name")
    )
    for body in chairless:
        items.append(
            AttentionItem(f"{body.name} has no current chair", "Record who chairs it.", body.get_absolute_url())
        )
    ending = (
        Membership.objects.filter(ended_on__gte=today, ended_on__lte=today + timedelta(days=30))
        .select_related("person", "body")
        .order_by("ended_on")
    )
    for seat in ending:
        items.append(
            AttentionItem(
                f"{seat.person.name}'s seat on {seat.body.name} ends on {seat.ended_on:%-d %B %Y}",
                "Arrange a replacement or extend the membership.",
                seat.body.get_absolute_url(),
            )
        )
    return items


def home_page(user):
    """What the signed-in user sees first: their roles, seats, areas and what needs attention."""
    roles = access.roles_of(user)
    person = person_for(user)
    is_secretariat = bool(roles & access.SECRETARIAT)
    page = HomePage(
        person=person,
        roles=roles,
        role_labels=[access.ROLE_LABELS[r] for r in sorted(roles)],
        memberships=list(current_memberships(person)),
        areas=list(areas_for(user).select_related("oversight_group")) if access.Role.SOG_CHAIR in roles else [],
        is_read_only=roles == {access.Role.INSPECTOR},
        is_secretariat=is_secretariat,
        is_administrator=access.ADMINISTRATOR in roles,
    )
    if is_secretariat:
        page.attention = _secretariat_attention()
    # Each part of the service adds what needs the user's attention (registered from its AppConfig.ready()).
    for provider in registry.attention_providers():
        page.attention += provider(user)
    return page


def body_directory():
    """Every body with its area and the number of current members, grouped by kind."""
    today = timezone.localdate()
    current = (Q(memberships__started_on__isnull=True) | Q(memberships__started_on__lte=today)) & (
        Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gte=today)
    )
    return (
        Body.objects.select_related("area", "reports_to")
        .annotate(member_count=Count("memberships", filter=current))
        .order_by("kind", "name")
    )


def body_detail(slug):
    """One body with its current and past members, each with organisation."""
    seats = Membership.objects.select_related("person__organisation__parent", "representing").order_by(
        "role", "person__name"
    )
    body = (
        Body.objects.select_related("area", "reports_to")
        .prefetch_related(Prefetch("memberships", queryset=seats))
        .get(slug=slug)
    )
    today = timezone.localdate()
    current, past = [], []
    for seat in body.memberships.all():
        ended = seat.ended_on is not None and seat.ended_on < today
        (past if ended else current).append(seat)
    return body, current, past
