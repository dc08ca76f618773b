"""Writing the search index: a record's entry written in the transaction that saves the record.

``connect()`` (from SearchConfig.ready) hangs a receiver on every save and delete the sources
watch (search.sources.Source.watches), so an entry is current as soon as its record is: it is
written on the same database connection, inside the same transaction, and rolled back with it.
An erasure of personal data rewrites the entries' words itself, with the records (erasure.locations).
Other bulk writes that bypass ``save()`` (``QuerySet.update``, ``bulk_create``) leave entries behind
until ``python manage.py rebuild_search_index`` (or the task search.tasks.rebuild_index), which rewrites every
entry batch by batch, locking each batch's records as it reads them so a save at the same moment
is written after it (safe on a live service).
"""

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_delete

from mappa import generation
from search.models import SearchEntry
from search.sources import SOURCES

ENTRY_FIELDS = ("title", "key_text", "body", "date", "group_id", "area_id")
BATCH = 1000


def _entry(source, row):
    values = dict.fromkeys(ENTRY_FIELDS, "")
    values.update(date=None, group_id=None, area_id=None)
    values.update(source.entry(row))
    return SearchEntry(kind=source.kind, object_id=row.pk, **values)


def write(source, rows):
    """Write (insert or replace) the entries of ``rows`` of ``source``: one query."""
    entries = [_entry(source, row) for row in rows]
    if not entries:
        return 0
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[*ENTRY_FIELDS, "indexed_at"],
    )
    _changed()
    return len(entries)  # on PostgreSQL, a trigger writes each row's vector (migration 0003)


def reindex(source, rows_queryset):
    """Write the entries of the records of ``rows_queryset`` (a filter of ``source.rows()``)."""
    return write(source, list(rows_queryset))


def remove(source, pks):
    SearchEntry.objects.filter(kind=source.kind, object_id__in=list(pks)).delete()
    _changed()


def _changed():
    """Searches kept in the cache (search.selectors) are out of date: a new generation of the data, now and
    when the transaction commits (bulk_create sends no signal)."""
    generation.bump()
    transaction.on_commit(generation.bump)


# Receivers ------------------------------------------------------------------------------------

_SNAPSHOT = "_search_index_snapshot"


def _on_save(source, watch):
    def receiver(sender, instance, created=False, raw=False, **kwargs):
        if raw:  # loading a fixture: rebuild_search_index indexes it
            return
        if watch.fields:
            before = getattr(instance, _SNAPSHOT, None)
            if created or before == _snapshot(instance, watch.fields):
                return
        reindex(source, source.rows().filter(**{watch.lookup: instance.pk}))

    return receiver


def _snapshot(instance, fields):
    # From __dict__: reading a deferred field (Meeting.objects.only(...)) would query for each instance.
    return tuple(instance.__dict__.get(name) for name in fields)


def _remember(fields):
    def receiver(sender, instance, **kwargs):
        setattr(instance, _SNAPSHOT, _snapshot(instance, fields))

    return receiver


def _on_delete(source):
    def receiver(sender, instance, **kwargs):
        remove(source, [instance.pk])

    return receiver


def _on_related_delete(source, watch):
    """A paper's version deleted: the paper (if it stays) is indexed from its current version again.
    The rows are found before the delete (after it, the lookup reaches nothing) and indexed after it."""
    attribute = f"_search_index_rows_{source.kind}"

    def before(sender, instance, **kwargs):
        rows = source.model.objects.filter(**{watch.lookup: instance.pk}).values_list("pk", flat=True)
        setattr(instance, attribute, list(rows))

    def after(sender, instance, **kwargs):
        pks = getattr(instance, attribute, ())
        if pks:
            reindex(source, source.rows().filter(pk__in=pks))

    return before, after


def connect():
    """Keep every source's entries current (called once, from SearchConfig.ready)."""
    remembered = {}
    for source in SOURCES:
        for watch in source.watches:
            receiver = _on_save(source, watch)
            post_save.connect(receiver, sender=watch.model, weak=False)
            if watch.fields:
                remembered.setdefault(watch.model, set()).update(watch.fields)
            elif watch.lookup != "pk":
                before, after = _on_related_delete(source, watch)
                pre_delete.connect(before, sender=watch.model, weak=False)
                post_delete.connect(after, sender=watch.model, weak=False)
        post_delete.connect(_on_delete(source), sender=source.model, weak=False)
    for model, fields in remembered.items():
        post_init.connect(_remember(tuple(sorted(fields))), sender=model, weak=False)


# Rebuilding -------------------------------------------------------------------------------------


def rebuild(*, progress=None, batch=BATCH):
    """Rewrite every entry, source by source, ``batch`` records at a time, each batch in its own
    transaction; then remove entries whose records are gone. ``progress(done, total, label)`` is
    called after each batch. Returns the number of entries written."""
    totals = {source.kind: source.model.objects.count() for source in SOURCES}
    total, done = sum(totals.values()), 0
    for source in SOURCES:
        last = 0
        while True:
            with transaction.atomic():
                ids = list(
                    source.model.objects.filter(pk__gt=last)
                    .order_by("pk")
                    .select_for_update()
                    .values_list("pk", flat=True)[:batch]
                )
                if not ids:
                    break
                done += reindex(source, source.rows().filter(pk__in=ids))
                last = ids[-1]
            if progress:
                progress(done, total, source.label)
        stale = SearchEntry.objects.filter(kind=source.kind).exclude(object_id__in=source.model.objects.values("pk"))
        stale.delete()
    SearchEntry.objects.exclude(kind__in=[source.kind for source in SOURCES]).delete()
    with connection.cursor() as cursor:
        # The planner's figures for the rewritten table (on PostgreSQL: a GIN match of 200,000 rows
        # was estimated at 400 and sorted on disk); FTS5 merges its index segments.
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE search_searchentry")
        else:
            cursor.execute("INSERT INTO search_searchentry_fts(search_searchentry_fts) VALUES ('optimize')")
    return done
