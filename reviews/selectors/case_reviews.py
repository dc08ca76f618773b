"""Case review records: those a user may see, one of them, and a quarter's figures as the records
give them (to prefill a return's section 1).
"""

from dataclasses import dataclass

from django.db.models import Q

from mappa.selectors import areas_for
from reviews.models import TEXT_LIMITS, THEMES, CaseReview
from reviews.selectors.visibility import NotVisible, acts_for_areas


def case_reviews_for(user):
    """The case review records this user may see."""
    query = CaseReview.objects.select_related("area")
    if acts_for_areas(user):
        return query.filter(area__in=areas_for(user))
    return query.filter(shared_with_sg_on__isnull=False)


def case_review_for(user, pk):
    review = case_reviews_for(user).select_related("progressed_from", "created_by__person").filter(pk=pk).first()
    if review is None:
        raise NotVisible(f"No case review {pk}")
    return review


@dataclass
class Prefill:
    values: dict
    records: list


def figures_from_case_reviews(area, period):
    """Section 1's figures as the area's case review records of the quarter give them (one query).

    Initial ICRs, full ICRs and SCRs count by the date commissioned; SCRs
    completed by the date completed; themes are those of any review counted.
    """
    records = list(
        CaseReview.objects.filter(area=area)
        .filter(
            Q(commissioned_on__range=(period.starts_on, period.ends_on))
            | Q(completed_on__range=(period.starts_on, period.ends_on))
        )
        .order_by("reference")
    )
    in_quarter = [r for r in records if period.starts_on <= r.commissioned_on <= period.ends_on]
    T = CaseReview.Type
    initial = [r for r in in_quarter if r.review_type == T.INITIAL_ICR]
    values = {
        "initial_icrs_processed": len(initial),
        "progressed_to_full_icr": sum(r.review_type == T.FULL_ICR for r in in_quarter),
        "scrs_commissioned": sum(r.review_type == T.SCR for r in in_quarter),
        "scrs_completed": sum(
            r.review_type == T.SCR
            and r.completed_on is not None
            and period.starts_on <= r.completed_on <= period.ends_on
            for r in records
        ),
        "icrs_from_proactive_policing": sum(r.from_proactive_policing for r in initial),
    }
    counted = [r for r in records if r in in_quarter or (r.review_type == T.SCR and r.completed_on)]
    values["themes"] = [key for key, _label in THEMES if any(getattr(r, f"theme_{key}") for r in counted)]
    others = sorted({r.theme_other_text for r in counted if r.theme_other and r.theme_other_text})
    values["theme_other_text"] = "; ".join(others)[: TEXT_LIMITS["theme_other_text"]]
    return Prefill(values=values, records=records)
