"""``record|choice:"status"``: the member of its choices that a record's field holds, for
``{% include "includes/status_tag.html" with status=meeting|choice:"status" %}``."""

from functools import cache

from django import template
from django.db import models

register = template.Library()


@register.filter
def choice(record, field_name):
    """The choices member (with its ``label`` and ``colour``) in ``record.<field_name>``; None if empty.

    A model's field gives back a plain string once read from the database, so the member
    is found through the field's choices class; any other object must hold the member.
    """
    if record is None:
        return None
    value = getattr(record, field_name)
    if value is None or value == "" or isinstance(value, models.Choices):
        return value or None
    return _choices_class(type(record), field_name)(value)


@cache
def _choices_class(model, field_name):
    """The Choices class nested in ``model`` (or a parent) that ``model.<field_name>`` takes its choices from."""
    values = {value for value, _label in model._meta.get_field(field_name).flatchoices}
    for klass in model.__mro__:
        for attribute in vars(klass).values():
            if (
                isinstance(attribute, type)
                and issubclass(attribute, models.Choices)
                and set(attribute.values) == values
            ):
                return attribute
    raise LookupError(f"No choices class in {model.__name__} for its field {field_name!r}")


@register.filter
def tag_style(status):
    """The inline style of a status's tag in a document (WeasyPrint has no GOV.UK stylesheet):
    ``<span class="status" style="{{ status|tag_style }}">``."""
    text, background = status.shades
    return f"color: {text}; background: {background}"
