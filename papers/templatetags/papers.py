"""{% papers_visible meeting as show_papers %}: whether the signed-in user may see the meeting's papers."""

from django import template

from papers.selectors import may_see_papers

register = template.Library()


@register.simple_tag(takes_context=True)
def papers_visible(context, meeting):
    request = context.get("request")
    return request is not None and may_see_papers(request.user, meeting)
