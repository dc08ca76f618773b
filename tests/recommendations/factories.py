from datetime import date

import factory

from recommendations.models import Assessment, Inspection, Recommendation, StatusUpdate
from tests.factories import UserFactory


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    title = factory.Sequence(lambda n: f"Thematic review {n}")
    published_on = date(2015, 11, 26)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    inspection = factory.SubFactory(InspectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    short_title = factory.Sequence(lambda n: f"Recommendation topic {n}")
    text = "Scottish Government in partnership with Responsible Authorities should do something."
    policy_directorate = "Directorate of Safer Communities"


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    as_of = date(2017, 2, 16)
    narrative = "Work continues."
    status = StatusUpdate.Status.ON_TARGET
    progress = StatusUpdate.Progress.SOME
    recorded_by = factory.SubFactory(UserFactory)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    recommendation = factory.SubFactory(RecommendationFactory)
    review = factory.SubFactory(InspectionFactory, title="MAPPA progress review", published_on=date(2017, 6, 29))
    as_of = date(2017, 6, 29)
    grade = Assessment.Grade.PARTIALLY_MET
    recorded_by = factory.SubFactory(UserFactory)
