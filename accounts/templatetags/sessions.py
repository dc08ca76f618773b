"""{% session_timeout %}: what static/js/session-timeout.mjs needs to warn before the idle timeout."""

from django import template
from django.conf import settings

register = template.Library()

# The warning opens this long before the session would end (as GOV.UK's and HMRC's timeout warnings do).
WARNING_SECONDS = 120


@register.simple_tag
def session_idle_seconds():
    return settings.SESSION_COOKIE_AGE


@register.simple_tag
def session_warning_seconds():
    return min(WARNING_SECONDS, settings.SESSION_COOKIE_AGE // 2)
