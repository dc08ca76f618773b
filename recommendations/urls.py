from django.urls import path

from recommendations import exports, views

app_name = "recommendations"

urlpatterns = [
    path("", views.action_plan, name="plan"),
    path("divergence/", views.divergence, name="divergence"),
    path("action-plan.pdf", exports.action_plan_pdf, name="plan-pdf"),
    path("action-plan.xlsx", exports.action_plan_xlsx, name="plan-xlsx"),
    path("<int:pk>/", views.recommendation_detail, name="detail"),
    path("<int:pk>/updates/new/", views.update_create, name="update-create"),
    path("<int:pk>/grades/new/", views.assessment_create, name="assessment-create"),
]
