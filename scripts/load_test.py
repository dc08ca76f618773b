"""Throughput under load: gunicorn on this machine's loopback, locust's simulated users, a page at a time.

    DATABASE_URL=postgres://... .venv/bin/python scripts/load_test.py [--users 10] [--seconds 30]
        [--workers 2] [--page /actions/ ...] [--login secretariat ...]

Against the database DATABASE_URL names (the demo world, and the national-scale dataset to measure
at scale: see README "Scale"). It gathers the static files once (into mappa-load-test-static in the
temporary folder; --fresh-static gathers them again), starts gunicorn itself with DEBUG off on a free
port of 127.0.0.1 (nothing listens beyond this machine), waits for it to answer, and signs in a session
per simulated user (the logins in turn). Then, for each page in turn, it runs locust headless
(scripts/locustfile.py): that many users, each in its session, asking for the page as fast as it
answers, for that many seconds. It stops gunicorn and prints each page's requests, failures, requests
per second and median time, and its throughput as a ratio to the trivial signed-in page's (the
"password changed" page, which reads no data). It changes nothing in the database but sessions and
the sign-ins' audit lines; it exits 1 if any request failed.
"""

import argparse
import csv
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TRIVIAL = "/accounts/password/change/done/"
PAGES = ["/dashboard/", "/actions/", "/returns/", "/meetings/", "/"]
LOGINS = ["secretariat", "inspector", "chair-fife"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(static_root):
    """The real settings with DEBUG off, over plain HTTP on the loopback, with the demo's one-step sign-in."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only-" + "k" * 40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "MFA_REQUIRED": "false",
        "STATIC_ROOT": str(static_root),
    }


def wait_until_up(base, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered (see its output above)")
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:  # not listening yet, or still starting (URLError and timeouts are OSErrors)
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {base}/accounts/login/ within {seconds} s")


def sign_in(base, username, password):
    """A signed-in session id for ``username``: the sign-in form, its CSRF token, the password (the demo's
    first step; the second is off for the run, MFA_REQUIRED=false, as in the demo)."""
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), NoRedirects())
    with opener.open(f"{base}/accounts/login/", timeout=60) as form:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.read().decode()).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    try:
        opener.open(f"{base}/accounts/login/", data=data.encode(), timeout=60)
    except urllib.error.HTTPError as response:
        if response.code != 302:
            raise SystemExit(f"{username} could not sign in ({response.code})") from None
    session = next((cookie.value for cookie in cookies if cookie.name == "sessionid"), None)
    if session is None:
        raise SystemExit(f"{username} could not sign in: check the password (--password)")
    return session


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run_locust(base, page, sessions, args, folder):
    """(requests, failures, requests per second, median ms) of one page under load."""
    prefix = folder / f"page{abs(hash(page))}"
    environment = {
        **os.environ,
        "LOAD_PAGE": page,
        "LOAD_SESSIONS": ",".join(sessions),
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "scripts" / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        "--run-time",
        f"{args.seconds}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--csv",
        str(prefix),
    ]
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(command, env=environment, cwd=ROOT, check=False, stdout=log, stderr=subprocess.STDOUT)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == page:
                return (
                    int(row["Request Count"]),
                    int(row["Failure Count"]),
                    float(row["Requests/s"]),
                    float(row["Median Response Time"]),
                )
    print(Path(f"{prefix}.log").read_text()[-2000:])  # locust's own account of what went wrong
    return 0, 0, 0.0, 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10, help="simulated users at once (default 10)")
    parser.add_argument("--seconds", type=int, default=30, help="how long each page is loaded (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument(
        "--page", action="append", dest="pages", help=f"a page to load; repeat (default: {' '.join(PAGES)})"
    )
    parser.add_argument(
        "--login",
        action="append",
        dest="logins",
        help=f"a username to sign in as; repeat (default: {' '.join(LOGINS)})",
    )
    parser.add_argument("--password", default="mappa-demo-2017", help="the logins' password (the demo's)")
    parser.add_argument(
        "--fresh-static", action="store_true", help="gather the static files again (after changing them)"
    )
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit(
            "Set DATABASE_URL to the database to load (the demo world, and seed_scale to measure at scale)."
        )

    folder = Path(tempfile.mkdtemp(prefix="mappa-load-"))
    # Gathered once and kept between runs: compressing them all takes a minute or two.
    environment = server_environment(Path(tempfile.gettempdir()) / "mappa-load-test-static")
    if args.fresh_static or not (Path(environment["STATIC_ROOT"]) / "staticfiles.json").exists():
        print("Gathering static files ...", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=environment, cwd=ROOT, check=True
        )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=environment,
        cwd=ROOT,
    )
    results = []
    try:
        wait_until_up(base, gunicorn)
        logins = args.logins or LOGINS
        print(f"Signing in {args.users} sessions ...", flush=True)
        sessions = [sign_in(base, logins[n % len(logins)], args.password) for n in range(args.users)]
        print(
            f"gunicorn: {args.workers} workers on {base}; {args.users} users a page for {args.seconds} s, "
            f"signed in as {', '.join(logins)} in turn; {os.cpu_count()} CPUs",
            flush=True,
        )
        for page in [TRIVIAL, *(args.pages or PAGES)]:
            print(f"  loading {page} ...", flush=True)
            results.append((page, *run_locust(base, page, sessions, args, folder)))
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        shutil.rmtree(folder, ignore_errors=True)

    trivial = results[0][3] or 1
    print(f"\n{'page':<36}{'requests':>10}{'failures':>10}{'req/s':>9}{'median ms':>11}{'× trivial':>11}")
    for page, requests, failures, rate, median in results:
        print(f"{page:<36}{requests:>10}{failures:>10}{rate:>9.1f}{median:>11.0f}{rate / trivial:>10.3f}x")
    failed = sum(row[2] for row in results)
    if failed:
        print(f"\n{failed} failed requests")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
