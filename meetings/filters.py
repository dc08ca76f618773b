"""The filters of the meetings list (/meetings/) and of the attendance summary (/meetings/attendance/).

Both read ``?body=<group slug>``; the list also reads ``?when=upcoming`` or ``?when=past``.
The groups offered are those that have meetings. A value no link sends (a group not in
the list, "sometime", a NUL) is an error on the filter bar (templates/includes/filter_bar.html)
and in the page's error summary, answered 400, never a 500 (mappa.fields).
"""

import django_filters
from django.utils import timezone

from meetings.models import Meeting
from meetings.selectors.meetings import groups_with_meetings

WHEN_CHOICES = [("upcoming", "Upcoming"), ("past", "Past")]


class MeetingFilter(django_filters.FilterSet):
    """The meetings list: one group's meetings, and only upcoming or past ones (upcoming soonest first)."""

    body = django_filters.ChoiceFilter(
        label="Group",
        choices=groups_with_meetings,  # kept until the data changes: read when drawn, or to check a group chosen
        empty_label="All groups",
        method="filter_body",
        error_messages={"invalid_choice": "Select a group from the list"},
    )
    when = django_filters.ChoiceFilter(
        label="When",
        choices=WHEN_CHOICES,
        empty_label="Upcoming and past",
        method="filter_when",
        error_messages={"invalid_choice": "Select upcoming or past meetings from the list"},
    )

    class Meta:
        model = Meeting
        fields = ["body", "when"]

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def filter_body(self, queryset, name, value):
        return queryset.filter(body__slug=value)

    def filter_when(self, queryset, name, value):
        if value == "upcoming":
            return queryset.filter(date__gte=self.today).order_by("date", "start_time", "pk")
        if value == "past":
            return queryset.filter(date__lt=self.today)
        return queryset


class AttendanceFilter(django_filters.FilterSet):
    """The attendance summary's group (there is no "all groups": the summary is of one group).

    ``bodies`` are the groups with meetings, read once for both the drop-down and the summary.
    """

    body = django_filters.ChoiceFilter(
        label="Group",
        choices=[],
        empty_label=None,
        method=lambda queryset, name, value: queryset,  # chooses the summary's group; filters nothing here
        error_messages={"invalid_choice": "Select a group from the list"},
    )

    class Meta:
        model = Meeting
        fields = ["body"]

    def __init__(self, data=None, *, bodies, **kwargs):
        super().__init__(data, **kwargs)
        self.bodies = bodies
        self.filters["body"].extra["choices"] = [(body.slug, body.name) for body in bodies]

    @property
    def chosen_body(self):
        """The group chosen in the query string, or None (none chosen, or a wrong one)."""
        if not (self.is_bound and self.is_valid()):
            return None
        slug = self.form.cleaned_data.get("body")
        return next((body for body in self.bodies if body.slug == slug), None)
