"""Scottish working days, for the freedom-of-information deadline (FOISA s.10: "the twentieth working
day following the date of receipt").

A working day is Monday to Friday and not a Scottish public holiday. The holidays come from the
``holidays`` library (``GB``, subdivision ``SCT``: St Andrew's Day, 2 January, the Summer bank holiday
in early August, and the "observed" Mondays when a holiday falls at a weekend), never from a list of
our own. Every function takes plain ``datetime.date`` values: a request's date of receipt is the day
in Scotland, so a ``datetime`` is refused rather than silently cut to its UTC date.
"""

import datetime
import functools

import holidays

__all__ = [
    "add_working_days",
    "holiday_name",
    "is_working_day",
    "statutory_due_date",
    "working_days_between",
]

# FOISA s.10(1): the authority must comply "promptly, and in any event by not later than the
# twentieth working day following the date of receipt".
STATUTORY_WORKING_DAYS = 20

_ONE_DAY = datetime.timedelta(days=1)


@functools.cache
def _scottish_holidays(year: int) -> dict[datetime.date, str]:
    # Built once per year and process: the library computes the Easter and "observed" dates each time.
    return dict(holidays.country_holidays("GB", subdiv="SCT", years=year))


def _as_day(value) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"a date is needed (the day in Scotland), not {value!r}")
    return value


def holiday_name(day: datetime.date) -> str | None:
    """The Scottish public holiday on ``day`` ("Saint Andrew's Day", "Boxing Day (observed)"), or None."""
    day = _as_day(day)
    return _scottish_holidays(day.year).get(day)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a Scottish public holiday."""
    day = _as_day(day)
    return day.weekday() < 5 and day not in _scottish_holidays(day.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start``; ``start`` itself never counts, and 0 gives ``start``."""
    day = _as_day(start)
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    while count:
        day += _ONE_DAY
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days fall after ``start`` up to and including ``end``.

    The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``.
    0 when ``end`` is ``start``; when ``end`` is before ``start`` the count is negative, minus the
    working days after ``end`` up to and including ``start`` (a reply due in -3 days is 3 days late).
    """
    start, end = _as_day(start), _as_day(end)
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += _ONE_DAY
        count += is_working_day(day)
    return count


def statutory_due_date(received_on: datetime.date) -> datetime.date:
    """The last day to reply to a request received on ``received_on``: the 20th working day after it.

    A request received on a weekend or holiday is no different: the next working day is day 1.
    """
    return add_working_days(received_on, STATUTORY_WORKING_DAYS)
