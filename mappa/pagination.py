"""Long lists a page at a time, with the GOV.UK pagination component (templates/includes/pagination.html)."""

from django.core.paginator import Paginator


def page_of(rows, page_number, per_page):
    """One page of ``rows`` (a queryset: only that page's rows are fetched); a bad page number gives the nearest."""
    return Paginator(rows, per_page).get_page(page_number)


def _href(params, number):
    query = params.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


def govuk_pagination(page, params):
    """GOV.UK pagination for ``page``: previous, next, and page numbers with ellipses around the current one.

    Every link keeps the other query-string parameters (``params``, a QueryDict: the
    filters and sort in force). None when everything fits on one page.
    """
    if page.paginator.num_pages <= 1:
        return None
    current, last = page.number, page.paginator.num_pages
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items, previous = [], None
    for number in shown:
        if previous is not None and number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "current": number == current, "href": _href(params, number)})
        previous = number
    return {
        "items": items,
        "previous": _href(params, current - 1) if page.has_previous() else None,
        "next": _href(params, current + 1) if page.has_next() else None,
    }
