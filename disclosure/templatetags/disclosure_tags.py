"""The review page's context with the words found marked: both escaped, so the record's text never becomes HTML."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def marked(context, words):
    """``context`` with the first occurrence of ``words`` in <mark> (the whole context escaped)."""
    at = context.find(words) if words else -1
    if at < 0:
        return escape(context)
    before, after = context[:at], context[at + len(words) :]
    return mark_safe(f"{escape(before)}{format_html('<mark>{}</mark>', words)}{escape(after)}")
