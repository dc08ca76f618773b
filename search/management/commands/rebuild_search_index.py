"""python manage.py rebuild_search_index: rewrite every search entry (search.index.rebuild), with a progress bar.

Safe on a live service: batches of records, each in its own short transaction with its records
locked as they are read, so searches go on meanwhile and a record saved at the same moment is indexed
as saved. ``--read-papers`` first reads the text of every current paper version not read yet (the
broker was down when it was uploaded, or it was uploaded before search read papers).
"""

import sys
import time

from django.core.management.base import BaseCommand
from django.db.models import Max, OuterRef, Subquery

from papers.models import PaperVersion
from papers.tasks import extract_text
from search import index

BAR = 30


class Progress:
    def __init__(self, stream, interactive):
        self.stream, self.interactive, self.started, self.last_label = stream, interactive, time.monotonic(), None

    def __call__(self, done, total, label):
        share = done / total if total else 1
        filled = int(BAR * share)
        line = f"[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} {share:4.0%}  {label}"
        if self.interactive:
            self.stream.write(f"\r{line:<80}")
        elif label != self.last_label:  # a log, not a terminal: a line per kind of record
            self.stream.write(line + "\n")
        self.last_label = label
        self.stream.flush()


class Command(BaseCommand):
    help = "Rebuild the search index from every record (safe to run while the service is in use)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=index.BATCH, help="Records a transaction (default 1000).")
        parser.add_argument(
            "--read-papers", action="store_true", help="First read the text of current paper versions not read yet."
        )

    def handle(self, *args, batch, read_papers, **options):
        started = time.monotonic()
        if read_papers:
            current = PaperVersion.objects.filter(paper=OuterRef("paper")).values("paper").annotate(top=Max("number"))
            pending = PaperVersion.objects.filter(
                text_status=PaperVersion.TextStatus.PENDING, number=Subquery(current.values("top"))
            ).values_list("pk", flat=True)
            for pk in pending.iterator():
                extract_text(pk)
        progress = Progress(self.stdout, interactive=sys.stdout.isatty())
        written = index.rebuild(progress=progress, batch=max(1, batch))
        self.stdout.write(f"\nSearch index rebuilt: {written} entries in {time.monotonic() - started:.1f} s\n")
