"""The action plan's filters (django-filter), read by the page (/recommendations/) and its PDF and spreadsheet:

    /recommendations/?status=out_of_target&progress=some&as_at=2017-06-29&since=last-meeting

``as_at`` is the day the plan is read as it stood (today if none), ``status`` and
``progress`` choose the recommendations whose latest update on that day has them, and
``since`` (a date, or ``last-meeting``: the last NSG meeting's) the day after which the
page lists every update and grade. A status or progress band that is not in the list is
ignored; a date that is not one is a GOV.UK error on the page, and the plan is read as at
today.
"""

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from recommendations import selectors
from recommendations.models import Recommendation, StatusUpdate

LAST_MEETING = "last-meeting"


class IsoDateField(forms.Field):
    """A yyyy-mm-dd date, as an <input type="date"> sends it; with ``keywords``, those words too."""

    def __init__(self, *, invalid, keywords=(), **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)
        self.error_messages["invalid"] = invalid
        self.keywords = keywords

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        if text in self.keywords:
            return text
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class IsoDateFilter(django_filters.Filter):
    field_class = IsoDateField


def _unfiltered(queryset, name, value):
    """``as_at`` and ``since`` say when the plan is read and which changes are listed, not which recommendations."""
    return queryset


class ActionPlanFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=StatusUpdate.Status.choices, empty_label="Any status", method="filter_latest"
    )
    progress = django_filters.ChoiceFilter(
        label="Progress", choices=StatusUpdate.Progress.choices, empty_label="Any progress", method="filter_latest"
    )
    as_at = IsoDateFilter(
        label="As at", method=_unfiltered, invalid="Enter the “as at” date as a real date, like 2017-06-29"
    )
    since = IsoDateFilter(
        label="Changes since",
        method=_unfiltered,
        keywords=(LAST_MEETING,),
        invalid="Enter the “changes since” date as a real date, like 2017-05-31",
    )

    class Meta:
        model = Recommendation
        fields = ["status", "progress", "as_at", "since"]

    def cleaned(self, name):
        """The valid value given for ``name``, or None (none given, or a wrong one)."""
        self.is_valid()  # cleans the form (once): cleaned_data holds each valid value
        return self.form.cleaned_data.get(name) or None

    @property
    def plan_date(self):
        """The day the plan is read as it stood: the one asked for, or None (today)."""
        return self.cleaned("as_at")

    def raw(self, name):
        """What was typed for ``name``, to show it back (a wrong date included)."""
        return (self.data.get(name) or "").strip()

    def date_errors(self):
        """[(field, message)] for the dates that are not dates; a wrong status or progress band is ignored."""
        return [(name, message) for name in ("as_at", "since") for message in self.errors.get(name, [])]

    def filter_latest(self, queryset, name, value):
        """The recommendations whose latest update on the plan's day has this status (or progress band)."""
        as_at = self.plan_date or timezone.localdate()
        return queryset.alias(**{f"latest_{name}": selectors.latest_update_value(name, as_at)}).filter(
            **{f"latest_{name}": value}
        )
