"""While the database does not answer, pages say "try again shortly" with a 503, not a 500 (issue 11).

A request that finds the database down (connection refused, dropped, or SQLite's file locked
for longer than the busy timeout) gets the "Sorry, the service is unavailable" page with status
503 and a Retry-After header, as /healthz tells load balancers. Anything else that goes wrong is
still a 500: that is a fault in the service, not a pause in it.

Two ways in, because Django turns an exception into a response at the edge of each middleware:

* DatabaseUnavailableMiddleware.process_exception sees the exceptions views raise (most pages'
  queries, signing in);
* server_error, the handler500 (config/urls.py), sees the ones raised by other middleware before
  or after the view, e.g. loading a signed-in user's session. There Django has already logged
  the exception with its traceback.

The page is rendered without the request: no context processors, no user or navigation
lookups, so nothing on it needs the database.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger(__name__)

# Seconds a browser or client is asked to wait before trying again (the Retry-After header).
RETRY_AFTER_SECONDS = 30

# Django's wrappers of the driver's errors for "the database is not answering" (psycopg2's
# connection refused or closed, a server restart, SQLite's "database is locked" after the busy
# timeout). IntegrityError, ProgrammingError and the like are faults, and stay 500s.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def service_unavailable():
    """The 503 page, with Retry-After; never cached."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 "try again shortly" when a view finds the database unavailable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error(
            "The database did not answer %s %s; answered 503.", request.method, request.path, exc_info=exception
        )
        return service_unavailable()


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a 503 when the uncaught exception is the database being unavailable, else Django's 500."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable()
    return defaults.server_error(request, template_name)
