"""Template filters for user-written text: Markdown, sanitised (see mappa.text)."""

from django import template

from mappa.text import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render Markdown to sanitised HTML; no raw HTML the user typed survives."""
    return render_markdown(text or "")
