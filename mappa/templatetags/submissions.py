"""``{% submission_token %}``: the hidden one-time token of a form that creates something (see mappa.submissions)."""

from django import template

from mappa.submissions import TOKEN_FIELD, new_token

register = template.Library()


@register.inclusion_tag("includes/submission_token.html")
def submission_token():
    """A fresh token on every call, so each form on a page, and each drawing of it, has its own."""
    return {"name": TOKEN_FIELD, "token": new_token()}
