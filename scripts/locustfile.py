"""The load test's client (locust): each simulated user asks for one page over and over, with no pause
between requests, in a session of its own that scripts/load_test.py signed in beforehand (so signing in,
slow by design, is not part of what is measured). Run by scripts/load_test.py, which sets:

    LOAD_PAGE      the page to ask for (e.g. /actions/)
    LOAD_SESSIONS  comma-separated session ids, one per simulated user
"""

import itertools
import os

from locust import HttpUser, constant, task

PAGE = os.environ.get("LOAD_PAGE", "/accounts/password/change/done/")
SESSIONS = itertools.cycle(os.environ.get("LOAD_SESSIONS", "").split(","))


class SignedInUser(HttpUser):
    wait_time = constant(0)  # closed loop: the next request as soon as the last one is answered

    def on_start(self):
        self.client.cookies.set("sessionid", next(SESSIONS))

    @task
    def page(self):
        # Not following redirects: a session that has ended would be sent to sign in, and count as failed.
        with self.client.get(PAGE, name=PAGE, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{PAGE} answered {response.status_code}")
