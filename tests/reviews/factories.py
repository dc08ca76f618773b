"""Factories and helpers for returns and case reviews. Nothing here describes a person."""

from datetime import date, datetime, time

import factory
from django.utils import timezone

from reviews.models import CaseReview, QuarterlyReturn, ReportingPeriod
from reviews.services.returns import approve_return, save_section, submit_return
from tests.factories import AreaFactory, UserFactory


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("year", "quarter")

    year = 2017
    quarter = 1


class QuarterlyReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyReturn

    area = factory.SubFactory(AreaFactory)
    period = factory.SubFactory(ReportingPeriodFactory)


class CaseReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReview

    area = factory.SubFactory(AreaFactory)
    year = 2017
    sequence = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda r: CaseReview.make_reference(r.area, r.year, r.sequence))
    review_type = CaseReview.Type.INITIAL_ICR
    mappa_category = 1
    mappa_level = 1
    commissioned_on = date(2017, 5, 10)
    created_by = factory.SubFactory(UserFactory)


# Answers for every section, as the forms post them and as the services take them.
CASE_REVIEWS = {
    "initial_icrs_processed": "10",
    "progressed_to_full_icr": "4",
    "scrs_commissioned": "0",
    "scrs_completed": "0",
    "icrs_from_proactive_policing": "6",
    "themes": ["internet_offending"],
    "theme_other_text": "",
}
CATEGORY_3 = {
    "category3_received": "3",
    "category3_accepted": "2",
    "category3_declined": "1",
    "category3_decline_reasons": "Risk judged manageable by a single agency.",
}
NARRATIVE = {"narrative": "Of the 10 initial ICRs processed, 4 progressed to full ICR."}
LEARNING = {"learning": "An easy-read resource on internet offending.", "escalations": ""}
POSTS = {"case-reviews": CASE_REVIEWS, "category-3": CATEGORY_3, "narrative": NARRATIVE, "learning": LEARNING}


def section_values(slug, **overrides):
    """The model values a section form would clean from POSTS[slug] (for calling services directly)."""
    from reviews.forms import SECTION_FORMS

    data = {**POSTS[slug], **overrides}
    form = SECTION_FORMS[slug](data, ret=QuarterlyReturn(), previous=None)
    assert form.is_valid(), form.errors
    return form.values()


def complete(ret, by, **figures):
    """Save every section of a return (figures override section 1 and 2 values)."""
    for slug in POSTS:
        values = section_values(slug)
        values.update({k: v for k, v in figures.items() if k in values})
        ret = save_section(ret, slug, values, by=by)
    return ret


def approved(area, period, by_chair, by_secretariat, **figures):
    """An area's approved return for a period, with the figures given."""
    ret = complete(QuarterlyReturn(area=area, period=period), by_chair, **figures)
    ret = submit_return(ret, by=by_chair, confirmed=True)
    return approve_return(ret, by=by_secretariat)


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))
