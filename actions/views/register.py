"""The action register: every action the user may read, filtered, sorted, counted, 50 to a page.

Views parse the request, call a selector or service, and render. Who may read an action is
actions.selectors.visibility.visible_actions; every link on the register keeps the filters in force.
"""

from django.shortcuts import render

from actions.filters import ActionFilter
from actions.models import Action
from actions.selectors.register import SORTS, register_counts, register_counts_less, register_page, sort_label
from actions.selectors.visibility import hidden_actions, person_of, visible_actions
from mappa import generation
from mappa.access import EVERYONE, allow
from mappa.pagination import govuk_pagination

# Parameters that are not filters: kept in links, but not in the "Selected filters" panel.
NOT_FILTERS = ("sort", "page")


# ----------------------------------------------------------------------------------------------
# Query strings: every link on the register keeps the filters in force.
# ----------------------------------------------------------------------------------------------


def _query(params, *, drop=(), **changes):
    """``params`` (a QueryDict) as "?a=1&b=2", without the keys in ``drop``, with ``changes`` set."""
    query = params.copy()
    for key in drop:
        query.pop(key, None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        elif isinstance(value, (list, tuple)):
            query.setlist(key, list(value))
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _without(params, key, value):
    """The query string with one value of one filter removed (and the page reset)."""
    query = params.copy()
    query.pop("page", None)
    query.setlist(key, [v for v in query.getlist(key) if v != value])
    if key in ("due", "due_days"):  # together they make one filter
        query.pop("due", None)
        query.pop("due_days", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _filter_data(request):
    """The filters from the query string; the user's own checks ("overdue" etc.) pass through unchanged."""
    data = request.GET.copy()
    for key in NOT_FILTERS:
        data.pop(key, None)
    return data


def action_filterset(request):
    """The register's filters from the query string, over the actions the user may read."""
    user = request.user
    return ActionFilter(
        _filter_data(request), queryset=visible_actions(user), hidden=hidden_actions(user), request=request
    )


def _counts(filterset):
    """The register's counts for the filters, kept until the data changes (counting a national register's
    every readable action takes tens of milliseconds on each view). For a reader who may not read some
    actions (an inspector): every action filtered, less the hidden ones filtered (quicker than counting
    the readable ones)."""
    hidden = filterset.hidden

    def count():
        if hidden is None or hidden.query.is_empty():
            return register_counts(filterset.qs, filterset.today)
        everything = filterset.filter_queryset(Action.objects.all())
        return register_counts_less(everything, filterset.filter_queryset(hidden), filterset.today)

    return generation.kept(f"actions:counts:{filterset.key()}", count)


def _sort_headers(params, current):
    """Each sortable column: its label, aria-sort, and the link that sorts by it (or reverses it)."""
    key, descending = current.removeprefix("-"), current.startswith("-")
    headers = {}
    for name, (label, _) in SORTS.items():
        if name == key:
            aria = "descending" if descending else "ascending"
            target = name if descending else f"-{name}"
        else:
            aria, target = "none", name
        headers[name] = {"label": label, "aria_sort": aria, "href": _query(params, drop=("page",), sort=target)}
    return headers


# ----------------------------------------------------------------------------------------------
# The register
# ----------------------------------------------------------------------------------------------


@allow(read=EVERYONE)
def action_list(request):
    """Every action the user may read, filtered, sorted and counted, 50 to a page."""
    filterset = action_filterset(request).offer_lists()
    register = register_page(
        filterset.qs,
        sort=request.GET.get("sort"),
        page_number=request.GET.get("page"),
        today=filterset.today,
        counts=_counts(filterset),
        key=filterset.key(),
    )
    params = request.GET
    filters_only = _query(params, drop=NOT_FILTERS)
    selected = [
        {
            "heading": heading,
            "items": [{"label": label, "href": _without(params, key, value)} for key, value, label in items],
        }
        for heading, items in filterset.selected()
    ]
    counts = register.counts
    chosen = set(params.getlist("status"))

    def statuses(wanted):
        return [str(s) for s in wanted if not chosen or str(s) in chosen]

    # Each count links to the actions it counts: the current filter narrowed (no link when there are none).
    count_links = [
        (counts.open, "open", _query(params, drop=("page",), status=statuses(Action.OPEN_STATUSES))),
        (counts.overdue, "overdue", _query(params, drop=("page",), overdue="yes")),
        (counts.due_soon, "due in the next 7 days", _query(params, drop=("page", "due_days"), due="7")),
        (counts.complete, "complete", _query(params, drop=("page",), status=statuses([Action.Status.COMPLETE]))),
    ]
    count_links = [(number, label, href if number else None) for number, label, href in count_links]
    export_query = _query(params, drop=("page",))
    form = filterset.checked_form
    return render(
        request,
        "actions/action_list.html",
        {
            "filter": filterset,
            "filter_form": form,
            # base.html shows the GOV.UK error summary for `form` (a filter the query string got wrong).
            "form": form if form.errors else None,
            "register": register,
            "page": register.page,
            "counts": counts,
            "count_links": count_links,
            "selected": selected,
            "clear_href": _query(params, drop=[k for k in params if k != "sort"]),
            "headers": _sort_headers(params, register.sort),
            "pagination": govuk_pagination(register.page, params),
            "export_query": "" if export_query == "?" else export_query,
            "filters_query": filters_only,
            "sort": register.sort,
            "sort_label": sort_label(register.sort),
            "can_filter_mine": person_of(request.user) is not None,
        },
        status=400 if form.errors else 200,
    )
