"""Showing a dashboard table's body: one row per line, row headers first, figures right-aligned."""

from datetime import date

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from dashboard.disclosure import Withheld
from dashboard.tables import NOTHING, Link

register = template.Library()


def cell(value, links=True):
    """One cell as HTML: a number, text, a date, a link (on the page only), a withheld figure."""
    if value is None:
        return NOTHING
    if isinstance(value, Link):
        return format_html('<a class="govuk-link" href="{}">{}</a>', value.href, value.text) if links else value.text
    if isinstance(value, Withheld):
        return format_html('<span class="app-withheld">{}</span>', value)
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return value


@register.simple_tag
def table_rows(table, links=True, limit=None):
    """A table's body rows (the first ``limit`` of them, if given): the first cell a row header, figures right-aligned.

    Built here rather than by template loops: the returns tables hold thousands of cells at
    national scale, and a tag per cell made the template the slowest part of the page.
    """

    def cells(row):
        first = format_html('<th scope="row" class="govuk-table__header">{}</th>', cell(row[0], links))
        rest = format_html_join(
            "",
            '<td class="govuk-table__cell{}">{}</td>',
            (
                (" govuk-table__cell--numeric" if index in table.numeric else "", cell(value, links))
                for index, value in enumerate(row[1:], start=1)
            ),
        )
        return first + rest

    return format_html_join(
        "\n", '<tr class="govuk-table__row">{}</tr>', ((cells(row),) for row in table.rows[: limit or None])
    )


@register.simple_tag
def filter_select(field):
    """One of the filters' selects, its options written at once.

    Django's select widget renders a template per option: at national scale the four
    filters have over 200 options (40 quarters twice, the areas and the groups), which took
    most of the time of a dashboard read from the cache.
    """
    attrs = {"name": field.html_name, **field.field.widget.attrs, "id": field.auto_id}
    chosen = str(field.value() or "")
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == chosen else "", label) for value, label in field.field.choices),
    )
    return format_html("<select{}>{}</select>", flatatt(attrs), options)
