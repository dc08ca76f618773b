"""How long /search/ takes on the national-scale dataset, beside a trivial signed-in page; and how long
indexing the whole dataset from scratch takes.

    python manage.py seed_demo && python manage.py seed_scale      # once, in the database to measure
    .venv/bin/python scripts/benchmark_search.py [--runs N] [--user USERNAME ...] [--rebuild]

Uses the database DATABASE_URL names, as scripts/benchmark_scale.py does (its ``measure``: one
warm-up, N timed requests through Django's test client, the median; the queries of one more).
``--rebuild`` first empties the search index and rebuilds it (seed_scale writes with bulk_create,
so its records are not indexed until then), timing it. For each login it prints the median time of
a search for a common word, a rare word, a phrase and a filtered query and its ratio to the trivial
page, both the first time since the data last changed (its matches read from the index) and again
(the matches kept: the same search, or its next page); its queries and its number of results
(">1,000": more than SEARCH_RESULT_CAP, as the page says it). It asserts nothing about time.
"""

import argparse
import os
import re
import statistics
import sys
import time
from urllib.parse import urlencode

from benchmark_scale import DEFAULT_USERS, ROOT, TRIVIAL, describe_dataset, measure

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"

SEARCHES = [
    ("a common word", {"q": "scale"}),
    ("a rare word", {"q": "environmental"}),
    ("a phrase", {"q": '"guidance note"'}),
    (
        "filtered",
        {"q": "progress", "kind": "action_update", "group": "scale-body-1", "date_from_0": "1"}
        | {"date_from_1": "4", "date_from_2": "2012"},
    ),
]


def rebuild():
    from search import index
    from search.models import SearchEntry

    SearchEntry.objects.all().delete()
    started = time.perf_counter()
    written = index.rebuild()
    seconds = time.perf_counter() - started
    print(f"Indexed from scratch: {written:,} entries in {seconds:.1f} s ({written / seconds:,.0f} a second)")


def first_look(client, url, runs):
    """The median time of ``url`` searched as if for the first time since the data last changed: the
    matches kept from the same search before (search.selectors._candidates) are out of date each time."""
    from mappa import generation

    seconds = []
    for _ in range(runs):
        generation.bump()
        started = time.perf_counter()
        client.get(url)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed requests per search (default 10)")
    parser.add_argument("--user", action="append", dest="users", help="username to sign in as; repeat for several")
    parser.add_argument("--rebuild", action="store_true", help="empty and rebuild the search index first, timed")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"Dataset: {describe_dataset()}")
    print(f"Database: {connection.vendor}; {args.runs} timed requests per search, median; {os.cpu_count()} CPUs")
    if args.rebuild:
        rebuild()
    for username in args.users or DEFAULT_USERS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        base, base_queries, _size = measure(client, TRIVIAL, args.runs)
        print(f"\nSigned in as {username}: trivial page {base * 1000:.1f} ms, {base_queries} queries")
        print(
            f"  {'search':<16}{'first ms':>9}{'ratio':>8}{'again ms':>9}{'ratio':>8}{'queries':>9}{'results':>10}"
            "  query string"
        )
        for label, params in SEARCHES:
            url = "/search/?" + urlencode(params)
            first = first_look(client, url, args.runs)
            median, queries, _size = measure(client, url, args.runs)
            count = re.search(r'id="search-count">((?:More than )?[\d,]+) result', client.get(url).content.decode())
            total = count.group(1).replace("More than ", ">")
            print(
                f"  {label:<16}{first * 1000:>9.1f}{first / base:>7.1f}x{median * 1000:>9.1f}{median / base:>7.1f}x"
                f"{queries:>9}{total:>10}  {url[8:]}"
            )


if __name__ == "__main__":
    main()
