"""Recording actions at a meeting, under /meetings/ (config/urls.py) beside the meetings app's own routes:
actions/minute_views.py."""

from django.urls import path

from actions import minute_views

app_name = "minute_actions"

urlpatterns = [
    path("<int:pk>/minutes/<int:item_pk>/actions/", minute_views.action_create, name="create"),
    path("<int:pk>/matters-arising/<int:action_pk>/", minute_views.matter_arising, name="matter-arising"),
]
