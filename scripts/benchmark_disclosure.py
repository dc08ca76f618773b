"""How long a freedom-of-information pack of "a year of NSG documents" takes to find and build at national scale.

    python manage.py seed_demo && python manage.py seed_scale      # once, in the database to measure
    .venv/bin/python scripts/benchmark_disclosure.py [--group SLUG ...] [--year YYYY] [--profile FILE]

Uses the database DATABASE_URL names (the demo world and the scale dataset must be in
it) and changes nothing there: the request, its proposals, jobs and pack are made in one
transaction rolled back at the end, and the pack's files go to a temporary MEDIA_ROOT
(deleted at the end; the papers are read from the real one).

The scope, unless --group and --year say otherwise: the NSG and its sub-groups that are
not SOGs (the scale dataset puts its meetings on "Scale body N" groups, which report to
the NSG, not on the NSG itself), over the calendar year in which they held the most
meetings (the latest such year on a tie); agendas, agreed minutes, papers and the action
log. It logs the request and sets its scope through the services, runs the find job
in this process (disclosure.work.run_job, as the Celery task does), accepts every
proposal term by term (as a reviewer deciding in bulk), runs the build job, and prints
the documents in scope, the proposals found (with the most frequent terms and the words
found for them), the pack's pages, the seconds of each job (and this process's CPU
seconds: on a machine busy with other work the two differ), the peak resident memory of
this process, and the time per document of each kind (the slowest first) and of putting
the pack together. It asserts nothing about time.
"""

import argparse
import cProfile
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The real settings with DEBUG off (unless the environment turns it on), plus the test suite's defaults.
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"

KINDS = ["agendas", "minutes", "papers", "action_log"]  # disclosure.models.DocumentKind values


class Rollback(Exception):
    """Raised at the end of the measured transaction, so that nothing it wrote is kept."""


def temporary_media_root(real):
    """A temporary MEDIA_ROOT where the pack is written, with the real one's other folders linked in."""
    media = tempfile.mkdtemp(prefix="benchmark-disclosure-")
    if real.is_dir():
        for entry in real.iterdir():
            if entry.name != "disclosure":  # where packs are stored (disclosure.models.pack_upload_to)
                os.symlink(entry, Path(media) / entry.name)
    return media


def busiest_scope(groups, year):
    """(groups, year): by default the NSG and its non-SOG sub-groups, and their year with most meetings."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from mappa.models import Body
    from meetings.models import Meeting

    if groups:
        bodies = list(Body.objects.filter(slug__in=groups))
        if len(bodies) != len(set(groups)):
            raise SystemExit(f"No such group among {', '.join(groups)}")
    else:
        nsg = Body.objects.get(kind=Body.Kind.NATIONAL_STRATEGIC_GROUP)
        bodies = [nsg, *Body.objects.filter(reports_to=nsg).exclude(kind=Body.Kind.STRATEGIC_OVERSIGHT_GROUP)]
    if year is None:
        by_year = (
            Meeting.objects.filter(body__in=bodies)
            .annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(meetings=Count("pk"))
            .order_by("-meetings", "-year")
        )
        if not by_year:
            raise SystemExit("The groups in scope held no meetings.")
        year = by_year[0]["year"]
    return bodies, year


class Timings:
    """The time between a job's progress reports: progress(done, total) comes before document ``done``."""

    def __init__(self):
        self.marks = []

    def wrap(self, progress):
        def timed(job_id, done, total):
            self.marks.append((done, time.perf_counter()))
            return progress(job_id, done, total)

        return timed

    def wrap_pack(self, build_pack):
        def timed(**kwargs):
            self.marks.append((len(kwargs["documents"]), time.perf_counter()))  # the last document is done
            return build_pack(**kwargs)

        return timed

    def per_document(self, count):
        """{document index: seconds} for the first ``count`` steps."""
        seconds = {}
        for (done, at), (_next_done, next_at) in zip(self.marks, self.marks[1:]):
            if done < count:
                seconds[done] = seconds.get(done, 0) + next_at - at
        return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", action="append", dest="groups", help="a group's slug; repeat for several")
    parser.add_argument("--year", type=int, help="the calendar year in scope")
    parser.add_argument("--profile", help="write a cProfile of the two jobs to this file")
    args = parser.parse_args()

    real_media = Path(os.environ.get("MEDIA_ROOT") or ROOT / "media")
    media = temporary_media_root(real_media)
    os.environ["MEDIA_ROOT"] = media
    try:
        measure(args)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def measure(args):
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from demo import scale
    from disclosure import selectors, work
    from disclosure.documents.scope import documents_in_scope
    from disclosure.models import Job, Proposal
    from disclosure.services import jobs, requests, review
    from mappa.models import Person

    if not scale.existing()[0]:
        raise SystemExit("No scale dataset in this database: run `python manage.py seed_scale` first.")
    secretariat = get_user_model().objects.get(username="secretariat")
    bodies, year = busiest_scope(args.groups, args.year)
    print(
        f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); DEBUG {settings.DEBUG}; {os.cpu_count()} CPUs"
    )
    print(f"Scope: {year}, {len(bodies)} group(s): {', '.join(body.short_name or body.name for body in bodies)}")
    print(f"Kinds: {', '.join(KINDS)}; people in the register: {Person.objects.count():,}")

    timings = {Job.Kind.FIND: Timings(), Job.Kind.BUILD: Timings()}
    real_progress, real_build_pack = work._progress, work.build_pack
    profile = cProfile.Profile() if args.profile else None

    def run(job):
        work._progress = timings[job.kind].wrap(real_progress)
        work.build_pack = timings[job.kind].wrap_pack(real_build_pack)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            if profile:
                profile.enable()
            work.run_job(job.pk)
        finally:
            if profile:
                profile.disable()
            work._progress, work.build_pack = real_progress, real_build_pack
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        job.refresh_from_db()
        if job.status != Job.Status.DONE:
            raise SystemExit(f"The {job.get_kind_display().lower()} job ended {job.status}: {job.message}")
        return seconds, cpu

    try:
        with transaction.atomic():
            request = requests.log_request(
                by=secretariat,
                reference=f"BENCHMARK/{os.getpid()}",
                received_on=timezone.localdate(),
                wording=f"All documents of the groups' meetings in {year}.",
                requester="a benchmark",
                handler=secretariat,
            )
            requests.set_scope(
                request=request,
                by=secretariat,
                bodies=bodies,
                scope_from=date(year, 1, 1),
                scope_to=date(year, 12, 31),
                kinds=KINDS,
                keep_organisation_names=True,
                keep_chairs=True,
                kept_people=[],
            )
            documents = documents_in_scope(request)

            (find_seconds, find_cpu) = run(jobs.start_finding(request=request, by=secretariat))
            proposals = request.proposals.count()
            texts = defaultdict(Counter)
            for term, text in request.proposals.values_list("term", "text"):
                texts[term][text] += 1
            exemption = selectors.default_exemption()
            terms = list(request.proposals.values_list("term", flat=True).distinct().order_by("term"))
            for term in terms:
                review.decide_term(
                    request=request, by=secretariat, term=term, decision=Proposal.Decision.ACCEPTED, exemption=exemption
                )
            (build_seconds, build_cpu) = run(jobs.start_building(request=request, by=secretariat))
            pack = request.packs.get()

            print(f"\nDocuments in scope: {len(documents):,}")
            print(f"Proposals found: {proposals:,} ({len(terms):,} terms), all accepted")
            for term, found in sorted(texts.items(), key=lambda item: -item[1].total())[:8]:
                words = ", ".join(f"{text!r} {count}" for text, count in found.most_common(4))
                print(f"  {term!r}: {found.total():,} ({words})")
            print(f"Pack: {pack.page_count:,} pages, {pack.redaction_count:,} redactions")
            print(f"Finding: {find_seconds:.1f} s ({find_cpu:.1f} s of this process's CPU time)")
            print(f"Building: {build_seconds:.1f} s ({build_cpu:.1f} s of CPU time)")
            print(f"Together: {find_seconds + build_seconds:.1f} s ({find_cpu + build_cpu:.1f} s of CPU time)")
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
            print(f"Peak resident memory: {peak:,.0f} MiB")

            print(f"\n  {'kind':<16}{'documents':>10}{'find s/doc':>12}{'build s/doc':>13}{'find s':>9}{'build s':>9}")
            found_in = timings[Job.Kind.FIND].per_document(len(documents))
            built_in = timings[Job.Kind.BUILD].per_document(len(documents))
            by_kind = defaultdict(lambda: [0, 0.0, 0.0])
            for index, document in enumerate(documents):
                row = by_kind[document.kind]
                row[0] += 1
                row[1] += found_in.get(index, 0)
                row[2] += built_in.get(index, 0)
            for kind, (count, found, built) in sorted(
                by_kind.items(), key=lambda item: -(item[1][1] + item[1][2]) / item[1][0]
            ):
                print(f"  {kind:<16}{count:>10}{found / count:>12.2f}{built / count:>13.2f}{found:>9.1f}{built:>9.1f}")
            rest = build_seconds - sum(built_in.values())
            print(f"  {'(the pack)':<16}{'':>10}{'':>12}{'':>13}{'':>9}{rest:>9.1f}")
            raise Rollback
    except Rollback:
        pass
    if profile:
        profile.dump_stats(args.profile)
        print(f"\nProfile written to {args.profile}")


if __name__ == "__main__":
    main()
