"""The shared fields every value from a request goes through (mappa.fields, mappa.forms.ParamsForm).

"²".isdigit() is True but it is no id; SQLite raises OverflowError for an id beyond 64
bits; PostgreSQL cannot hold NUL. These fields refuse all three before any query.
"""

import pytest
from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.http import QueryDict

from mappa.fields import (
    MAX_ID,
    GovukDateField,
    IdField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    parse_id,
)
from mappa.forms import ParamsForm
from mappa.models import Body, Organisation
from tests.factories import NsgFactory, OrganisationFactory

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", 12),
        (str(MAX_ID), MAX_ID),
        ("²", None),
        ("١٢", None),
        ("-1", None),
        ("0", None),
        (HUGE, None),
        (str(MAX_ID + 1), None),
        ("1\x00", None),
        ("", None),
        (" 12", None),
        ("12abc", None),
        ("1e3", None),
    ],
)
def test_parse_id_takes_ascii_digits_in_range_only(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize("value", ["²", "-1", HUGE, "\x00", "twelve"])
def test_an_id_field_refuses_what_is_no_id(value):
    with pytest.raises(ValidationError):
        IdField().clean(value)
    assert IdField().clean("12") == 12
    assert IdField(required=False).clean("") is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", HUGE, "-" + HUGE, "9223372036854775808", "1\x00", "no-such-choice"])
def test_the_model_choice_fields_refuse_a_key_that_is_no_id_before_any_query(value, django_assert_num_queries):
    sg = OrganisationFactory(short_name="SG")
    single = ModelChoiceField(queryset=Organisation.objects.all())
    several = ModelMultipleChoiceField(queryset=Organisation.objects.all())
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        single.clean(value)
    assert refused.value.code == "invalid_choice"
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        several.clean([str(sg.pk), value])
    assert refused.value.code == "invalid_choice"
    assert single.clean(str(sg.pk)) == sg
    assert list(several.clean([str(sg.pk)])) == [sg]


@pytest.mark.django_db
def test_a_slug_with_a_nul_is_refused_before_any_query(django_assert_num_queries):
    nsg = NsgFactory()
    field = ModelChoiceField(queryset=Body.objects.all(), to_field_name="slug")
    with django_assert_num_queries(0), pytest.raises(ValidationError):
        field.clean(f"{nsg.slug}\x00")
    assert field.clean(nsg.slug) == nsg


@pytest.mark.parametrize(
    "day, month, year",
    [
        ("1", "1", HUGE),
        (HUGE, "1", "2017"),
        ("1", "9223372036854775808", "2017"),
        ("30", "2", "2017"),
        ("²", "1", "2017"),
    ],
)
def test_a_govuk_date_beyond_any_calendar_is_not_a_real_date(day, month, year):
    class DateForm(forms.Form):
        due = GovukDateField(label="Due date")

    form = DateForm({"due_0": day, "due_1": month, "due_2": year})
    assert not form.is_valid()
    assert form.errors["due"]


def test_a_params_form_answers_a_wrong_value_with_a_bad_request():
    class Params(ParamsForm):
        parent = IdField(required=False)
        when = forms.ChoiceField(required=False, choices=[("past", "Past")])

    assert Params.cleaned(QueryDict("parent=4&when=past")) == {"parent": 4, "when": "past"}
    assert Params.cleaned(QueryDict("")) == {"parent": None, "when": ""}
    for query in ("parent=%C2%B2", "parent=99999999999999999999", "when=future", "when=%00"):
        with pytest.raises(BadRequest):
            Params.cleaned(QueryDict(query))
