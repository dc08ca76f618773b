"""Who may use which view: roles, access rules and the middleware that enforces them.

Every view in the service declares an AccessRule with the ``allow`` decorator
(or an ``access_rule`` attribute on a class-based view). The middleware refuses
any request to a view that declares nothing, so a new view is closed until its
author says who may use it; tests/mappa/test_url_permissions.py checks every
URL pattern against its rule.

GET, HEAD and OPTIONS are reads; every other method is a write. Inspectors may
never write: an AccessRule that tried to allow it cannot be built.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from mappa.models import Person

logger = logging.getLogger(__name__)

Role = Person.AccessRole
ADMINISTRATOR = "administrator"

SECRETARIAT = frozenset({Role.SECRETARIAT, ADMINISTRATOR})
EVERYONE = frozenset({*Role.values, ADMINISTRATOR})
NOBODY = frozenset()
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

ROLE_LABELS = {**dict(Role.choices), ADMINISTRATOR: "Administrator"}


@dataclass(frozen=True)
class AccessRule:
    """The roles that may read (GET/HEAD) and write (POST and the rest) through a view."""

    read: frozenset
    write: frozenset = NOBODY
    # A person's own account (their password) is theirs to change, whatever their
    # role: such views change no record of the service.
    own_account: bool = False
    # A view whose POST only asks for a document to be prepared from what the reader may already read (the
    # dashboard's progress report, laid out by a worker): it changes no record of the service, so inspectors
    # may ask too.
    asks_for_a_document: bool = False
    # A Django permission that also lets a login read (never write) through the view, whatever its
    # role: e.g. "audit.view_auditevent", given in /admin/ to the secretariat's lead for /audit/.
    read_permission: str = ""

    def __post_init__(self):
        if Role.INSPECTOR in self.write and not (self.own_account or self.asks_for_a_document):
            raise ImproperlyConfigured("Inspectors can change nothing: no view may let them write.")
        unknown = (self.read | self.write) - EVERYONE
        if unknown:
            raise ImproperlyConfigured(f"Unknown roles in access rule: {sorted(unknown)}")

    def allows(self, roles, method):
        allowed = self.read if method.upper() in READ_METHODS else self.write
        return bool(allowed & roles)

    def allows_user(self, user, method):
        """Whether ``user`` may use the view with ``method``: by role, or to read, by the rule's permission."""
        if self.allows(roles_of(user), method):
            return True
        return bool(
            self.read_permission
            and method.upper() in READ_METHODS
            and user.is_authenticated
            and user.has_perm(self.read_permission)
        )


# The Django admin is for administrators only (its own staff check still applies).
ADMIN_SITE_RULE = AccessRule(read=frozenset({ADMINISTRATOR}), write=frozenset({ADMINISTRATOR}))


def allow(read, write=NOBODY, read_permission="", asks_for_a_document=False):
    """Declare who may use a view: ``@allow(read=EVERYONE, write=SECRETARIAT)``.

    ``read_permission``: a Django permission that also lets a login read it (``audit.view_auditevent``).
    ``asks_for_a_document``: its POST only asks for a document of what the reader may read (AccessRule).
    """
    rule = AccessRule(
        read=frozenset(read),
        write=frozenset(write),
        read_permission=read_permission,
        asks_for_a_document=asks_for_a_document,
    )

    def decorate(view):
        view.access_rule = rule
        return view

    return decorate


def own_account(view):
    """Declare a view that changes only the signed-in user's own credentials."""
    view.access_rule = AccessRule(read=EVERYONE, write=EVERYONE, own_account=True)
    return view


def roles_of(user):
    """The set of roles a logged-in user holds (empty for anonymous users)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_mappa_roles", None)
    if cached is not None:
        return cached
    roles = set()
    if user.is_superuser:
        roles.add(ADMINISTRATOR)
    person = Person.objects.filter(user=user).only("access_role").first()
    if person and person.access_role:
        roles.add(person.access_role)
    user._mappa_roles = frozenset(roles)
    return user._mappa_roles


def has_role(user, *wanted):
    return bool(roles_of(user) & set(wanted))


def rule_for(view_func, resolver_match=None):
    """The AccessRule a view declares, or None if it declares none."""
    if resolver_match is not None and resolver_match.app_name == "admin":
        return ADMIN_SITE_RULE
    rule = getattr(view_func, "access_rule", None)
    if rule is None:
        rule = getattr(getattr(view_func, "view_class", None), "access_rule", None)
    return rule


def is_public(view_func):
    """Views marked login_not_required (login, password reset, /healthz)."""
    return getattr(view_func, "login_required", True) is False


class AccessRuleMiddleware:
    """Refuse requests that the resolved view's AccessRule does not allow.

    Runs after Django's LoginRequiredMiddleware, so anonymous visitors have
    already been sent to the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public(view_func):
            return None
        rule = rule_for(view_func, request.resolver_match)
        if rule is None:
            logger.error("View %s declares no access rule; refusing.", request.resolver_match.view_name)
            raise PermissionDenied("This page has no access rule.")
        if not rule.allows_user(request.user, request.method):
            raise PermissionDenied("Your role does not allow this.")
        return None
