"""The list of where typed text lives (erasure/locations.py) keeps up with the models."""

import pytest
from django.apps import apps
from django.db import models

from erasure.locations import NOT_TEXT, PLACES, PLACES_BY_KEY

DOMAIN_APPS = ["meetings", "actions", "papers", "reviews", "recommendations"]
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def _text_fields(model):
    return {
        field.name for field in model._meta.concrete_fields if isinstance(field, TEXT_FIELDS) and not field.is_relation
    }


def test_every_text_field_of_the_domain_apps_is_listed():
    listed = {}
    for place in PLACES:
        listed.setdefault(place.model._meta.label, set()).update(place.fields)
    missing = {}
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label
            unlisted = _text_fields(model) - listed.get(label, set()) - NOT_TEXT.get(label, set())
            if unlisted:
                missing[label] = sorted(unlisted)
    assert missing == {}, "Add these to erasure/locations.py: PLACES if people type into them, else NOT_TEXT"


def test_every_listed_field_exists_and_holds_text():
    for place in PLACES:
        fields = _text_fields(place.model)
        assert set(place.fields) <= fields, (place.key, set(place.fields) - fields)
        assert callable(place.describe)
    assert len(PLACES_BY_KEY) == len(PLACES)


@pytest.mark.parametrize("label", sorted(NOT_TEXT))
def test_every_field_said_not_to_be_text_exists(label):
    model = apps.get_model(label)
    assert NOT_TEXT[label] <= _text_fields(model)


def test_every_history_model_kept_by_simple_history_is_listed():
    """A model of these apps that keeps versions has its versions' table in the list too."""
    listed = {place.model for place in PLACES}
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            history = getattr(model, "history", None)
            if history is not None and hasattr(history, "model") and model in listed:
                assert history.model in listed, model
