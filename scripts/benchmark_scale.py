"""How long the list pages take on the national-scale dataset, beside a trivial signed-in page.

    python manage.py seed_demo && python manage.py seed_scale      # once, in the database to measure
    .venv/bin/python scripts/benchmark_scale.py [--runs N] [--user USERNAME ...] [--page /actions/ ...]

Uses the database DATABASE_URL names (the demo world and the scale dataset must be
in it; it changes nothing there but the benchmark logins' sessions, and the PDFs a download keeps). For each login
(by default the demo's secretariat, inspector and Fife SOG chair), asks each page
once to warm up, then N times (10 by default) through Django's test client in this
process, and prints each page's median server time, its ratio to the trivial page
(the "password changed" page: a signed-in page that reads no data), its number of SQL
queries and the size of its HTML (a page the login may not read is said so). /dashboard/ is measured
only if it is routed. An agreed minute's PDF (e.g. /meetings/2/minutes.pdf, the demo's NSG of 31 May
2017) is served as kept when agreed; its warm-up request keeps one agreed before PDFs were kept.
It asserts nothing about time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The real settings with DEBUG off (unless the environment turns it on), plus the test suite's
# defaults: a key, plain HTTP, static files from their sources (no collectstatic needed).
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"

TRIVIAL = "/accounts/password/change/done/"
DEFAULT_USERS = ["secretariat", "inspector", "chair-fife"]


def measure(client, url, runs):
    """(median seconds, number of queries, bytes) of GET ``url``: one warm-up, ``runs`` timed, one counted;
    None if the page is not the signed-in user's to read (403 or 404)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code in (403, 404):
        return None  # not this login's to read (an inspector and a draft minute)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        seconds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(seconds), len(queries), len(response.content)


def describe_dataset():
    from actions.models import Action
    from demo import scale
    from mappa.models import Area, Body
    from meetings.models import Meeting
    from reviews.models import QuarterlyReturn, ReportingPeriod

    areas, _ = scale.existing()
    if not areas:
        raise SystemExit("No scale dataset in this database: run `python manage.py seed_scale` first.")
    return (
        f"{Area.objects.count()} areas, {ReportingPeriod.objects.count()} quarters, "
        f"{QuarterlyReturn.objects.count():,} returns, {Body.objects.count()} groups, "
        f"{Meeting.objects.count():,} meetings, {Action.objects.count():,} actions"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed requests per page (default 10)")
    parser.add_argument(
        "--user",
        action="append",
        dest="users",
        help=f"username to sign in as; repeat for several (default: {', '.join(DEFAULT_USERS)})",
    )
    parser.add_argument(
        "--page",
        action="append",
        dest="pages",
        help="measure this page instead (any signed-in page, a query string allowed, e.g. "
        "'/dashboard/?from=2012-13-q1&to=2013-14-q4'); repeat for several "
        "(default: every routed list page)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from demo import scale

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    routed = scale.routed_list_pages()
    pages = args.pages or routed
    skipped = [] if args.pages else [page for page in scale.LIST_PAGES if page not in routed]

    print(f"Dataset: {describe_dataset()}")
    print(
        f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); DEBUG {settings.DEBUG}; "
        f"{args.runs} timed requests per page, median; {os.cpu_count()} CPUs"
    )
    for page in skipped:
        print(f"{page}: not routed in this checkout, skipped")
    for username in args.users or DEFAULT_USERS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        base, base_queries, base_size = measure(client, TRIVIAL, args.runs)
        print(f"\nSigned in as {username}:")
        print(f"  {'page':<44}{'median ms':>10}{'ratio':>9}{'queries':>9}{'KiB':>8}")
        print(f"  {TRIVIAL + ' (trivial)':<44}{base * 1000:>10.1f}{1:>8.1f}x{base_queries:>9}{base_size / 1024:>8.0f}")
        for page in pages:
            measured = measure(client, page, args.runs)
            if measured is None:
                print(f"  {page:<44}{'not readable by this login':>36}")
                continue
            median, queries, size = measured
            print(f"  {page:<44}{median * 1000:>10.1f}{median / base:>8.1f}x{queries:>9}{size / 1024:>8.0f}")


if __name__ == "__main__":
    main()
