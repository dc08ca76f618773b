from django.urls import path

from papers import views

app_name = "papers"

# Included under /meetings/ (config/urls.py), before the meetings app's own routes.
urlpatterns = [
    path("<int:pk>/items/<int:item_pk>/papers/new/", views.paper_upload, name="upload"),
    path("<int:pk>/papers/<int:paper_pk>/replace/", views.paper_replace, name="replace"),
    path("<int:pk>/papers/<int:paper_pk>/publication/", views.paper_publication, name="publication"),
    path("<int:pk>/papers/<int:paper_pk>/download/", views.paper_download, name="download"),
    path(
        "<int:pk>/papers/<int:paper_pk>/versions/<int:number>/download/",
        views.paper_version_download,
        name="download-version",
    ),
    path("<int:pk>/pack.pdf", views.agenda_pack, name="pack"),
]
