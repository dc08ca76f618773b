"""The filters of the case review list (/case-reviews/?area=fife&type=initial_icr).

The areas offered are those the user acts for (mappa.selectors.areas_for): a SOG chair
chooses among their own areas only. One who acts for a single area is offered no area
filter, nor are inspectors and NSG members (they read the records shared with the SG).
A value no link sends (another area, an unknown type, a NUL) is refused by its field
(mappa.fields), and the page answers 400, never a 500.
"""

import django_filters

from mappa.fields import ModelChoiceFilter
from mappa.models import Area
from mappa.selectors import areas_for
from reviews.models import CaseReview
from reviews.selectors.visibility import acts_for_areas


class CaseReviewFilter(django_filters.FilterSet):
    area = ModelChoiceFilter(
        label="Area",
        to_field_name="slug",
        queryset=Area.objects.none(),  # set per user: the areas they act for
        empty_label="All areas",
        error_messages={"invalid_choice": "Select an area from the list"},
    )
    type = django_filters.ChoiceFilter(
        label="Type",
        field_name="review_type",
        choices=CaseReview.Type.choices,
        empty_label="All types",
        error_messages={"invalid_choice": "Select a type of review from the list"},
    )

    class Meta:
        model = CaseReview
        fields = ["area", "type"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = areas_for(user).order_by("name") if acts_for_areas(user) else Area.objects.none()
        if len(areas[:2]) > 1:
            self.filters["area"].queryset = areas
        else:  # nothing to choose
            del self.filters["area"]
