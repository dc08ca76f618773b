"""Showing a dashboard table's cell: a number, text, a date, a link (on the page only), a withheld figure."""

from datetime import date

from django import template
from django.utils.html import format_html

from dashboard.disclosure import Withheld
from dashboard.tables import NOTHING, Link

register = template.Library()


@register.simple_tag
def cell(value, links=True):
    if value is None:
        return NOTHING
    if isinstance(value, Link):
        return format_html('<a class="govuk-link" href="{}">{}</a>', value.href, value.text) if links else value.text
    if isinstance(value, Withheld):
        return format_html('<span class="app-withheld">{}</span>', value)
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return value
