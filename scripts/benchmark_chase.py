"""How the chase of overdue actions scales: wall time and SQL queries at 10,000 and 100,000 actions.

    .venv/bin/python scripts/benchmark_chase.py [--database sqlite|postgres] [--claim]

Seeds a throwaway database with 5,000 people, 40 bodies (every person sits on
one, a tenth on a second), 200 organisations with 2 named contacts each, 1,000
meetings and 10,000 actions (85% owned by a person, 12% by an organisation, 3% by
a whole body; due dates spread over 120 days either side of today; 3 in 5 open),
runs the chase service as a dry run and prints its wall time and number of SQL
queries; then adds actions up to 100,000 and does the same, side by side. The
query count must be the same in both columns; the script asserts nothing about
time. With --claim it also times a real claim of each size (rolled back after),
its INSERT statements counted apart (one per batch of rows).

The database: a temporary SQLite file (default), or with --database postgres a
database named `bench_chase` created on the server of BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432/postgres) and dropped at the end.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"

PEOPLE, BODIES, ORGANISATIONS, MEETINGS = 5_000, 40, 200, 1_000
SIZES = (10_000, 100_000)
BENCH_DB = "bench_chase"


def postgres_admin(url):
    import psycopg2

    parts = urlsplit(url)
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=parts.path.lstrip("/") or "postgres",
    )
    conn.autocommit = True
    return conn, parts


def seed_world(today):
    """People, bodies, memberships, organisations and contacts, meetings with one agenda item each."""
    from django.contrib.auth import get_user_model

    from mappa.models import Body, Membership, Organisation, Person
    from meetings.models import AgendaItem, Meeting

    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"bench-{n}") for n in range(4)])
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Organisation {n}", short_name=f"ORG{n}", kind="partner") for n in range(ORGANISATIONS)]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                name=f"Person {n:05d}",
                email=f"person{n}@bench.example",
                organisation=organisations[n % ORGANISATIONS],
                user=users[1 + n] if n < 3 else None,
                access_role="secretariat" if n < 3 else "",
            )
            for n in range(PEOPLE)
        ],
        batch_size=1000,
    )
    Organisation.contacts.through.objects.bulk_create(
        [
            Organisation.contacts.through(organisation_id=org.pk, person_id=people[(i * 2 + k) * 11 % PEOPLE].pk)
            for i, org in enumerate(organisations)
            for k in range(2)
        ],
        ignore_conflicts=True,
    )
    bodies = Body.objects.bulk_create(
        [Body(name=f"Working group {n}", short_name=f"WG{n}", slug=f"wg-{n}", kind="slwg") for n in range(BODIES)]
    )
    seats = [
        Membership(person=person, body=bodies[n % BODIES], started_on=date(2016, 4, 1))
        for n, person in enumerate(people)
    ]
    seats += [
        Membership(person=person, body=bodies[(n + 7) % BODIES], started_on=date(2016, 4, 1))
        for n, person in enumerate(people)
        if n % 10 == 0
    ]
    Membership.objects.bulk_create(seats, batch_size=2000)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                body=bodies[n % BODIES],
                date=today - timedelta(days=30 + n // BODIES * 14),
                start_time="10:00",
                end_time="12:00",
                venue="Edinburgh",
            )
            for n in range(MEETINGS)
        ],
        batch_size=1000,
    )
    items = AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, position=1, title="Actions") for meeting in meetings], batch_size=1000
    )
    return users[0], people, organisations, bodies, items


def seed_actions(start, stop, today, world):
    """Actions numbered start..stop-1, spread evenly over the meetings, with their owners."""
    from actions.models import Action

    creator, people, organisations, bodies, items = world
    statuses = ["open", "in_progress", "open", "complete", "dropped"]
    batch = 10_000
    for low in range(start, stop, batch):
        numbers = range(low, min(low + batch, stop))
        actions = Action.objects.bulk_create(
            [
                Action(
                    meeting_id=items[i % MEETINGS].meeting_id,
                    agenda_item=items[i % MEETINGS],
                    number=i // MEETINGS + 1,
                    text=f"Benchmark action {i}",
                    due_date=today + timedelta(days=(i * 37) % 240 - 120),
                    original_due_date=today + timedelta(days=(i * 37) % 240 - 120),
                    status=statuses[i % 5],
                    created_by=creator,
                )
                for i in numbers
            ]
        )
        owners_p, owners_o, owners_b = [], [], []
        for i, action in zip(numbers, actions):
            share = i % 100
            if share < 85:
                owners_p.append(
                    Action.owner_people.through(action_id=action.pk, person_id=people[(i * 7919) % PEOPLE].pk)
                )
                if share % 10 == 0:
                    owners_o.append(
                        Action.owner_organisations.through(
                            action_id=action.pk, organisation_id=organisations[i % ORGANISATIONS].pk
                        )
                    )
            elif share < 97:
                owners_o.append(
                    Action.owner_organisations.through(
                        action_id=action.pk, organisation_id=organisations[i % ORGANISATIONS].pk
                    )
                )
            else:
                owners_b.append(Action.owner_bodies.through(action_id=action.pk, body_id=bodies[i % BODIES].pk))
        Action.owner_people.through.objects.bulk_create(owners_p, batch_size=5000)
        Action.owner_organisations.through.objects.bulk_create(owners_o, batch_size=5000)
        Action.owner_bodies.through.objects.bulk_create(owners_b, batch_size=5000)


def measure(today, *, dry_run):
    """Run the chase once; return (seconds, queries, INSERT statements, result)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from actions.chasing import chase_overdue_actions

    class Rollback(Exception):
        pass

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = chase_overdue_actions(today, dry_run=dry_run)
                seconds = time.perf_counter() - started
                raise Rollback  # leave nothing behind, so each run starts from the same log
        except Rollback:
            pass
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    sql = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(control)]  # transactions aside
    inserts = sum(1 for s in sql if s.startswith("INSERT"))
    return seconds, len(sql) - inserts, inserts, result


def run(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    started = time.perf_counter()
    world = seed_world(today)
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); today: {today:%-d %B %Y}")
    print(
        f"Seeded {PEOPLE:,} people, {BODIES} bodies, {ORGANISATIONS} organisations, {MEETINGS:,} meetings "
        f"in {time.perf_counter() - started:.1f} s"
    )
    columns = []
    seeded = 0
    for size in SIZES:
        started = time.perf_counter()
        seed_actions(seeded, size, today, world)
        seeded = size
        seed_seconds = time.perf_counter() - started
        measure(today, dry_run=True)  # warm the caches once, as a daily job's process would be
        seconds, queries, _, result = measure(today, dry_run=True)
        column = {
            "actions": size,
            "seed": seed_seconds,
            "chased": len(result.actions),
            "digests": len(result.digests),
            "lines": result.lines(),
            "unreachable": len(result.unreachable),
            "queries": queries,
            "seconds": seconds,
        }
        if args.claim:
            column["claim_seconds"], column["claim_queries"], column["claim_inserts"], _ = measure(today, dry_run=False)
        columns.append(column)

    rows = [
        ("actions in the database", "actions", "{:,}"),
        ("  seeded in", "seed", "{:.1f} s"),
        ("actions chased (open, overdue or due in 7 days)", "chased", "{:,}"),
        ("digests (e-mails) planned", "digests", "{:,}"),
        ("lines in them", "lines", "{:,}"),
        ("actions with nobody to tell", "unreachable", "{:,}"),
        ("dry run: SQL queries", "queries", "{}"),
        ("dry run: wall time", "seconds", "{:.2f} s"),
    ]
    if args.claim:
        rows += [
            ("claim: SQL queries (besides INSERTs)", "claim_queries", "{}"),
            ("claim: INSERT statements (batches)", "claim_inserts", "{}"),
            ("claim: wall time", "claim_seconds", "{:.2f} s"),
        ]
    print()
    print(f"{'':50}" + "".join(f"{c['actions']:>16,}" for c in columns))
    for label, key, fmt in rows:
        print(f"{label:50}" + "".join(f"{fmt.format(c[key]):>16}" for c in columns))
    same = len({c["queries"] for c in columns}) == 1
    print(f"\nQuery count {'the same' if same else 'DIFFERENT'} for {' and '.join(f'{s:,}' for s in SIZES)} actions.")
    return 0 if same else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--claim", action="store_true", help="also time a real claim (rolled back)")
    args = parser.parse_args()

    if args.database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-chase-") as folder:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            return run(args)

    admin_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    admin, parts = postgres_admin(admin_url)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')  # left over from an interrupted run
        cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", "", ""))
    os.environ["DATABASE_CONN_MAX_AGE"] = "0"
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        admin.close()


if __name__ == "__main__":
    sys.exit(main())
