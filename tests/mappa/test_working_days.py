"""Scottish working days and the FOISA deadline, on real Scottish dates.

Expected dates were counted by hand on the 2026/2027 calendars against the Scottish holidays the
``holidays`` library gives: 2026: 30 Nov (St Andrew's Day, Mon), 25 Dec (Fri), 28 Dec (Boxing Day
observed); 2027: 1 Jan (Fri), 4 Jan (2 January holiday observed), 30 Nov (Tue), 27 and 28 Dec.
"""

import datetime

import pytest

from mappa import working_days
from mappa.working_days import (
    add_working_days,
    holiday_name,
    is_working_day,
    statutory_due_date,
    working_days_between,
)

D = datetime.date


@pytest.mark.parametrize(
    "day, name",
    [
        (D(2026, 11, 30), "Saint Andrew's Day"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 28), "Boxing Day (observed)"),
        (D(2027, 1, 1), "New Year's Day"),
        (D(2027, 1, 4), "New Year Holiday (observed)"),
        (D(2027, 8, 2), "Summer Bank Holiday"),
        (D(2027, 11, 30), "Saint Andrew's Day"),
    ],
)
def test_scottish_holidays_are_not_working_days(day, name):
    assert day.weekday() < 5
    assert holiday_name(day) == name
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 12, 24),  # Christmas Eve is a working day
        D(2026, 12, 29),
        D(2027, 1, 5),
        D(2027, 4, 5),  # Easter Monday is a holiday in England, not in Scotland
        D(2027, 8, 30),  # the English late-August bank holiday
    ],
)
def test_ordinary_weekdays_are_working_days(day):
    assert holiday_name(day) is None
    assert is_working_day(day)


def test_weekends_are_not_working_days():
    assert not is_working_day(D(2026, 12, 19))  # Saturday
    assert not is_working_day(D(2026, 12, 20))  # Sunday


def test_received_friday_18_december_2026_is_due_thursday_21_january_2027():
    # 21-24 Dec (4), 29-31 Dec (7), 5-8 Jan (11), 11-15 Jan (16), 18-21 Jan (20);
    # skipping 25 Dec, 28 Dec (Boxing Day observed), 1 Jan and 4 Jan (2 January observed).
    assert statutory_due_date(D(2026, 12, 18)) == D(2027, 1, 21)


def test_the_christmas_holidays_are_skipped_one_by_one():
    received = D(2026, 12, 18)
    assert add_working_days(received, 4) == D(2026, 12, 24)
    assert add_working_days(received, 5) == D(2026, 12, 29)
    assert add_working_days(received, 7) == D(2026, 12, 31)
    assert add_working_days(received, 8) == D(2027, 1, 5)


def test_st_andrews_day_counts_as_a_holiday():
    # Received Friday 27 November 2026: Monday 30 November is St Andrew's Day.
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 12, 1)
    # 1-4 Dec (4), 7-11 (9), 14-18 (14), 21-24 (18), 29 (19), 30 (20).
    assert statutory_due_date(D(2026, 11, 27)) == D(2026, 12, 30)


@pytest.mark.parametrize("received", [D(2026, 12, 5), D(2026, 12, 6)])
def test_a_weekend_receipt_starts_counting_on_the_monday(received):
    assert add_working_days(received, 1) == D(2026, 12, 7)
    # 7-11 Dec (5), 14-18 (10), 21-24 (14), 29-31 (17), 5-7 Jan (20).
    assert statutory_due_date(received) == D(2027, 1, 7)
    # The same deadline as a request received on the Friday before.
    assert statutory_due_date(D(2026, 12, 4)) == D(2027, 1, 7)


def test_a_receipt_on_a_holiday_starts_counting_on_the_next_working_day():
    assert add_working_days(D(2026, 12, 25), 1) == D(2026, 12, 29)


def test_the_start_never_counts():
    monday = D(2027, 1, 11)
    assert add_working_days(monday, 0) == monday
    assert add_working_days(monday, 1) == D(2027, 1, 12)
    assert add_working_days(monday, 5) == D(2027, 1, 18)


def test_working_days_between_counts_after_start_up_to_and_including_end():
    assert working_days_between(D(2026, 12, 18), D(2026, 12, 18)) == 0
    assert working_days_between(D(2026, 12, 18), D(2026, 12, 21)) == 1
    assert working_days_between(D(2026, 12, 24), D(2026, 12, 28)) == 0  # Christmas and Boxing Day observed
    assert working_days_between(D(2026, 12, 18), D(2027, 1, 21)) == 20


def test_working_days_between_is_negative_when_end_is_before_start():
    # A reply due 21 January and sent 26 January is 3 working days late.
    assert working_days_between(D(2027, 1, 26), D(2027, 1, 21)) == -3
    assert working_days_between(D(2027, 1, 21), D(2027, 1, 26)) == 3


@pytest.mark.parametrize("start", [D(2026, 11, 27), D(2026, 12, 18), D(2026, 12, 26), D(2027, 12, 24)])
@pytest.mark.parametrize("count", [0, 1, 3, 20, 60])
def test_working_days_between_undoes_add_working_days(start, count):
    assert working_days_between(start, add_working_days(start, count)) == count


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2027, 1, 5), -1)


def test_a_datetime_is_refused_rather_than_cut_to_its_utc_date():
    with pytest.raises(TypeError):
        is_working_day(datetime.datetime(2026, 12, 18, 23, 30, tzinfo=datetime.UTC))
    with pytest.raises(TypeError):
        statutory_due_date("2026-12-18")


def test_the_holiday_table_is_built_once_per_year():
    working_days._scottish_holidays.cache_clear()
    for day in (D(2026, 12, 1), D(2026, 12, 2), D(2026, 12, 25)):
        is_working_day(day)
    info = working_days._scottish_holidays.cache_info()
    assert (info.misses, info.hits) == (1, 2)
