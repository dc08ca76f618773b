"""The filters of the reminder log (/actions/reminders/)."""

import django_filters

from reminders import registry
from reminders.models import Reminder


def kind_choices():
    """The kinds of reminder the apps have registered, in the order of Reminder.Kind."""
    registered = registry.kinds()
    return [(value, label) for value, label in Reminder.Kind.choices if value in registered]


class ReminderFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=Reminder.State.choices,
        empty_label="Any state",
        label="State",
        error_messages={"invalid_choice": "Select a state from the list"},
    )
    kind = django_filters.ChoiceFilter(
        choices=[],
        empty_label="All reminders",
        label="Reminder",
        error_messages={"invalid_choice": "Select a reminder from the list"},
    )

    class Meta:
        model = Reminder
        fields = ["state", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds are registered by the apps at start-up, after this module is imported.
        self.filters["kind"].extra["choices"] = kind_choices()

    def chosen(self):
        """The filters in force: each given with a valid value (a wrong one is shown as an error, and ignored)."""
        self.is_valid()  # cleans the form (once): cleaned_data holds each valid value
        return {name: value for name, value in self.form.cleaned_data.items() if value}
