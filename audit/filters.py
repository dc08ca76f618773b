"""The filters of the audit log (/audit/): person, kind, record, dates."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from audit.models import AuditEvent


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        person = getattr(user, "person", None)
        return f"{person.name} ({user.get_username()})" if person else user.get_username()


class PersonChoice(django_filters.ModelChoiceFilter):
    field_class = PersonField


class AuditFilter(django_filters.FilterSet):
    user = PersonChoice(
        queryset=get_user_model().objects.select_related("person").order_by("username"),
        empty_label="Anyone",
        label="Person",
    )
    kind = django_filters.ChoiceFilter(choices=AuditEvent.Kind.choices, empty_label="Everything", label="What")
    # Bounded: a search of thousands of characters is no one's record, and SQLite refuses a LIKE
    # pattern past 50,000 bytes.
    record = django_filters.CharFilter(
        method="filter_record",
        label="Record (its name or reference)",
        max_length=200,
        error_messages={"max_length": "Enter 200 characters or fewer"},
    )
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label="From (date)")
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label="To (date)")

    class Meta:
        model = AuditEvent
        fields = ["user", "kind", "record", "date_from", "date_to"]

    def filter_record(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(label__icontains=value) | Q(object_id=value))

    @property
    def filtered(self):
        return self.is_bound and self.is_valid() and any(v not in (None, "") for v in self.form.cleaned_data.values())
