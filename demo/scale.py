"""The national-scale dataset: as many areas, quarters, groups, meetings and actions as a UK-wide service would hold.

``python manage.py seed_scale [--scale 0.01]`` builds it beside the demo world, to
measure the pages at that size (``scripts/benchmark_scale.py``) and to check that
their number of SQL queries does not grow with the data (``tests/mappa/test_scale.py``).
At full scale: 53 areas (as many as there are MAPPA areas in the UK), 40 quarters of
returns, 60 groups, 5,000 meetings with 40,000 agenda items, 200,000 actions (with the
updates their status and due dates imply), 50 recommendations with 2,000 status updates.

Everything is synthetic and named by number ("Area 17", "Scale body 3", "Scale member
42"), with e-mail on the reserved .example domain; nothing describes an offender. The
dates follow the demo world's: the last quarter is the demo's last (2017-18 Q3), and
every meeting and action falls within the 40 quarters, so which actions are open,
overdue or complete does not depend on the day the dataset is built.

Built for speed: rows go in with ``bulk_create`` in batches, in one transaction, and
the ids come back from the inserts (PostgreSQL, and SQLite 3.35 or later), so the
many-to-many rows are bulk-inserted too. ``bulk_create`` sends no signals and runs no
``save()``, so django-simple-history writes no versions for the scale agenda items
and returns (their history pages show none) and ``ReportingPeriod.save()``'s date
defaults are filled in here by hand. That is fine for synthetic data that nobody
edits; it is also why the builder refuses to run a second time rather than merge.
"""

import math
import random
from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from actions.models import Action, ActionUpdate
from mappa.models import Area, Body, Membership, Organisation, Person
from meetings.models import AgendaItem, Meeting
from recommendations.models import Inspection, Recommendation, StatusUpdate
from reviews import rules
from reviews.models import THEME_FIELDS, QuarterlyReturn, ReportingPeriod

# Every scale record is found by these: the refusal to build twice, and the tests, use them.
AREA_SLUG_PREFIX = "scale-area-"
EMAIL_DOMAIN = "scale.example"
BUILDER_USERNAME = "scale-builder"
INSPECTION_TITLE = "Scale thematic review (synthetic)"

# The last quarter of the 40 is the demo world's last: 2017-18 Q3 (October to December 2017).
LAST_QUARTER = (2017, 3)
BATCH_SIZE = 2000
# Meetings (with their agenda items, actions and owners) are built this many at a time,
# so memory stays flat however many actions there are.
MEETINGS_PER_CHUNK = 250
OTHER_BODY_MEMBERS = 8
SOG_POOL_MEMBERS = 2
PARTNER_ORGANISATIONS = 6
LINKED_ACTIONS = 8  # actions linked to each recommendation

K = AgendaItem.Kind
# Every scale meeting has this agenda; actions are raised under the three topic items.
AGENDA = [
    ("Welcome, introductions and apologies", K.WELCOME),
    ("Minutes of the previous meeting and matters arising", K.PREVIOUS_MINUTES),
    ("Scale topic A", K.TOPIC),
    ("Scale topic B", K.TOPIC),
    ("Scale topic C", K.TOPIC),
    ("Updates from the areas", K.SOG_UPDATES),
    ("Any other business", K.AOB),
    ("Date of next meeting", K.NEXT_MEETING),
]
TOPIC_POSITIONS = [position for position, (_title, kind) in enumerate(AGENDA, start=1) if kind == K.TOPIC]
ACTION_TEXTS = [
    "Circulate scale paper {n} to members for comment",
    "Report progress on scale workstream {n} at the next meeting",
    "Draft guidance note {n} and share it with the secretariat",
    "Confirm the figures for scale report {n} with the areas",
    "Arrange a development session on scale topic {n}",
]

CLOSING_REASONS = {
    Action.Status.COMPLETE: "Reported complete to the group.",
    Action.Status.DROPPED: "Superseded by later work.",
}

# The pages whose queries must not grow with the data, measured at scale by the tests and the benchmark.
LIST_PAGES = ["/dashboard/", "/actions/", "/returns/", "/meetings/"]


def routed_list_pages():
    """LIST_PAGES that this checkout routes (the dashboard arrived later than the others)."""
    routed = []
    for path in LIST_PAGES:
        try:
            resolve(path)
        except Resolver404:
            continue
        routed.append(path)
    return routed


class AlreadyBuilt(Exception):
    """The scale dataset is already in this database; building it again would duplicate it."""


@dataclass(frozen=True)
class Sizes:
    """How many of each record the dataset holds."""

    areas: int
    quarters: int
    bodies: int  # one SOG per area, plus other groups
    meetings: int
    actions: int
    recommendations: int
    status_updates: int

    @classmethod
    def at(cls, scale):
        """The full national sizes times ``scale`` (0 < scale <= 1), never below a small minimum.

        The minimums keep at least two of everything, and eight quarters, so that a
        reduced build still has several rows wherever a page lists rows.
        """
        if not 0 < scale <= 1:
            raise ValueError("The scale must be more than 0 and at most 1.")
        sized = {f.name: max(MINIMUM[f.name], math.ceil(getattr(FULL, f.name) * scale)) for f in fields(cls)}
        sized["bodies"] = max(sized["bodies"], sized["areas"] + 1)
        sized["meetings"] = max(sized["meetings"], sized["bodies"])
        return cls(**sized)


FULL = Sizes(
    areas=53, quarters=40, bodies=60, meetings=5_000, actions=200_000, recommendations=50, status_updates=2_000
)
MINIMUM = {
    "areas": 2,
    "quarters": 8,
    "bodies": 3,
    "meetings": 6,
    "actions": 12,
    "recommendations": 2,
    "status_updates": 4,
}


@dataclass
class Built:
    """What one build created, counted from the database, for the command to print."""

    sizes: Sizes
    areas: int
    periods: int
    returns: int
    bodies: int
    people: int
    meetings: int
    agenda_items: int
    actions: int
    action_owners: int
    action_updates: int
    recommendations: int
    status_updates: int


def existing():
    """How many scale areas and actions this database holds (0, 0 when the dataset is not built)."""
    areas = Area.objects.filter(slug__startswith=AREA_SLUG_PREFIX)
    return areas.count(), Action.objects.filter(created_by__username=BUILDER_USERNAME).count()


def _bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH_SIZE)


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _quarters(count):
    """The ``count`` financial quarters ending with LAST_QUARTER, oldest first, as (year, quarter)."""
    year, quarter = LAST_QUARTER
    index = year * 4 + quarter - 1
    return [(i // 4, i % 4 + 1) for i in range(index - count + 1, index + 1)]


class _Builder:
    """Builds the dataset in order: periods, organisations, areas and groups, people and seats, meetings
    (with agenda items, actions and owners), returns, recommendations. Holds what later steps need."""

    def __init__(self, sizes, seed):
        self.sizes = sizes
        self.random = random.Random(seed)

    def build(self):
        self.user = self._builder_user()
        self.periods, self.new_periods = self._periods()
        self.start, self.end = self.periods[0].starts_on, self.periods[-1].ends_on
        self._organisations()
        self._areas_and_bodies()
        self._people_and_seats()
        self._meetings()
        self._returns()
        self._recommendations()

    # --- who ---

    def _builder_user(self):
        """The login the records are "created by": it cannot sign in and has no role."""
        user, created = get_user_model().objects.get_or_create(
            username=BUILDER_USERNAME, defaults={"email": f"{BUILDER_USERNAME}@{EMAIL_DOMAIN}", "is_active": False}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _organisations(self):
        n_areas = self.sizes.areas
        kinds = [Organisation.Kind.RESPONSIBLE_AUTHORITY] * n_areas + [
            Organisation.Kind.PARTNER
        ] * PARTNER_ORGANISATIONS
        self.organisations = _bulk(
            Organisation,
            [
                Organisation(name=f"Scale organisation {n}", short_name=f"SO{n}", kind=kind)
                for n, kind in enumerate(kinds, start=1)
            ],
        )
        self.inspectorate = Organisation.objects.create(
            name="Scale inspectorate", short_name="Scale insp", kind=Organisation.Kind.INSPECTORATE
        )

    def _areas_and_bodies(self):
        self.areas = _bulk(
            Area,
            [
                Area(name=f"Area {n}", slug=f"{AREA_SLUG_PREFIX}{n}", code=f"S{n:02d}", active=True)
                for n in range(1, self.sizes.areas + 1)
            ],
        )
        nsg = Body.objects.filter(kind=Body.Kind.NATIONAL_STRATEGIC_GROUP).first()
        sogs = [
            Body(
                name=f"{area.name} Strategic Oversight Group",
                short_name=f"{area.name} SOG",
                slug=f"{area.slug}-sog",
                kind=Body.Kind.STRATEGIC_OVERSIGHT_GROUP,
                area=area,
                reports_to=nsg,
            )
            for area in self.areas
        ]
        kinds = [Body.Kind.DEVELOPMENT_GROUP, Body.Kind.WORKING_GROUP]
        others = [
            Body(
                name=f"Scale body {n}",
                short_name=f"Scale body {n}",
                slug=f"scale-body-{n}",
                kind=kinds[n % 2],
                reports_to=nsg,
            )
            for n in range(1, self.sizes.bodies - len(sogs) + 1)
        ]
        self.sogs = _bulk(Body, sogs)
        self.other_bodies = _bulk(Body, others)
        self.bodies = self.sogs + self.other_bodies

    def _people_and_seats(self):
        R = Membership.Role
        people, seats = [], []
        self.chair_of = {}
        for area, sog, organisation in zip(self.areas, self.sogs, self.organisations):
            for role, title in ((R.CHAIR, "SOG Chair"), (R.COORDINATOR, "MAPPA Coordinator")):
                person = Person(
                    name=f"{area.name} {title}",
                    job_title=title,
                    organisation=organisation,
                    email=f"{area.slug}-{role}@{EMAIL_DOMAIN}",
                )
                people.append(person)
                seats.append((person, sog, role))
                if role == R.CHAIR:
                    self.chair_of[sog.slug] = person
        pool_size = max(10, 2 * self.sizes.areas)
        partners = self.organisations[self.sizes.areas :]
        self.members = [
            Person(
                name=f"Scale member {n}",
                job_title="Member",
                organisation=partners[n % len(partners)],
                email=f"scale-member-{n}@{EMAIL_DOMAIN}",
            )
            for n in range(1, pool_size + 1)
        ]
        people += self.members
        for index, body in enumerate(self.other_bodies):
            chosen = [self.members[(index * OTHER_BODY_MEMBERS + k) % pool_size] for k in range(OTHER_BODY_MEMBERS)]
            self.chair_of[body.slug] = chosen[0]
            seats += [(person, body, R.CHAIR if k == 0 else R.MEMBER) for k, person in enumerate(chosen)]
        for index, sog in enumerate(self.sogs):
            seats += [
                (self.members[(index * SOG_POOL_MEMBERS + k) % pool_size], sog, R.MEMBER)
                for k in range(SOG_POOL_MEMBERS)
            ]
        self.people = _bulk(Person, people)
        _bulk(
            Membership,
            [Membership(person=person, body=body, role=role, started_on=self.start) for person, body, role in seats],
        )
        # Named contacts of the partner organisations, for organisation-owned actions.
        contacts = Organisation.contacts.through
        _bulk(
            contacts,
            [
                contacts(organisation_id=member.organisation_id, person_id=member.pk)
                for member in self.members[: len(partners)]
            ],
        )

    # --- when ---

    def _periods(self):
        """The quarters, reusing any period already defined (the demo world's); returns (all, new ones)."""
        wanted = _quarters(self.sizes.quarters)
        found = {(p.year, p.quarter): p for p in ReportingPeriod.objects.all()}
        new = []
        for year, quarter in wanted:
            if (year, quarter) not in found:
                period = ReportingPeriod(year=year, quarter=quarter)
                period.fill_dates()  # what save() would do; bulk_create does not call it
                new.append(period)
        created = {(p.year, p.quarter): p for p in _bulk(ReportingPeriod, new)}
        found.update(created)
        return [found[key] for key in wanted], list(created.values())

    # --- meetings, agenda items, actions and their owners ---

    def _meeting_dates(self):
        """(index, body, date, is the body's last) for each meeting: the bodies in turn, each body's evenly spread."""
        n_meetings, n_bodies = self.sizes.meetings, len(self.bodies)
        per_body = math.ceil(n_meetings / n_bodies)
        gap = (self.end - self.start).days // per_body
        for index in range(n_meetings):
            body_index, turn = index % n_bodies, index // n_bodies
            # Offset each body by a few days (less than the gap), so not every group meets on the same day.
            day = self.start + timedelta(days=turn * gap + body_index % max(1, min(7, gap)))
            yield index, self.bodies[body_index], day, index + n_bodies >= n_meetings

    def _meeting_status(self, body_index, is_last):
        """Published, except each body's last meeting: held, draft circulated or agreed, in turn."""
        if not is_last:
            return Meeting.Status.PUBLISHED
        return [Meeting.Status.HELD, Meeting.Status.DRAFT_CIRCULATED, Meeting.Status.MINUTES_AGREED][body_index % 3]

    def _meetings(self):
        n_meetings = self.sizes.meetings
        base, extra = divmod(self.sizes.actions, n_meetings)
        self.sample_actions = []
        chunk = []
        for index, body, day, is_last in self._meeting_dates():
            chunk.append((index, body, day, is_last, base + (1 if index < extra else 0)))
            if len(chunk) == MEETINGS_PER_CHUNK:
                self._meeting_chunk(chunk)
                chunk = []
        if chunk:
            self._meeting_chunk(chunk)

    def _meeting_chunk(self, chunk):
        body_index = {body.pk: i for i, body in enumerate(self.bodies)}
        meetings = _bulk(
            Meeting,
            [
                Meeting(
                    body=body,
                    date=day,
                    start_time=time(10),
                    end_time=time(12, 30),
                    venue=f"Scale venue {index % 20 + 1}",
                    chair=self.chair_of[body.slug],
                    status=self._meeting_status(body_index[body.pk], is_last),
                    comment_deadline=day + timedelta(days=21),
                )
                for index, body, day, is_last, _count in chunk
            ],
        )
        items = _bulk(
            AgendaItem,
            [
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    kind=kind,
                    title=title,
                    narrative="Synthetic minute of the scale dataset." if kind == K.TOPIC else "",
                )
                for meeting in meetings
                for position, (title, kind) in enumerate(AGENDA, start=1)
            ],
        )
        topics = {}
        for item in items:
            if item.position in TOPIC_POSITIONS:
                topics.setdefault(item.meeting_id, []).append(item)
        actions = []
        for meeting, (_index, _body, _day, _is_last, count) in zip(meetings, chunk):
            actions += [
                self._action(meeting, topics[meeting.pk][number % len(TOPIC_POSITIONS)], number)
                for number in range(1, count + 1)
            ]
        actions = _bulk(Action, actions)
        self._owners(actions, {meeting.pk: meeting.body for meeting in meetings})
        self._timelines(actions, {meeting.pk: meeting.date for meeting in meetings})
        self.sample_actions += actions[:: max(1, len(actions) // 4)][:4]

    def _action(self, meeting, item, number):
        rng = self.random
        recent = (self.end - meeting.date).days < 365
        # Older actions are mostly done; those of the last year are mostly still open.
        weights = (40, 30, 25, 5) if recent else (3, 2, 90, 5)
        status = rng.choices(Action.Status.values, weights=weights)[0]
        due = meeting.date + timedelta(days=rng.choice((14, 28, 42, 90, 120)))
        moved = rng.random() < 0.1
        return Action(
            meeting=meeting,
            agenda_item=item,
            number=number,
            text=rng.choice(ACTION_TEXTS).format(n=rng.randint(1, 500)) + ".",
            due_date=due + timedelta(days=28) if moved else due,
            original_due_date=due,
            status=status,
            created_by=self.user,
            created_at=_aware(meeting.date, 13),
        )

    def _timelines(self, actions, held_on):
        """The updates each action's state implies, as the service would have recorded them: a moved due
        date (a week after the meeting), then the change to its status (within four months, never after
        the last quarter), so that the dashboard's "as at" figures for a past range have timelines to read."""
        rng = self.random
        updates = []
        for action in actions:
            day = held_on[action.meeting_id]
            if action.due_date != action.original_due_date:
                moved = min(day + timedelta(days=7), self.end)
                updates.append(
                    ActionUpdate(
                        action=action,
                        author=self.user,
                        at=_aware(moved, 9),
                        new_due_date=action.due_date,
                        reason="Moved at the group's request.",
                    )
                )
            if action.status != Action.Status.OPEN:
                changed = min(day + timedelta(days=rng.randint(7, 120)), self.end)
                updates.append(
                    ActionUpdate(
                        action=action,
                        author=self.user,
                        at=_aware(changed, 11),
                        new_status=action.status,
                        reason=CLOSING_REASONS.get(action.status, ""),
                        text="Progress reported to the group.",
                    )
                )
        _bulk(ActionUpdate, updates)

    def _owners(self, actions, body_of):
        """One owner per action (a person, an organisation or the whole group), a second for one in ten."""
        rng = self.random
        people, organisations, bodies = [], [], []
        partners = self.organisations[self.sizes.areas :]
        for action in actions:
            for _ in range(2 if rng.random() < 0.1 else 1):
                kind = rng.random()
                if kind < 0.5:
                    people.append((action.pk, rng.choice(self.members).pk))
                elif kind < 0.8:
                    organisations.append((action.pk, rng.choice(partners).pk))
                else:
                    bodies.append((action.pk, body_of[action.meeting_id].pk))
        for relation, pairs, column in (
            (Action.owner_people, people, "person_id"),
            (Action.owner_organisations, organisations, "organisation_id"),
            (Action.owner_bodies, bodies, "body_id"),
        ):
            through = relation.through
            _bulk(through, [through(action_id=action, **{column: owner}) for action, owner in set(pairs)])

    # --- returns ---

    def _figures(self):
        """Figures that pass every rule of a return: counts within counts, themes only with case reviews."""
        rng = self.random
        initial = rng.randint(0, 8)
        progressed = rng.randint(0, initial)
        received = rng.randint(0, 6)
        accepted = rng.randint(0, received)
        values = {
            "initial_icrs_processed": initial,
            "progressed_to_full_icr": progressed,
            "scrs_commissioned": rng.randint(0, min(progressed, 1)),
            "scrs_completed": rng.randint(0, 1) if progressed else 0,
            "icrs_from_proactive_policing": rng.randint(0, initial),
            "category3_received": received,
            "category3_accepted": accepted,
            "category3_declined": rng.randint(0, received - accepted),
        }
        if initial or progressed:
            values[rng.choice(THEME_FIELDS[:-1])] = True
        values["is_nil_return"] = not any(values.values())
        return values

    def _return(self, area, period, status):
        S = QuarterlyReturn.Status
        ret = QuarterlyReturn(
            area=area,
            period=period,
            status=status,
            narrative=f"Synthetic return of the scale dataset: {area.name}, {period.label}.",
        )
        if status == S.NOT_STARTED:
            return ret
        for name, value in self._figures().items():
            setattr(ret, name, value)
        ret.sections_saved = [section.slug for section in rules.SECTIONS]
        if status == S.DRAFT:
            return ret
        # One return in eight arrives after its due date.
        days = self.random.randint(-20, -1) if self.random.random() < 7 / 8 else self.random.randint(1, 30)
        ret.first_submitted_at = ret.submitted_at = _aware(period.due_on + timedelta(days=days))
        if status == S.APPROVED:
            ret.approved_at = ret.first_submitted_at + timedelta(days=8)
            ret.approved_by = self.user
        return ret

    def _status_of(self, period_index, area_index):
        """Approved, except in the last two quarters, where returns are at every stage."""
        S = QuarterlyReturn.Status
        from_end = len(self.periods) - 1 - period_index
        if from_end == 0:
            return [S.APPROVED, S.SUBMITTED, S.DRAFT, S.NOT_STARTED, S.RETURNED][area_index % 5]
        if from_end == 1:
            return [S.APPROVED, S.APPROVED, S.RESUBMITTED, S.APPROVED][area_index % 4]
        return S.APPROVED

    def _returns(self):
        returns = [
            self._return(area, period, self._status_of(p, a))
            for p, period in enumerate(self.periods)
            for a, area in enumerate(self.areas)
        ]
        # The areas already here (the demo world's) owe returns for the quarters this build added
        # before theirs began: give them approved returns, so the matrix shows no false gaps.
        others = Area.objects.exclude(pk__in=[area.pk for area in self.areas])
        returns += [
            self._return(area, period, QuarterlyReturn.Status.APPROVED)
            for period in self.new_periods
            for area in others
            if period.expects(area)
        ]
        _bulk(QuarterlyReturn, returns)

    # --- recommendations ---

    def _recommendations(self):
        S = StatusUpdate.Status
        inspection = Inspection.objects.create(title=INSPECTION_TITLE, published_on=self.start)
        inspection.inspectorates.add(self.inspectorate)
        recommendations = _bulk(
            Recommendation,
            [
                Recommendation(
                    inspection=inspection,
                    number=n,
                    short_title=f"Scale recommendation {n}",
                    text=f"Scale recommendation {n}: a synthetic recommendation of the scale dataset.",
                )
                for n in range(1, self.sizes.recommendations + 1)
            ],
        )
        per, extra = divmod(self.sizes.status_updates, len(recommendations))
        updates = []
        progress = StatusUpdate.Progress.values
        for index, recommendation in enumerate(recommendations):
            count = per + (1 if index < extra else 0)
            for k in range(count):
                period = self.periods[(k * len(self.periods)) // max(count, 1)]
                met = index % 4 == 0 and k == count - 1
                status = S.MET if met else self.random.choice([s for s in S.values if s != S.MET])
                updates.append(
                    StatusUpdate(
                        recommendation=recommendation,
                        as_of=period.ends_on,
                        status=status,
                        progress=StatusUpdate.Progress.COMPLETE if met else self.random.choice(progress[1:]),
                        narrative=f"Synthetic update {k + 1} on scale recommendation {recommendation.number}.",
                        completion_date=period.ends_on if met else None,
                        review_date=period.due_on,
                        source_note=f"Scale action plan, {period.label}",
                        recorded_by=self.user,
                        recorded_at=_aware(period.ends_on),
                    )
                )
        _bulk(StatusUpdate, updates)
        # A few actions serve each recommendation, as in the real action plan.
        served, sample = Recommendation.actions.through, self.sample_actions
        links = {
            (recommendation.pk, sample[(index * LINKED_ACTIONS + k) % len(sample)].pk)
            for index, recommendation in enumerate(recommendations)
            for k in range(LINKED_ACTIONS)
        }
        _bulk(served, [served(recommendation_id=r, action_id=a) for r, a in sorted(links)])


def build(scale=1.0, seed=2017):
    """Build the national-scale dataset at ``scale`` of full size, in one transaction.

    Raises AlreadyBuilt, and changes nothing, if this database already holds it.
    Deterministic: the same scale and seed give the same records.
    """
    sizes = Sizes.at(scale)
    with transaction.atomic():
        areas, actions = existing()
        if areas:
            raise AlreadyBuilt(f"The scale dataset is already built here ({areas} areas, {actions:,} actions).")
        builder = _Builder(sizes, seed)
        builder.build()
    # Fresh statistics, so the query planner knows the tables are now large (autovacuum would take a while).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    scale_areas = Area.objects.filter(slug__startswith=AREA_SLUG_PREFIX)
    scale_actions = Action.objects.filter(created_by=builder.user)
    return Built(
        sizes=sizes,
        areas=scale_areas.count(),
        periods=len(builder.periods),
        returns=QuarterlyReturn.objects.filter(narrative__startswith="Synthetic return of the scale dataset").count(),
        bodies=len(builder.bodies),
        people=len(builder.people),
        meetings=Meeting.objects.filter(body__in=builder.bodies).count(),
        agenda_items=AgendaItem.objects.filter(meeting__body__in=builder.bodies).count(),
        actions=scale_actions.count(),
        action_owners=sum(
            relation.through.objects.filter(action__in=scale_actions).count()
            for relation in (Action.owner_people, Action.owner_organisations, Action.owner_bodies)
        ),
        action_updates=ActionUpdate.objects.filter(action__in=scale_actions).count(),
        recommendations=Recommendation.objects.filter(inspection__title=INSPECTION_TITLE).count(),
        status_updates=StatusUpdate.objects.filter(recommendation__inspection__title=INSPECTION_TITLE).count(),
    )
