"""The dashboard drawn once per audience and scope, kept in Django's cache until the data changes.

At national scale the figures take a second or more to count (dashboard.selectors) and the
charts a few hundred milliseconds to draw, yet they change only when someone records
something. So the whole dashboard, charts drawn, is kept in the cache (Redis in production
when CACHES points there, each process's memory by default) under a key made of:

* the data's *generation* (mappa.generation): a counter bumped whenever a record of the apps
  the dashboard reads is saved, deleted or its many-to-many links change;
* the day (figures are "as at" today, and returns fall late by the day);
* what the reader may see: their roles and, for a SOG chair, the areas they act for
  (dashboard.selectors and reviews.selectors.visibility read nothing else of the user);
* the filters.

Writes that send no signal do not bump it: those entries expire after TIMEOUT at the latest. The figures are the same as uncached ones: only their reuse is new.
"""

import hashlib
import pickle
import zlib

from django.conf import settings
from django.core.cache import cache

from dashboard.selectors.board import dashboard
from mappa import access, generation
from mappa.generation import TIMEOUT
from mappa.selectors import areas_for

# Charts are drawn once for every reader, so with a stand-in for the response's CSP nonce.
NONCE = "dashboard-chart-nonce"


def audience(user):
    """What of the user the dashboard depends on: their roles, and the areas a SOG chair acts for."""
    roles = sorted(access.roles_of(user))
    areas = []
    if access.has_role(user, access.Role.SOG_CHAIR) and not access.has_role(user, *access.SECRETARIAT):
        areas = sorted(areas_for(user).values_list("pk", flat=True))
    return f"{','.join(roles)}|{','.join(map(str, areas))}"


def key(user, scope):
    parts = [str(generation.current()), scope.today.isoformat(), audience(user), scope.query]
    parts.append(str(settings.DISCLOSURE_THRESHOLD))
    return "dashboard:board:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def drawn_board(user, scope, *, page=None):
    """The dashboard for ``user`` within ``scope``, every chart drawn (with the stand-in nonce): from the cache
    when this audience has seen this scope since the data last changed.

    ``page(board)``, if given, draws the page's HTML below the filters: drawn once too, and kept with it.
    """
    board_key = key(user, scope)
    kept = cache.get(board_key)
    board = pickle.loads(zlib.decompress(kept)) if kept is not None else None
    if board is not None and (board.page or page is None):
        return board
    if board is None:
        board = dashboard(user, scope).render_charts(nonce=NONCE)
        for section in board.sections:
            for figure in section.figures:
                figure.chart = None  # drawn: the pygal object need not be kept
    if page is not None:
        board.page = page(board)
    # Compressed: a national board (the long tables whole, for their pages and files) is about 800 KiB
    # pickled, 10 times less compressed, in each process's memory or on Redis.
    cache.set(board_key, zlib.compress(pickle.dumps(board, pickle.HIGHEST_PROTOCOL)), TIMEOUT)
    return board
