"""Form fields shared across apps, and the checks every value from a request goes through.

Odd input must never make a 500 (issue 11). The rule: every value a view takes from
``request.GET`` or ``request.POST`` goes through a form field, or a django-filter filter
(which is one), before it reaches a query or a calculation. A value a field refuses is a
GOV.UK form error, or a 400 Bad Request where there is no form to show it on
(``mappa.forms.ParamsForm``). Django's own fields do most of this; these fill the gaps:

* Ids. ``"²".isdigit()`` is True, yet ``int("²")`` fails; and an id beyond 64 bits
  (``99999999999999999999``) makes SQLite raise OverflowError where PostgreSQL matches
  nothing. ``IdField`` takes an id from the query string or a hidden field: ASCII digits
  only, 1 to 2**63 - 1. ``ModelChoiceField`` and ``ModelMultipleChoiceField`` check each key
  the same way before they look it up (Django's multiple-choice field runs an
  ``IN (...)`` query that overflows), and refuse a slug holding NUL. Use them, not
  ``django.forms``' own, to choose records; ``ModelChoiceFilter`` is the django-filter one.
* Text. PostgreSQL cannot hold NUL (``\\x00``) in a string, not even in a query's
  parameter. ``forms.CharField`` refuses it already (ProhibitNullCharactersValidator),
  so free text is safe in any CharField; keys are checked here.
* Dates. ``GovukDateField`` refuses a year too large for a date.

tests/mappa/test_hostile_input.py sends hostile values to every parameter and field of
every page, as every role: a field that lets one through to a 500 fails it.
"""

import re
from datetime import date

import django_filters
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models

# The largest id a BigAutoField (DEFAULT_AUTO_FIELD) holds, in SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1
_INTEGER = re.compile(r"-?[0-9]+\Z")  # ASCII digits only: str.isdigit() also takes "²" and "١"


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year boxes) with messages that name the date asked for."""

    def __init__(self, *, label, required=True, help_text="For example, 27 11 2017", **kwargs):
        super().__init__(label=label, required=required, help_text=help_text, **kwargs)
        name = label.lower()
        self.error_messages.update(
            {
                "required": f"Enter the {name}",
                "incomplete": f"Enter the {name} in full: day, month and year",
                "invalid": f"Enter a real {name}",
            }
        )

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):  # 30 February; a year (or day) too large for a C long
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def parse_id(value):
    """The id written in ``value`` (text from a request) as an int, or None if it is not one.

    An id is ASCII digits, from 1 to MAX_ID: not "²" (which ``str.isdigit`` takes), not
    "-1", not 99999999999999999999.
    """
    text = str(value)
    if not _INTEGER.match(text) or text.startswith("-"):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdField(forms.IntegerField):
    """An id from the query string or a hidden field (``?parent=12``): see parse_id."""

    default_error_messages = {"invalid": "Enter a valid id"}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_id(str(value).strip()) is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def is_valid_key(model_field, value):
    """Whether ``value``, from a request, could be a value of ``model_field`` (checked before any query).

    An integer column takes ASCII digits within its range in the database; any other, text
    without NUL. A model instance (a form's initial value) is always a key.
    """
    if isinstance(value, models.Model):
        return True
    text = str(value)
    if "\x00" in text:
        return False
    if isinstance(model_field, models.IntegerField):  # AutoField and BigAutoField too
        if not _INTEGER.match(text.strip()):
            return False
        low, high = connection.ops.integer_field_range(model_field.get_internal_type())
        number = int(text)
        return (low is None or number >= low) and (high is None or number <= high)
    return True


class _CheckedKeys:
    """For a model choice field: refuse a key that is not a valid value of the key column (is_valid_key)."""

    def _key_field(self):
        meta = self.queryset.model._meta
        return meta.get_field(self.to_field_name) if self.to_field_name else meta.pk

    def _check_key(self, value):
        if not is_valid_key(self._key_field(), value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ModelChoiceField(_CheckedKeys, forms.ModelChoiceField):
    """``forms.ModelChoiceField`` that checks the key's form before it looks the record up."""

    def to_python(self, value):
        if value not in self.empty_values:
            self._check_key(value)
        return super().to_python(value)


class ModelMultipleChoiceField(_CheckedKeys, forms.ModelMultipleChoiceField):
    """``forms.ModelMultipleChoiceField`` that checks every key's form before its ``IN (...)`` query."""

    def _check_values(self, value):
        for key in value:
            self._check_key(key)
        return super()._check_values(value)


class _FilterModelChoiceField(_CheckedKeys, django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not (self.null_label is not None and value == self.null_value):
            self._check_key(value)
        return super().to_python(value)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter, its field checking the key's form first (as ModelChoiceField)."""

    field_class = _FilterModelChoiceField
