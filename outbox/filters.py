"""The filters of the e-mail log (/emails/)."""

import django_filters

from outbox import registry
from outbox.models import Email


def kind_choices():
    return [(kind.name, kind.label) for kind in registry.kinds()]


class EmailFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Email.State.choices, empty_label="Any state", label="State")
    kind = django_filters.ChoiceFilter(choices=[], empty_label="All e-mails", label="E-mail")

    class Meta:
        model = Email
        fields = ["state", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds are registered by the apps at start-up, after this module is imported.
        self.filters["kind"].extra["choices"] = kind_choices()
