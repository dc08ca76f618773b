"""Chasing quarterly returns: the areas' chairs and coordinators, and the secretariat's weekly list.

The chasing service of the returns, kept beside the workflow (reviews.services.returns)
rather than in it: it reads which returns are outstanding and claims reminders
in the reminder log (reminders/), which makes each go out exactly once.

* Each area's SOG chair and MAPPA coordinator (their current memberships of the
  area's SOG) are reminded of a return the area still has to send: 7 days before
  its due date, on the due date, and every 7 days after it, once each. A run that
  was missed catches up with the occasion at hand (the "due" reminder goes the day
  after if the due date's run did not happen), never with every one missed.
* Outstanding means expected (the area was active during the quarter,
  ReportingPeriod.expects) and in a status where the area has the next step: not
  started, draft, or returned for amendment. A submitted, resubmitted or approved
  return is not chased; a nil return counts like any other once submitted. A
  return the secretariat returned for amendment (or reopened) is chased again on
  the same timetable, because the area owes it again: once past the due date,
  weekly, until it is resubmitted.
* Weekly chasing of the chair and coordinator stops after RETURN_CHASE_LATE_WEEKS
  weeks (12): a gap years old is the secretariat's to follow up, and the first
  run on a service with old history must not mail every area about every gap.
* Each member of the secretariat gets one list a week (ISO weeks, Monday to
  Sunday) of the outstanding returns past their due date, with the area's chair
  and coordinator: on the first daily run of the week that has any to list,
  normally Monday's.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from mappa.models import Area, Body, Membership
from reminders import services as reminders
from reminders.models import Reminder
from reviews.models import QuarterlyReturn, ReportingPeriod
from reviews.selectors.matrix import cell_for, returns_by_key

Status = QuarterlyReturn.Status
RETURN_KINDS = (Reminder.Kind.RETURN_DUE, Reminder.Kind.SECRETARIAT_LATE_RETURNS)
# The chair and coordinator hear of a return this many days before it is due, and every this many days after.
BEFORE_DAYS = 7
LATE_EVERY_DAYS = 7
# The seats reminded, and how an e-mail names them ("you: chair of the Fife SOG").
CHASED_ROLES = {Membership.Role.CHAIR: "chair", Membership.Role.COORDINATOR: "MAPPA coordinator"}
logger = logging.getLogger(__name__)


def occasion(due_on, today):
    """Which reminder a return due ``due_on`` is owed on ``today``: "before", "due", "late-week-N", or None.

    "before" from 7 days before the due date, "due" from the due date, "late-week-1"
    from 7 days after it, "late-week-2" from 14, and so on up to
    RETURN_CHASE_LATE_WEEKS. Each is sent once, on the first run that reaches it.
    """
    days = (today - due_on).days
    if days < -BEFORE_DAYS:
        return None
    if days < 0:
        return "before"
    if days < LATE_EVERY_DAYS:
        return "due"
    weeks = days // LATE_EVERY_DAYS
    if weeks > settings.RETURN_CHASE_LATE_WEEKS:
        return None
    return f"late-week-{weeks}"


def return_key(period_id, area_id, what):
    """The subject of a return reminder: "return:<period id>-<area id>:<occasion>"."""
    return f"return:{period_id}-{area_id}:{what}"


def iso_week(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def outstanding_returns(today):
    """Expected returns the area still has to send, of periods open by ``today`` and due within 7 days or past.

    As reviews.selectors.matrix.Cell objects (status "not started" for a return with no
    row yet), oldest period first, then by area. Three queries.
    """
    periods = list(
        ReportingPeriod.objects.filter(opens_on__lte=today, due_on__lte=today + timedelta(days=BEFORE_DAYS)).order_by(
            "year", "quarter"
        )
    )
    if not periods:
        return []
    areas = list(Area.objects.order_by("name"))
    found = returns_by_key(periods=periods)
    cells = (cell_for(period, area, found.get((area.pk, period.pk)), today) for period in periods for area in areas)
    return [cell for cell in cells if cell is not None and cell.status in QuarterlyReturn.EDITABLE]


def area_people(area_ids, today):
    """Area id → [(person id, name, e-mail, role label)] of its SOG's current chair and coordinator (one query)."""
    seats = (
        Membership.objects.current(today)
        .filter(role__in=list(CHASED_ROLES), body__kind=Body.Kind.STRATEGIC_OVERSIGHT_GROUP, body__area_id__in=area_ids)
        .order_by("role", "person__name", "person_id")
        .values_list("body__area_id", "person_id", "person__name", "person__email", "role")
    )
    people = {}
    for area_id, person_id, name, email, role in seats:
        people.setdefault(area_id, []).append((person_id, name, email, CHASED_ROLES[role]))
    return people


@dataclass
class ReturnChase(reminders.Chase):
    """A run's digests (reminders.services.Chase), with ``returns``: (period id, area id) → Cell of every
    outstanding return chased today (claimed now or not), and ``unreachable``: those whose area's SOG has
    no current chair or coordinator (only the secretariat's list tells of them)."""

    returns: dict
    unreachable: list


def chase_late_returns(today, *, dry_run=False):
    """Work out, and unless ``dry_run`` claim, the return reminders of ``today`` (see the module docstring).

    Each chair or coordinator gets one digest of their areas' returns owed a
    reminder today; each member of the secretariat, once a week, one digest of
    the outstanding returns past due. Four queries to plan, whatever the number
    of areas and periods; sending is the caller's job.
    """
    outstanding = outstanding_returns(today)
    people = {}
    owed = {}  # person id -> {(period id, area id): [reasons]}, in the order of ``outstanding``
    chased, unreachable = {}, []
    seats = area_people({cell.area.pk for cell in outstanding}, today)
    for cell in outstanding:
        if occasion(cell.period.due_on, today) is None:
            continue
        key = (cell.period.pk, cell.area.pk)
        chased[key] = cell
        if not seats.get(cell.area.pk):
            unreachable.append(cell)
        for person_id, name, email, role in seats.get(cell.area.pk, []):
            people[person_id] = (name, email)
            owed.setdefault(person_id, {}).setdefault(key, []).append(f"{role} of the {cell.area.name} SOG")
    plan = [
        reminders.Digest(
            Reminder.Kind.RETURN_DUE,
            person_id,
            [
                reminders.Line(
                    person_id,
                    return_key(*key, occasion(chased[key].period.due_on, today)),
                    via="; ".join(reasons),
                    area_id=key[1],
                    reporting_period_id=key[0],
                )
                for key, reasons in returns.items()
            ],
        )
        for person_id, returns in owed.items()
    ]
    late = [cell for cell in outstanding if cell.period.due_on < today]
    if late:
        week = iso_week(today)
        for person_id, name, email in reminders.secretariat():
            people[person_id] = (name, email)
            plan.append(
                reminders.Digest(
                    Reminder.Kind.SECRETARIAT_LATE_RETURNS,
                    person_id,
                    [
                        reminders.Line(
                            person_id,
                            return_key(cell.period.pk, cell.area.pk, f"late-list:{week}"),
                            area_id=cell.area.pk,
                            reporting_period_id=cell.period.pk,
                        )
                        for cell in late
                    ],
                )
            )
        for cell in late:
            chased[(cell.period.pk, cell.area.pk)] = cell
    plan.sort(key=lambda d: (people[d.recipient_id][0].casefold(), d.recipient_id, d.kind))
    if unreachable:
        logger.warning(
            "Return reminders of %s: %d returns have no chair or coordinator to remind (%s)",
            today,
            len(unreachable),
            "; ".join(f"{c.area.name} {c.period.label}" for c in unreachable[:20]),
        )
    digests, to_send = reminders.claim_or_preview(plan, today, RETURN_KINDS, dry_run=dry_run)
    return ReturnChase(today, dry_run, digests, people, to_send, returns=chased, unreachable=unreachable)


def when(due_on, day):
    """ "due in 7 days", "due today", "14 days late" """
    days = (day - due_on).days
    if days < 0:
        return f"due in {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"{days} day{'s' if days != 1 else ''} late"


def return_link(period, area, *, absolute=True):
    """The address of a return's page (with the site's address, for an e-mail, unless ``absolute`` is False)."""
    path = reverse("reviews:return-detail", kwargs={"period": period.slug, "area": area.slug})
    return settings.SITE_URL + path if absolute else path


def occasion_label(subject_key):
    """What a return reminder was for, from its subject key: "7 days before due", "3 weeks late", ..."""
    what = subject_key.split(":", 2)[2]
    if what == "before":
        return f"{BEFORE_DAYS} days before due"
    if what == "due":
        return "due date"
    if what.startswith("late-week-"):
        weeks = int(what.removeprefix("late-week-"))
        return f"{weeks} week{'s' if weeks != 1 else ''} late"
    return f"late, weekly list {what.removeprefix('late-list:')}"


def _lines(rows):
    """One line per row: the return as it is now (status read again), how late, and a link. Two queries."""
    period = rows[0].period
    keys = {(row.reporting_period_id, row.area_id) for row in rows}
    periods = ReportingPeriod.objects.in_bulk({p for p, _a in keys})
    areas = Area.objects.in_bulk({a for _p, a in keys})
    match = Q()
    for period_id, area_id in keys:
        match |= Q(period_id=period_id, area_id=area_id)
    statuses = {
        (r.period_id, r.area_id): r
        for r in QuarterlyReturn.objects.filter(match).only("pk", "period_id", "area_id", "status")
    }
    lines = []
    for row in rows:
        found = (periods.get(row.reporting_period_id), areas.get(row.area_id))
        if None in found:
            continue
        ret = statuses.get((row.reporting_period_id, row.area_id))
        status = ret.status if ret else Status.NOT_STARTED
        lines.append(
            {
                "period": found[0],
                "area": found[1],
                "status": status,
                "status_label": Status(status).label,
                "returned": status == Status.RETURNED,
                "when": when(found[0].due_on, period),
                "late": found[0].due_on < period,
                "link": return_link(*found),
                "via": row.via,
            }
        )
    lines.sort(key=lambda line: (line["period"].due_on, line["period"].year, line["period"].quarter, line["area"].name))
    return lines


def return_digest_context(recipient, rows):
    """Template context for a chair's or coordinator's digest of returns due or late."""
    return {
        "lines": _lines(rows),
        "before_days": BEFORE_DAYS,
        "every_days": LATE_EVERY_DAYS,
        "returns_link": settings.SITE_URL + reverse("reviews:returns"),
    }


def late_returns_context(recipient, rows):
    """Template context for the secretariat's weekly list: each late return with its area's chair and coordinator."""
    lines = _lines(rows)
    seats = area_people({line["area"].pk for line in lines}, rows[0].period)
    for line in lines:
        line["people"] = [f"{name} ({role})" for _pk, name, _email, role in seats.get(line["area"].pk, [])]
    return {
        "lines": lines,
        "week_of": reminders.week_of(rows[0].period)[0],
        "returns_link": settings.SITE_URL + reverse("reviews:returns"),
    }
