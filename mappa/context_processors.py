"""Template context for the base layout: the navigation a user's roles allow."""

from django.urls import NoReverseMatch, resolve, reverse

from mappa import access

# (label, url name, url prefix that marks it current). Sections appear here as
# they are built; each link shows only to roles its view's rule lets read.
NAVIGATION = [
    ("Home", "home", None),
    ("Dashboard", "dashboard:index", "/dashboard/"),
    ("Meetings", "meetings:list", "/meetings/"),
    ("Actions", "actions:list", "/actions/"),
    ("Recommendations", "recommendations:plan", "/recommendations/"),
    ("Returns", "reviews:returns", "/returns/"),
    ("Case reviews", "case_reviews:list", "/case-reviews/"),
    ("Groups", "body-list", "/groups/"),
    ("FOI requests", "disclosure:register", "/disclosure/"),
    # Administrators. Anyone else given the right to read it (audit.view_auditevent) finds it on
    # their account page: checking a permission on every page would cost every page two queries.
    ("Audit log", "audit:log", "/audit/"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    roles = access.roles_of(user)
    items = []
    for label, url_name, prefix in NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        rule = access.rule_for(resolve(url).func)
        if rule is None or not rule.allows(roles, "GET"):
            continue
        current = request.path == url if prefix is None else request.path.startswith(prefix)
        items.append({"label": label, "url": url, "current": current})
    return {
        "navigation": items,
        "user_role_labels": [access.ROLE_LABELS[r] for r in sorted(roles)],
        "user_is_administrator": access.ADMINISTRATOR in roles,
    }
