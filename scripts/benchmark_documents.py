"""How long the minute PDF takes beside the meeting's HTML page, for a long meeting.

    .venv/bin/python scripts/benchmark_documents.py [--runs N]

Builds, in a throwaway test database (in-memory SQLite unless DATABASE_URL says
otherwise), an NSG meeting with 30 agenda items (20 items, 10 sub-items), 12
attendees and 60 actions, then fetches /meetings/<pk>/minutes.pdf and the
meeting page /meetings/<pk>/ N times each (10 by default) through Django's test
client, signed in as an NSG member. Prints the median times and their ratio;
it asserts nothing about time.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "mappa.test_settings"


def timed(client, url, runs):
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
    return seconds, response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="requests per document (default 10)")
    runs = parser.parse_args().runs

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from pypdf import PdfReader

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from mappa.models import Person
        from tests.factories import user_with_role
        from tests.meetings.test_documents import meeting_of_size

        secretariat = user_with_role(Person.AccessRole.SECRETARIAT, username="bench-secretariat")
        member = user_with_role(Person.AccessRole.NSG_MEMBER, username="bench-member")
        meeting = meeting_of_size(top_items=20, sub_items=10, actions=60, by=secretariat)
        client = Client()
        client.force_login(member)

        pdf_url, page_url = f"/meetings/{meeting.pk}/minutes.pdf", f"/meetings/{meeting.pk}/"
        cold_pdf, _ = timed(client, pdf_url, 1)  # the first render also loads fonts
        timed(client, page_url, 1)
        pdf_times, pdf_response = timed(client, pdf_url, runs)
        page_times, _ = timed(client, page_url, runs)

        pages = len(PdfReader(io.BytesIO(pdf_response.content)).pages)
        pdf_median, page_median = statistics.median(pdf_times), statistics.median(page_times)
        print(f"Meeting: {meeting.agenda_items.count()} agenda items, {meeting.actions.count()} actions, "
              f"{meeting.attendance.count()} attendees; database: {connection.vendor}; runs: {runs}")
        print(f"minutes.pdf      median {pdf_median * 1000:8.1f} ms  (min {min(pdf_times) * 1000:.1f}, "
              f"max {max(pdf_times) * 1000:.1f}; first render {cold_pdf[0] * 1000:.1f} ms; "
              f"{pages} pages, {len(pdf_response.content) / 1024:.0f} KiB)")
        print(f"meeting page     median {page_median * 1000:8.1f} ms  (min {min(page_times) * 1000:.1f}, "
              f"max {max(page_times) * 1000:.1f})")
        print(f"ratio pdf/page   {pdf_median / page_median:8.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
