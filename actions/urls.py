"""The action register, under /actions/. The exports of the register are routed in config/urls.py
(/actions.pdf, /actions.xlsx, /actions.csv), beside this include."""

from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/update/", views.action_update, name="update"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
]
