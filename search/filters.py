"""The search page's filters (django-filter): kind of record, group, area, date range, all in the query string.

    /search/?q=risk&kind=minute&kind=paper&group=nsg&area=fife&date_from_0=1&date_from_1=4&date_from_2=2017

They filter the matching index entries the user may open (search.selectors). ``filtered`` applies
every filter but one, for that filter's counts: each option shows how many results choosing it
would give, with the other filters as they are, and never counts a record the user may not open.
"""

import django_filters
from django import forms

from mappa import generation
from mappa.fields import GovukDateField
from mappa.models import Area, Body
from search.forms import SearchForm
from search.models import SearchEntry
from search.sources import KIND_CHOICES

FACETS = ("kind", "group", "area")


def _choices():
    """{slug: group} and {slug: area}: the group and area filters' options, kept until the data changes."""
    bodies = {body.slug: body for body in Body.objects.only("pk", "slug", "name", "kind")}
    return bodies, {area.slug: area for area in Area.objects.only("pk", "slug", "name")}


class GovukDateFilter(django_filters.Filter):
    field_class = GovukDateField


class SearchFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        label="Kind of record",
        choices=KIND_CHOICES,
        method="filter_kind",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select a kind of record from the list"},
    )
    group = django_filters.MultipleChoiceFilter(
        label="Group", method="filter_group", widget=forms.CheckboxSelectMultiple
    )
    area = django_filters.MultipleChoiceFilter(label="Area", method="filter_area", widget=forms.CheckboxSelectMultiple)
    date_from = GovukDateFilter(
        field_name="date", lookup_expr="gte", label="Date from", help_text="For example, 1 4 2017"
    )
    date_to = GovukDateFilter(field_name="date", lookup_expr="lte", label="Date to", help_text="For example, 30 6 2017")

    class Meta:
        model = SearchEntry
        fields = []
        form = SearchForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=SearchEntry.objects.none() if queryset is None else queryset, **kwargs)
        self.bodies, self.areas = generation.kept("search:filter-choices", _choices)
        self.filters["group"].extra["choices"] = [(slug, body.name) for slug, body in self.bodies.items()]
        self.filters["area"].extra["choices"] = [(slug, area.name) for slug, area in self.areas.items()]
        for name in ("group", "area"):
            self.filters[name].extra["error_messages"] = {"invalid_choice": f"Select a {name} from the list"}

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind__in=value)

    def filter_group(self, queryset, name, value):
        return queryset.filter(group_id__in=[self.bodies[slug].pk for slug in value])

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_id__in=[self.areas[slug].pk for slug in value])

    def filtered(self, queryset, *, leaving_out=()):
        """``queryset`` through every filter in force but those named in ``leaving_out``."""
        for name, value in self.form.cleaned_data.items():
            if name in self.filters and name not in leaving_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def chosen(self, name):
        return self.form.cleaned_data.get(name) or []

    def chosen_keys(self):
        """{facet: the values its entries hold that are chosen (kinds, group and area ids)}; empty: any."""
        return {
            "kind": set(self.chosen("kind")),
            "group": {self.bodies[slug].pk for slug in self.chosen("group")},
            "area": {self.areas[slug].pk for slug in self.chosen("area")},
        }
