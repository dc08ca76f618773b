"""/search/: one box for every record the user may open (issue 16)."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from mappa.access import EVERYONE, allow
from mappa.pagination import govuk_pagination
from search import selectors
from search.forms import SearchForm


@allow(read=EVERYONE)
@require_http_methods(["GET", "HEAD"])
def search_page(request):
    """Results only for records the user could open (search/sources.py); works without JavaScript."""
    form = SearchForm(request.GET)
    context = {"form": form, "searched": None}
    if form.is_valid():
        data = form.cleaned_data
        query_text = data["q"].strip()
        if query_text:
            found = selectors.search(
                request.user,
                query_text,
                kind=data["kind"],
                sort=data["sort"] or "relevance",
                page_number=request.GET.get("page"),
            )
            params = request.GET.copy()
            params.pop("page", None)
            without_kind = params.copy()
            without_kind.pop("kind", None)
            context.update(
                searched=found,
                q=query_text,
                kind=data["kind"],
                sort=data["sort"] or "relevance",
                pagination=govuk_pagination(found.page, params),
                kind_base=without_kind.urlencode(),
            )
    return render(request, "search/search.html", context)
