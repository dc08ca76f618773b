"""What the review date reminders say: a digest's e-mail context, and how a recommendation is named."""

from django.conf import settings
from django.urls import reverse

from recommendations.models import Recommendation
from recommendations.selectors import latest_updates
from recommendations.services.review_dates import review_date_of


def recommendation_label(recommendation):
    """ "Recommendation 2: Risk assessment of internet offenders" """
    return f"{recommendation.get_kind_display()} {recommendation.number}: {recommendation.short_title}"


def review_digest_context(recipient, rows):
    """Template context for a review date digest (a policy lead's or the secretariat's), oldest review date first.

    ``rows`` are the Reminder rows of one digest; each recommendation and its latest
    update are read as they are now (two queries for the whole digest).
    """
    period = rows[0].period
    ids = [row.recommendation_id for row in rows]
    found = Recommendation.objects.select_related("inspection", "policy_lead").in_bulk(ids)
    latest = {u.recommendation_id: u for u in latest_updates().filter(recommendation_id__in=ids)}
    lines = []
    for row in rows:
        recommendation = found.get(row.recommendation_id)
        if recommendation is None:
            continue
        review_date = review_date_of(row.subject_key)
        lines.append(
            {
                "recommendation": recommendation,
                "label": recommendation_label(recommendation),
                "review_date": review_date,
                "days_since": (period - review_date).days,
                "update": latest.get(recommendation.pk),
                "link": settings.SITE_URL + recommendation.get_absolute_url(),
                "update_link": settings.SITE_URL + reverse("recommendations:update-create", args=[recommendation.pk]),
            }
        )
    lines.sort(
        key=lambda line: (
            line["review_date"],
            line["recommendation"].inspection.published_on,
            line["recommendation"].kind,
            line["recommendation"].number,
        )
    )
    return {
        "lines": lines,
        "no_lead": [line for line in lines if line["recommendation"].policy_lead_id is None],
        "plan_link": settings.SITE_URL + reverse("recommendations:plan"),
    }
