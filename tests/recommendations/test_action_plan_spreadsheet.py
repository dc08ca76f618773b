"""The action plan's spreadsheet holds whatever the updates say, even a character an XLSX file cannot."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from recommendations.models import StatusUpdate
from tests.recommendations.factories import InspectionFactory, RecommendationFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def test_an_update_with_a_control_character_still_downloads(client, member_user):
    """A bell (\\x07) pasted into an update once made openpyxl refuse the whole workbook; it is dropped instead."""
    review = InspectionFactory(title="Joint Thematic Review of MAPPA in Scotland")
    era = RecommendationFactory(inspection=review, number=1, short_title="ERA standards")
    StatusUpdateFactory(
        recommendation=era,
        as_of=date(2017, 5, 31),
        status=StatusUpdate.Status.ON_TARGET,
        progress=StatusUpdate.Progress.SIGNIFICANT,
        narrative="Draft standards\x07 out for consultation.",
    )
    client.force_login(member_user)

    response = client.get("/recommendations/action-plan.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][3] == "Draft standards out for consultation."
