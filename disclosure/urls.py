from django.urls import path

from disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.new_request, name="new"),
    path("log/", views.disclosure_log, name="log"),
    path("<int:pk>/", views.request_page, name="request"),
    path("<int:pk>/scope/", views.scope, name="scope"),
    path("<int:pk>/papers/<int:paper_pk>/include/", views.include_paper, name="include-paper"),
    path("<int:pk>/papers/<int:paper_pk>/leave-out/", views.leave_out_paper, name="leave-out-paper"),
    path("<int:pk>/find/", views.find, name="find"),
    path("<int:pk>/build/", views.build, name="build"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/jobs/<int:job_pk>/cancel/", views.cancel_job, name="cancel-job"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/review/", views.review_page, name="review"),
    path("<int:pk>/review/decide/", views.decide, name="decide"),
    path("<int:pk>/review/terms/", views.add_term, name="add-term"),
    path("<int:pk>/review/terms/<int:term_pk>/remove/", views.remove_term, name="remove-term"),
    path("<int:pk>/packs/<int:version>/pack.pdf", views.pack_pdf, name="pack-pdf"),
    path("<int:pk>/packs/<int:version>/pack.zip", views.pack_zip, name="pack-zip"),
    path("<int:pk>/packs/<int:version>/approve/", views.approve, name="approve"),
    path("<int:pk>/packs/<int:version>/publish/", views.publish, name="publish"),
    path("<int:pk>/packs/<int:version>/withdraw/", views.withdraw, name="withdraw"),
]
