from django.urls import path

from erasure import views

app_name = "erasure"

urlpatterns = [
    path("", views.erase, name="erase"),
    path("done/", views.done, name="done"),
]
