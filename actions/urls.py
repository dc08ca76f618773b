"""The action register, under /actions/. The exports of the register are routed in config/urls.py
(/actions.pdf, /actions.xlsx, /actions.csv), beside this include."""

from django.urls import path

from actions.views import action, register

app_name = "actions"

urlpatterns = [
    path("", register.action_list, name="list"),
    path("<int:pk>/", action.action_detail, name="detail"),
    path("<int:pk>/update/", action.action_update, name="update"),
    path("<int:pk>/edit/", action.action_edit, name="edit"),
]
