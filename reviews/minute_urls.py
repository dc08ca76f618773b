"""The areas' approved updates into a meeting's SOG chairs' updates minute: under /meetings/ (config/urls.py)."""

from django.urls import path

from reviews.views import nsg_meeting

app_name = "sog_updates"

urlpatterns = [
    path("<int:pk>/minutes/<int:item_pk>/sog-updates/", nsg_meeting.sog_updates_add, name="add"),
]
