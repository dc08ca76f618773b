"""Changes to papers: adding one to an agenda item, replacing it with a new version, marking it not for publication.

Only the secretariat changes papers. A file reaches these functions already
checked by papers.forms.check_paper_file (they check it again if not), which
also cleans a PDF of scripts, automatic actions and embedded files; the file
stored (the cleaned one) goes under MEDIA_ROOT with a random name, with what was
removed recorded on its version. If saving its record fails, the stored file is
removed again.
"""

import logging
from contextlib import contextmanager
from functools import partial

from django.db import transaction
from django.db.models import Max

from mappa.emails import hand_to_worker
from mappa.refusals import require_secretariat
from meetings.models import AgendaItem
from papers.forms import check_paper_file
from papers.models import Paper, PaperVersion
from papers.tasks import extract_text

logger = logging.getLogger(__name__)


@contextmanager
def _removing_stored_files_on_failure(stored):
    try:
        yield
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise


def _add_version(paper, number, upload, by):
    if not hasattr(upload, "paper_stored_file"):
        check_paper_file(upload)
    stored = upload.paper_stored_file  # the upload, or the PDF cleaned of scripts and embedded files
    version = PaperVersion(
        paper=paper,
        number=number,
        original_filename=upload.paper_filename,
        content_type=upload.paper_content_type,
        size=stored.size,
        uploaded_by=by,
        removed_content=upload.paper_removed_content,
    )
    stored.seek(0)
    version.file.save(upload.paper_filename, stored, save=False)
    return version


def _read_text_once_committed(version):
    """A worker reads the file's text for search once the upload is committed (papers.tasks). If the
    broker is down it stays "not read yet" until ``rebuild_search_index --read-papers``."""
    what = f"Reading the text of paper version {version.pk}"
    transaction.on_commit(partial(hand_to_worker, extract_text, version.pk, what=what))


def add_paper(item, *, by, title, upload, not_for_publication=False):
    """Attach a new paper (its version 1) to ``item``, after the item's other papers."""
    require_secretariat(by, "change papers")
    stored = []
    with _removing_stored_files_on_failure(stored), transaction.atomic():
        # Lock the item so two uploads to it at once take different positions.
        AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
        last = Paper.objects.filter(agenda_item=item).aggregate(last=Max("position"))["last"] or 0
        paper = Paper.objects.create(
            agenda_item=item, title=title, position=last + 1, not_for_publication=not_for_publication, created_by=by
        )
        version = _add_version(paper, 1, upload, by)
        stored.append(version.file)
        version.save()
        _read_text_once_committed(version)
    logger.info("Paper %s added to agenda item %s by user %s", paper.pk, item.pk, by.pk)
    return paper


def replace_paper(paper, *, by, upload):
    """Upload a new version of ``paper``; it becomes current and the earlier versions are kept."""
    require_secretariat(by, "change papers")
    stored = []
    with _removing_stored_files_on_failure(stored), transaction.atomic():
        # Lock the paper so two replacements at once take different numbers.
        locked = Paper.objects.select_for_update().get(pk=paper.pk)
        last = locked.versions.aggregate(last=Max("number"))["last"] or 0
        version = _add_version(locked, last + 1, upload, by)
        stored.append(version.file)
        version.save()
        _read_text_once_committed(version)
    logger.info("Paper %s replaced by version %s by user %s", paper.pk, version.number, by.pk)
    return version


def set_publication(paper, *, by, not_for_publication):
    """Mark ``paper`` not for publication (withheld from publication and FOI release), or allow it again."""
    require_secretariat(by, "change papers")
    Paper.objects.filter(pk=paper.pk).update(not_for_publication=not_for_publication)
    paper.not_for_publication = not_for_publication
    logger.info(
        "Paper %s marked %s by user %s",
        paper.pk,
        "not for publication" if not_for_publication else "publishable",
        by.pk,
    )
    return paper
