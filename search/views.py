"""/search/: one box for every record the user may open (issue 16)."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from mappa.access import EVERYONE, allow
from mappa.pagination import govuk_pagination
from search import selectors
from search.filters import SearchFilter


@allow(read=EVERYONE)
@require_http_methods(["GET", "HEAD"])
def search_page(request):
    """Results only for records the user could open (search/sources.py); filters and sorting in one GET form,
    so it works without JavaScript."""
    filters = SearchFilter(request.GET)
    form = filters.form
    # The filters ticked, kept through a form sent back with an error (it shows only the dates).
    kept = [(name, value) for name in ("kind", "group", "area") for value in request.GET.getlist(name)]
    context = {"form": form, "searched": None, "kept": kept}
    if form.is_valid():
        data = form.cleaned_data
        query_text = data["q"].strip()
        sort = data["sort"] or "relevance"
        if query_text:
            found = selectors.search(
                request.user, query_text, filters=filters, sort=sort, page_number=request.GET.get("page")
            )
            params = request.GET.copy()
            params.pop("page", None)
            other_sort = params.copy()
            other_sort["sort"] = "relevance" if sort == "date" else "date"
            context.update(
                searched=found,
                q=query_text,
                sort=sort,
                pagination=govuk_pagination(found.page, params),
                other_sort=other_sort.urlencode(),
                filtered=any(filters.chosen(name) for name in filters.filters),
            )
    return render(request, "search/search.html", context)
