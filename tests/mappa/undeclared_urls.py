"""A URLconf for tests only: the real one plus pages whose authors forgot to declare access.

tests/mappa/test_url_permissions.py uses it to show that the middleware refuses a
page with no access rule, and that the URL audit names such pages.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as service_patterns


def undeclared(request):
    return HttpResponse("nobody should see this")


@login_not_required
def unreviewed_public(request):
    return HttpResponse("public, but nobody reviewed it")


urlpatterns = [
    path("undeclared/", undeclared, name="undeclared-page"),
    path("unreviewed-public/", unreviewed_public, name="unreviewed-public-page"),
    *service_patterns,
]
