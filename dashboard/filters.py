"""The dashboard's filters, all in the query string so that a view can be shared:

    /dashboard/?from=2017-18-q1&to=2017-18-q3&area=fife&body=nsg

``from`` and ``to`` are reporting quarters (the range, both included), ``area`` a MAPPA
area and ``body`` a group. A plain GET form: each choice is checked, and a range that ends
before it starts is refused, with the GOV.UK error summary and what was chosen kept.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from mappa.models import Area, Body
from reviews.models import ReportingPeriod


class DashboardFilterForm(forms.Form):
    area = forms.ChoiceField(
        label="Area", required=False, error_messages={"invalid_choice": "Select an area from the list"}
    )
    body = forms.ChoiceField(
        label="Group", required=False, error_messages={"invalid_choice": "Select a group from the list"}
    )

    def __init__(self, data=None, *, periods, areas, bodies):
        super().__init__(data)
        self.periods = {period.slug: period for period in periods}
        self.areas = {area.slug: area for area in areas}
        self.bodies = {body.slug: body for body in bodies}
        quarters = [(slug, period.label) for slug, period in self.periods.items()]
        # "from" and "to" are Python keywords, so these two fields are added by name.
        self.fields = {
            "from": forms.ChoiceField(
                label="From",
                required=False,
                choices=[("", "The first quarter"), *quarters],
                error_messages={"invalid_choice": "Select the first quarter from the list"},
            ),
            "to": forms.ChoiceField(
                label="To",
                required=False,
                choices=[("", "The latest quarter"), *quarters],
                error_messages={"invalid_choice": "Select the last quarter from the list"},
            ),
            **self.fields,
        }
        self.fields["area"].choices = [("", "All areas"), *((a.slug, a.name) for a in areas)]
        self.fields["body"].choices = [("", "All groups"), *((b.slug, b.name) for b in bodies)]
        self.fields["from"].help_text = "Financial quarters: Q1 is April to June"
        self.fields["area"].help_text = "Returns and case reviews, and the actions of the area's SOG"
        self.fields["body"].help_text = "Actions raised at the group's meetings"
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "govuk-select govuk-!-width-full"
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def mark_errors(self):
        """Validate, and put the GOV.UK error class on each select whose choice is wrong."""
        valid = self.is_valid()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs['class']} govuk-select--error"
                attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} id_{name}-error".strip()
        return valid

    def clean(self):
        cleaned = super().clean()
        first, last = self.periods.get(cleaned.get("from")), self.periods.get(cleaned.get("to"))
        if first and last and (first.year, first.quarter) > (last.year, last.quarter):
            self.add_error("to", "The last quarter must be the same as or after the first quarter")
        return cleaned

    def scope(self, today=None):
        """The Scope the (valid) choices describe."""
        data = self.cleaned_data
        periods = list(self.periods.values())
        first = self.periods.get(data.get("from")) or (periods[0] if periods else None)
        last = self.periods.get(data.get("to")) or (periods[-1] if periods else None)
        chosen = [
            p
            for p in periods
            if first and (first.year, first.quarter) <= (p.year, p.quarter) <= (last.year, last.quarter)
        ]
        return Scope(
            periods=chosen,
            area=self.areas.get(data.get("area")),
            body=self.bodies.get(data.get("body")),
            today=today or timezone.localdate(),
            query=self.query(),
        )

    def query(self):
        """The filters chosen, as a query string for links (the exports) and shared views."""
        data = getattr(self, "cleaned_data", None) or {}
        return urlencode([(name, data[name]) for name in self.fields if data.get(name)])


@dataclass
class Scope:
    """What the dashboard shows: the quarters, an area and a group, and the date it is "as at"."""

    periods: list  # ReportingPeriod, in order
    area: Area | None
    body: Body | None
    today: date
    query: str = ""

    @property
    def start(self):
        """The first day of the first quarter (None when there are no quarters: everything until today)."""
        return self.periods[0].starts_on if self.periods else None

    @property
    def end(self):
        return self.periods[-1].ends_on if self.periods else self.today

    @property
    def as_at(self):
        """The day the figures describe: the end of the range, or today if the range has not ended."""
        return min(self.end, self.today)

    @property
    def range_label(self):
        if not self.periods:
            return f"Up to {self.as_at:%-d %B %Y}"
        first, last = self.periods[0], self.periods[-1]
        quarters = first.label if first == last else f"{first.label} to {last.label}"
        return f"{quarters} ({first.starts_on:%B %Y} to {last.ends_on:%B %Y})"

    @property
    def narrowed_to(self):
        """The area and group chosen, in words ("Area: Fife; Group: NSG"), or ""."""
        parts = [f"Area: {self.area.name}"] if self.area else []
        parts += [f"Group: {self.body.name}"] if self.body else []
        return "; ".join(parts)

    def description(self):
        """The filters in a line, for the page, the PDF and the files: "2017-18 Q1 to Q3 (...); Area: Fife"."""
        return "; ".join(part for part in (self.range_label, self.narrowed_to) if part)


def filter_form(data):
    """The filter form over ``data`` (request.GET), its choices read from the database (three queries)."""
    return DashboardFilterForm(
        data,
        periods=ReportingPeriod.objects.order_by("year", "quarter"),
        areas=Area.objects.order_by("name"),
        bodies=Body.objects.order_by("kind", "name"),
    )
