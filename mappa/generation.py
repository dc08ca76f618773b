"""The data's *generation*: one counter in Django's cache that goes up whenever a record is written, so that
whatever was counted or drawn from the records (the dashboard, the register's counts and lists) can be kept
in the cache under a key holding the generation, and is counted again after any change.

The counter goes up on every save, delete or change of many-to-many links of a model of a *watched* app
(``watch``, called from each domain app's ``AppConfig.ready()``), once straight away and again when the
transaction commits, so that a reader who counted while it was still open does not keep those figures.

Writes that send no signal (``QuerySet.update``, ``bulk_create``: the agenda's reordering, erasure's rewrite
of typed text, seed_scale) do not bump it: what is kept expires after ``TIMEOUT`` at the latest.

The cache is each process's memory by default, Redis for every process when ``CACHE_URL`` is set.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

TIMEOUT = 15 * 60  # seconds: the longest a write that sends no signal goes unseen
GENERATION = "mappa:generation"

# app label -> model names of that app whose writes change nothing counted (e.g. one-time form tokens)
_watched = {}


def watch(app_label, *, ignoring=()):
    """Writes to ``app_label``'s models make a new generation (except to the models named in ``ignoring``)."""
    _watched[app_label] = frozenset(ignoring) | _watched.get(app_label, frozenset())


def current():
    """The generation now: part of the key of anything kept that was counted from the records."""
    return cache.get_or_set(GENERATION, 0, timeout=None)


def bump():
    """A new generation: everything kept so far is out of date."""
    try:
        cache.incr(GENERATION)
    except ValueError:  # not there yet (or evicted): any new value will do, none is reused
        cache.add(GENERATION, 1, timeout=None)


def _changed(sender, **kwargs):
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in _watched or meta.model_name in _watched[meta.app_label]:
        return
    bump()
    transaction.on_commit(bump)


def connect():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"mappa-generation-{id(signal)}")


def kept(key, build, timeout=TIMEOUT):
    """``build()``, kept in the cache under ``key`` for this generation: counted again after any change."""
    key = f"{key}:g{current()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value
