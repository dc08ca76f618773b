"""The search index: one row per record searched, kept current as the records are saved (search/index.py).

Each row holds the record's words in three weights (A its title, B its decisions and other key
text, C the rest: narrative, updates, the text of a paper's file), its date, and the group and area
it belongs to, for the filters. It says nothing of who may read the record: every search joins the
rows to the owning app's rule (search/sources.py), so a row never reveals a hidden record.

The words are found by the database's own full-text search:

* PostgreSQL: ``vector``, a weighted tsvector (English stemming) written with the row, under a GIN
  index (migration 0002);
* SQLite: an FTS5 table over these rows with the Porter stemmer, kept in step by triggers
  (migration 0002). ``vector`` stays empty there.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from mappa.models import Area, Body


class SearchEntry(models.Model):
    kind = models.CharField(max_length=32, help_text="search.sources: the kind of record (meeting, minute, paper…)")
    object_id = models.BigIntegerField(help_text="The record's id in its own table.")
    title = models.TextField(blank=True, help_text="Weight A.")
    key_text = models.TextField(blank=True, help_text="Weight B: decisions, a recommendation's text, themes.")
    body = models.TextField(blank=True, help_text="Weight C: narrative, updates, a paper's text.")
    date = models.DateField(null=True, blank=True)
    group = models.ForeignKey(Body, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_entry_per_record")]
        indexes = [models.Index(fields=["date"], name="search_entry_date")]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
