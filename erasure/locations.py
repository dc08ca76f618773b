"""Where typed text lives: every table and field an erasure rewrites, written out by hand.

No registry on purpose. The apps that hold text do not know about erasure (nothing imports
this app); erasure knows about them, and this one list is what a reviewer reads to answer
"where could a date of birth typed into the service still be?". A new text field in one of
these apps that is not here, or not in NOT_TEXT below, fails
tests/erasure/test_locations.py::test_every_text_field_of_the_domain_apps_is_listed, so the
list cannot fall behind the models silently.

Each Place is one table: the live records (Action, AgendaItem, ...), the versions
django-simple-history keeps of them (``Model.history.model``: every saved minute, return and
case review record), and the copies the apps keep themselves (MinutesSnapshot.content, the
minute as circulated and as agreed, a JSON document). ``text_fields`` are rewritten in SQL
(``Replace``), ``json_fields`` in Python, string by string, keys included.

Stored files: minutes.docx is rendered from these records on every download; minutes.pdf,
agenda.pdf and pack.pdf too, or kept once they can no longer change and let go by an erasure; the draft
minutes e-mail renders its PDF when it is sent (outbox rows hold no message), so once the
records are rewritten every document is regenerated without the text. The only stored files
are papers people upload (papers.PaperVersion.file): their titles, file names and the text read
out of them for search are here; what is inside an uploaded file is replaced by uploading a new
version and deleting the old one (an administrator), which this page says. Kept PDFs of agreed
minutes, agendas and packs (meetings.StoredDocument) are let go by the erasure and drawn again.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from actions.models import Action, ActionUpdate
from meetings.models import (
    AgendaItem,
    AgendaProposal,
    Meeting,
    MeetingTransition,
    MinuteComment,
    MinutesSnapshot,
    StandingAgendaItem,
)
from papers.models import Paper, PaperVersion
from recommendations.models import Assessment, Inspection, Recommendation, StatusUpdate
from reviews.models import CaseReview, QuarterlyReturn, ReturnTransition, SectionComment
from search.models import SearchEntry

# The fields simple-history adds to every version that a person may have typed into.
HISTORY_TEXT = ("history_change_reason",)


@dataclass(frozen=True)
class Place:
    """One table where typed text lives: its fields, and how to name and link one of its rows."""

    key: str
    label: str
    model: Any
    text_fields: tuple = ()
    json_fields: tuple = ()
    # The values read to name and link a row in the preview (besides its pk).
    link_fields: tuple = ()
    # (values) -> (record label, url or "")
    describe: Any = None

    @property
    def fields(self):
        return (*self.text_fields, *self.json_fields)


def _meeting(meeting_id, what=""):
    url = reverse("meetings:detail", kwargs={"pk": meeting_id}) if meeting_id else ""
    return (f"Meeting {meeting_id}{what}", url)


def _return_url(return_id, history=False):
    ret = QuarterlyReturn.objects.select_related("area", "period").filter(pk=return_id).first()
    if ret is None:
        return (f"Return {return_id} (deleted)", "")
    url = ret.get_absolute_url()
    if history:
        url = reverse("reviews:return-history", kwargs={"period": ret.period.slug, "area": ret.area.slug})
    return (f"Return: {ret}" + (" (a saved version)" if history else ""), url)


def _agenda_item(values, version=False):
    item_id = values["id"]
    meeting_id = values.get("meeting_id")
    if meeting_id is None:
        meeting_id = AgendaItem.objects.filter(pk=item_id).values_list("meeting_id", flat=True).first()
    what = f", agenda item {item_id}" + (f" (version {values.get('version')})" if version else "")
    if meeting_id is None:
        return (f"Agenda item {item_id} (deleted){' (a saved version)' if version else ''}", "")
    if version:
        return (
            f"Meeting {meeting_id}{what}",
            reverse("meetings:minute-history", kwargs={"pk": meeting_id, "item_pk": item_id}),
        )
    return _meeting(meeting_id, what)


def _action(action_id, what=""):
    return (f"Action {action_id}{what}", reverse("actions:detail", kwargs={"pk": action_id}))


def _recommendation(recommendation_id, what=""):
    return (
        f"Recommendation {recommendation_id}{what}",
        reverse("recommendations:detail", kwargs={"pk": recommendation_id}),
    )


def _case_review(values, version=False):
    suffix = " (a saved version)" if version else ""
    return (f"Case review {values['reference']}{suffix}", reverse("case_reviews:detail", kwargs={"pk": values["id"]}))


PLACES = [
    # Meetings and minutes
    Place(
        "meeting",
        "Meeting details",
        Meeting,
        text_fields=("venue", "agreed_subject_to"),
        link_fields=("id",),
        describe=lambda v: _meeting(v["id"]),
    ),
    Place(
        "meeting_step",
        "Meeting step note",
        MeetingTransition,
        text_fields=("note",),
        link_fields=("meeting_id",),
        describe=lambda v: _meeting(v["meeting_id"], ", a step's note"),
    ),
    Place(
        "standing_agenda_item",
        "Standing agenda item",
        StandingAgendaItem,
        text_fields=("title",),
        link_fields=("body_id",),
        describe=lambda v: (f"Standing agenda of group {v['body_id']}", ""),
    ),
    Place(
        "agenda_item",
        "Agenda item and its minute",
        AgendaItem,
        text_fields=("title", "description", "narrative", "decisions"),
        link_fields=("id", "meeting_id"),
        describe=_agenda_item,
    ),
    Place(
        "agenda_item_version",
        "Saved version of an agenda item or its minute",
        AgendaItem.history.model,
        text_fields=("title", "description", "narrative", "decisions", *HISTORY_TEXT),
        link_fields=("id", "version"),
        describe=lambda v: _agenda_item(v, version=True),
    ),
    Place(
        "minutes_snapshot",
        "Minute as circulated or agreed",
        MinutesSnapshot,
        json_fields=("content",),
        link_fields=("meeting_id", "kind"),
        describe=lambda v: _meeting(v["meeting_id"], f", the minute {MinutesSnapshot.Kind(v['kind']).label.lower()}"),
    ),
    Place(
        "agenda_proposal",
        "Proposed agenda item",
        AgendaProposal,
        text_fields=("title", "description", "decline_reason"),
        link_fields=("meeting_id",),
        describe=lambda v: _meeting(v["meeting_id"], ", a proposed item"),
    ),
    Place(
        "minute_comment",
        "Comment on draft minutes",
        MinuteComment,
        text_fields=("text", "change_made"),
        link_fields=("meeting_id",),
        describe=lambda v: (
            f"Meeting {v['meeting_id']}, comments",
            reverse("meetings:comments", kwargs={"pk": v["meeting_id"]}),
        ),
    ),
    # Actions
    Place(
        "action",
        "Action",
        Action,
        text_fields=("text",),
        link_fields=("id",),
        describe=lambda v: _action(v["id"]),
    ),
    Place(
        "action_update",
        "Action update",
        ActionUpdate,
        text_fields=("text", "reason"),
        link_fields=("action_id",),
        describe=lambda v: _action(v["action_id"], ", an update"),
    ),
    # Papers (their titles and file names; see the module docstring for their contents)
    Place(
        "paper",
        "Paper title",
        Paper,
        text_fields=("title",),
        link_fields=("agenda_item__meeting_id",),
        describe=lambda v: _meeting(v["agenda_item__meeting_id"], ", a paper"),
    ),
    Place(
        "paper_version",
        "Paper file name",
        PaperVersion,
        # "text": the words read out of the file for search; the file itself is replaced by a new version.
        text_fields=("original_filename", "text"),
        link_fields=("paper__agenda_item__meeting_id",),
        describe=lambda v: _meeting(v["paper__agenda_item__meeting_id"], ", a paper's file"),
    ),
    # Quarterly returns and case review records
    Place(
        "return",
        "Quarterly return",
        QuarterlyReturn,
        text_fields=("theme_other_text", "category3_decline_reasons", "narrative", "learning", "escalations"),
        json_fields=("sections_saved", "confirmed_warnings"),
        link_fields=("id",),
        describe=lambda v: _return_url(v["id"]),
    ),
    Place(
        "return_version",
        "Saved version of a quarterly return",
        QuarterlyReturn.history.model,
        text_fields=(
            "theme_other_text",
            "category3_decline_reasons",
            "narrative",
            "learning",
            "escalations",
            *HISTORY_TEXT,
        ),
        json_fields=("sections_saved", "confirmed_warnings"),
        link_fields=("id",),
        describe=lambda v: _return_url(v["id"], history=True),
    ),
    Place(
        "return_step",
        "Return step comment",
        ReturnTransition,
        text_fields=("comment",),
        link_fields=("quarterly_return_id",),
        describe=lambda v: _return_url(v["quarterly_return_id"]),
    ),
    Place(
        "section_comment",
        "Secretariat's comment on a return section",
        SectionComment,
        text_fields=("text",),
        link_fields=("quarterly_return_id",),
        describe=lambda v: _return_url(v["quarterly_return_id"]),
    ),
    Place(
        "case_review",
        "Case review record",
        CaseReview,
        text_fields=("learning_summary", "theme_other_text"),
        link_fields=("id", "reference"),
        describe=_case_review,
    ),
    Place(
        "case_review_version",
        "Saved version of a case review record",
        CaseReview.history.model,
        text_fields=("learning_summary", "theme_other_text", *HISTORY_TEXT),
        link_fields=("id", "reference"),
        describe=lambda v: _case_review(v, version=True),
    ),
    # Recommendations and the action plan
    Place(
        "recommendation",
        "Recommendation",
        Recommendation,
        text_fields=("text", "short_title", "policy_directorate"),
        link_fields=("id",),
        describe=lambda v: _recommendation(v["id"]),
    ),
    Place(
        "recommendation_update",
        "Recommendation status update",
        StatusUpdate,
        text_fields=("narrative", "source_note"),
        link_fields=("recommendation_id",),
        describe=lambda v: _recommendation(v["recommendation_id"], ", a status update"),
    ),
    Place(
        "assessment",
        "Inspectors' assessment",
        Assessment,
        text_fields=("summary",),
        link_fields=("recommendation_id",),
        describe=lambda v: _recommendation(v["recommendation_id"], ", an assessment"),
    ),
    Place(
        "inspection",
        "Inspection title",
        Inspection,
        text_fields=("title",),
        link_fields=("id",),
        describe=lambda v: (f"Inspection {v['id']}", ""),
    ),
    # What the Django admin wrote about a change made there: the record's name and the change.
    Place(
        "admin_log",
        "Administrator's change log",
        LogEntry,
        text_fields=("object_repr", "change_message"),
        link_fields=("id",),
        describe=lambda v: (f"Admin log entry {v['id']}", ""),
    ),
    # The search index holds a copy of every record's words (search/models.py); rewritten with them, its
    # full-text index follows (the database's own triggers), so an erased word finds nothing.
    Place(
        "search_entry",
        "Search index",
        SearchEntry,
        text_fields=("title", "key_text", "body"),
        link_fields=("kind",),
        describe=lambda v: (f"The search index's copy of a {v['kind']}", ""),
    ),
]

PLACES_BY_KEY = {place.key: place for place in PLACES}

# Text and character fields of the models above (and of the domain apps' other models) that no
# person types free text into: choices, slugs, references built by the service, content types.
# Checked by tests/erasure/test_locations.py with PLACES.
NOT_TEXT = {
    "meetings.Meeting": {"status"},
    "meetings.MeetingTransition": {"from_status", "to_status"},
    "meetings.AgendaItem": {"kind"},
    "meetings.HistoricalAgendaItem": {"kind", "history_type"},
    "meetings.Attendance": {"status"},
    "meetings.MinuteComment": {"decision"},
    "meetings.MinutesSnapshot": {"kind"},
    "meetings.AgendaProposal": {"status"},
    "actions.Action": {"status"},
    "actions.ActionUpdate": {"new_status"},
    "papers.PaperVersion": {"file", "content_type", "removed_content", "text_status"},
    # A kept PDF: let go by every erasure (meetings.services.documents.forget_every_document).
    "meetings.StoredDocument": {"file", "kind", "source"},
    "reviews.QuarterlyReturn": {"status"},
    "reviews.HistoricalQuarterlyReturn": {"status", "history_type"},
    "reviews.ReturnTransition": {"from_status", "to_status"},
    "reviews.SectionComment": {"section"},
    "reviews.CaseReview": {"reference", "review_type", "stage", "status"},
    "reviews.HistoricalCaseReview": {"reference", "review_type", "stage", "status", "history_type"},
    "recommendations.Recommendation": {"kind"},
    "recommendations.StatusUpdate": {"status", "progress", "source"},
    "recommendations.Assessment": {"grade"},
}
