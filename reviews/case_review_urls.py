"""/case-reviews/: the record of each ICR and SCR notified (the SCR Initial Notification Report)."""

from django.urls import path

from reviews.views import case_reviews

app_name = "case_reviews"

urlpatterns = [
    path("", case_reviews.case_review_list, name="list"),
    path("new/", case_reviews.case_review_create, name="create"),
    path("<int:pk>/", case_reviews.case_review_detail, name="detail"),
    path("<int:pk>/edit/", case_reviews.case_review_edit, name="edit"),
]
