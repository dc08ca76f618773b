"""/case-reviews/: the record of each ICR and SCR notified (the SCR Initial Notification Report)."""

from django.urls import path

from reviews import views

app_name = "case_reviews"

urlpatterns = [
    path("", views.case_review_list, name="list"),
    path("new/", views.case_review_create, name="create"),
    path("<int:pk>/", views.case_review_detail, name="detail"),
    path("<int:pk>/edit/", views.case_review_edit, name="edit"),
]
