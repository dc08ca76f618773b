"""Form fields shared across apps."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year boxes) with messages that name the date asked for."""

    def __init__(self, *, label, required=True, help_text="For example, 27 11 2017", **kwargs):
        super().__init__(label=label, required=required, help_text=help_text, **kwargs)
        name = label.lower()
        self.error_messages.update({
            "required": f"Enter the {name}",
            "incomplete": f"Enter the {name} in full: day, month and year",
            "invalid": f"Enter a real {name}",
        })

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
