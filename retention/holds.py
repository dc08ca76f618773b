"""Holds: what must be kept whatever the schedule says ("nothing goes that a still-open disclosure request covers").

An app that must keep records past their date registers a hold from its ``AppConfig.ready()``::

    from retention.holds import register_hold

    def covered_by_open_requests(kind, rows):
        if kind != "papers":
            return None
        return rows.filter(disclosure_requests__closed_at__isnull=True).values("pk")

    register_hold(covered_by_open_requests)

A hold is called with the key of a kind of the schedule ("papers", "returns", ...; retention.schedule)
and the query set of that kind's rows past their date; it returns the rows (a query set of them or of
their primary keys, or a list of primary keys) to keep this time, or None for none. Held rows are
counted ("held") and left alone; they go on a later run once no hold keeps them. disclosure.holds keeps
what an open freedom-of-information request covers.

This is the one module of ``retention`` another app may import (the rest is above the domain apps and
imported by nobody); it imports nothing of theirs.
"""

_holds = []


def register_hold(hold):
    """Add ``hold`` (kind key, rows -> rows to keep, or None); returns it, so it also works as a decorator."""
    if hold not in _holds:
        _holds.append(hold)
    return hold


def unregister_hold(hold):
    """Remove a hold (for tests)."""
    if hold in _holds:
        _holds.remove(hold)


def without_held(kind, rows):
    """``rows`` less every row a registered hold keeps."""
    for hold in list(_holds):
        kept = hold(kind, rows)
        if kept is not None:
            rows = rows.exclude(pk__in=kept)
    return rows
