"""Issue 14, "Personal data that must not stay": erase a text from every record and every version of it.

The text is typed into each kind of record through the services (where a form would now refuse
a date of birth: the point is text that got in before), edited several times so that
django-simple-history keeps versions of it, erased through /erasure/ as the secretariat, and
then looked for in every table of the database: nowhere.
"""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from actions.services import add_progress_update, edit_action, record_action
from audit.models import AuditEvent
from erasure.services import replacement_for
from meetings.models import AgendaItem, Meeting, MinuteComment, MinutesSnapshot
from meetings.services.agenda import add_agenda_item, edit_agenda_item
from meetings.services.circulation import add_comment, decide_comment
from meetings.services.meetings import advance_meeting
from meetings.services.minutes import save_minute
from recommendations.models import StatusUpdate
from recommendations.services.status_updates import record_status_update
from reviews.models import CaseReview, QuarterlyReturn
from reviews.services.case_reviews import create_case_review
from reviews.services.returns import send_back, submit_return
from tests.factories import NsgFactory, OrganisationFactory
from tests.meetings.factories import MeetingFactory
from tests.recommendations.factories import RecommendationFactory
from tests.reviews.factories import ReportingPeriodFactory, complete

DOB = "DOB 31/12/1979 x7q"
S = Meeting.Status


# --- Scanning the whole database ----------------------------------------------------------------


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="ignore")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def tables_holding(text):
    """Every table (every one the database has, not only Django's models) with a value containing ``text``."""
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                if any(text in _as_text(value) for value in row):
                    found.add(table)
                    break
    return found


def dump_holds(text):
    """SQLite: the whole database as SQL (the same connection, so this test's data too). Elsewhere: None."""
    if connection.vendor != "sqlite":
        return None
    connection.ensure_connection()
    return any(text in line for line in connection.connection.iterdump())


# --- The records, each with the text typed in and edited several times ---------------------------


def typed_before(record, by, **values):
    """Save ``values`` on ``record`` as a save did before the forms and services refused personal data:
    a model save, so django-simple-history keeps the version, with its author."""
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user = by
    record.save()
    return type(record).objects.get(pk=record.pk)


@pytest.fixture
def records(secretariat_user, member_user, chair_user, fife):
    secretariat = secretariat_user
    today = timezone.localdate()
    nsg = NsgFactory()
    meeting = MeetingFactory(body=nsg, date=date(2017, 2, 16))
    later = MeetingFactory(body=nsg, date=date(2017, 5, 18), status=S.HELD)

    # Agenda item: title and description, edited twice.
    item = add_agenda_item(meeting, by=secretariat, title=f"Case of {DOB}", description=f"About {DOB}")
    item = edit_agenda_item(item, by=secretariat, title=f"Case of {DOB} (a)", description=f"About {DOB}, again")
    item = edit_agenda_item(item, by=secretariat, title=f"Case {DOB}", description=f"{DOB} and {DOB}")
    advance_meeting(meeting, S.AGENDA_ISSUED, by=secretariat)
    advance_meeting(meeting, S.HELD, by=secretariat)

    # The minute: three saves, each a version.
    for n in range(3):
        item = save_minute(
            item,
            by=secretariat,
            narrative=f"Discussed the person, {DOB}, draft {n}.",
            decisions=f"Agreed ({n}) about {DOB}.",
            base_version=item.version,
        )

    # An action, edited twice, with two updates.
    action = record_action(
        item, by=secretariat, text=f"Check {DOB}", due_date=date(2017, 3, 1), organisations=[OrganisationFactory()]
    )
    owners = {"organisations": list(action.owner_organisations.all())}
    action = edit_action(
        action, by=secretariat, text=f"Check {DOB} now", due_date=action.due_date, status="open", **owners
    )
    action = edit_action(
        action,
        by=secretariat,
        text=f"Check {DOB} again",
        due_date=date(2017, 4, 1),
        status="open",
        reason=f"Waiting on {DOB}",
        **owners,
    )
    add_progress_update(action, by=secretariat, text=f"Spoke about {DOB}")
    add_progress_update(action, by=secretariat, text=f"Still {DOB}", new_status="complete", reason=f"Done: {DOB}")

    # Circulated (a snapshot), a member's comment and its decision, a last save, agreed (a second snapshot).
    advance_meeting(meeting, S.DRAFT_CIRCULATED, by=secretariat, comment_deadline=today + timedelta(days=7))
    comment = add_comment(item, by=member_user, text=f"Please remove {DOB}")
    decide_comment(comment, by=secretariat, accepted=True, change_made=f"Kept {DOB} for now")
    item = save_minute(
        item, by=secretariat, narrative=f"Final, {DOB}.", decisions=f"Agreed about {DOB}.", base_version=item.version
    )
    advance_meeting(meeting, S.MINUTES_AGREED, by=secretariat, agreed_at=later, subject_to=f"removing {DOB}")

    # A quarterly return: submitted, sent back with comments, the narrative saved three times. The
    # services now refuse a date of birth (reviews.rules): saved as it was before they did.
    period = ReportingPeriodFactory(year=2017, quarter=1)
    ret = complete(QuarterlyReturn(area=fife, period=period), chair_user)
    ret = submit_return(ret, by=chair_user, confirmed=True)
    ret = send_back(ret, by=secretariat, comments={"narrative": f"Remove {DOB}"}, note=f"See {DOB}")
    for n in range(3):
        ret = typed_before(ret, chair_user, narrative=f"Update {n}: {DOB}")
    ret = typed_before(ret, chair_user, learning=f"Learning {DOB}")

    # A case review record, changed twice.
    review = create_case_review(
        by=chair_user,
        area=fife,
        review_type=CaseReview.Type.INITIAL_ICR,
        mappa_category=1,
        mappa_level=1,
        commissioned_on=date(2017, 5, 10),
        learning_summary="Learning about the review",
    )
    for summary in (f"Learning about {DOB}", f"Learning about {DOB}, revised", DOB):
        review = typed_before(review, chair_user, learning_summary=summary)

    # Recommendation status updates (each a record of its own: the action plan's track).
    recommendation = RecommendationFactory()
    for n in range(2):
        record_status_update(
            recommendation,
            by=secretariat,
            as_of=date(2017, 2, 16) + timedelta(days=n),
            narrative=f"Progress {n}: {DOB}",
            status=StatusUpdate.Status.ON_TARGET,
            progress=StatusUpdate.Progress.SOME,
            source_note=f"Note {DOB}",
        )
    return {
        "meeting": meeting,
        "item": item,
        "action": action,
        "comment": comment,
        "return": ret,
        "review": review,
        "recommendation": recommendation,
    }


def _erase_through_the_page(client, text=DOB, reason="Personal data typed into the minutes and a return"):
    url = reverse("erasure:erase")
    assert client.get(url).status_code == 200
    preview = client.post(url, {"step": "find", "text": text})
    assert preview.status_code == 200
    confirm = client.post(url, {"step": "confirm", "text": text})
    assert confirm.status_code == 200
    erased = client.post(url, {"step": "erase", "text": text, "reason": reason, "confirm": "on"})
    assert erased.status_code == 302, erased.content.decode()[:3000]
    assert erased["Location"] == reverse("erasure:done")
    return preview, client.get(erased["Location"])


# --- The issue's test ----------------------------------------------------------------------------


def test_the_text_typed_into_every_kind_of_record_is_nowhere_after_erasure(client, secretariat_user, records):
    # Every kind of record, and the versions kept of them, holds the text before.
    holding = tables_holding(DOB)
    expected = {
        "meetings_meeting",
        "meetings_meetingtransition",
        "meetings_agendaitem",
        "meetings_historicalagendaitem",
        "meetings_minutessnapshot",
        "meetings_minutecomment",
        "actions_action",
        "actions_actionupdate",
        "reviews_quarterlyreturn",
        "reviews_historicalquarterlyreturn",
        "reviews_returntransition",
        "reviews_sectioncomment",
        "reviews_casereview",
        "reviews_historicalcasereview",
        "recommendations_statusupdate",
    }
    assert expected <= holding, expected - holding
    assert AgendaItem.history.filter(id=records["item"].pk).count() >= 6
    assert QuarterlyReturn.history.filter(id=records["return"].pk).count() >= 6
    assert CaseReview.history.filter(id=records["review"].pk).count() == 4
    versions_before = (AgendaItem.history.count(), QuarterlyReturn.history.count(), CaseReview.history.count())

    client.force_login(secretariat_user)
    preview, done = _erase_through_the_page(client)
    assert "Where the text is" in preview.content.decode()
    page = done.content.decode()
    assert "Personal data erased" in page
    assert "Saved version of an agenda item or its minute" in page

    # Nowhere: not in any table, nor (SQLite) anywhere in a dump of the whole database.
    assert tables_holding(DOB) == set()
    assert dump_holds(DOB) in (False, None)

    # Replaced, in place; no version was added by the erasure.
    replacement = replacement_for()
    assert replacement == f"[removed on {timezone.localdate():%-d %B %Y}: personal data]"
    item = AgendaItem.objects.get(pk=records["item"].pk)
    assert item.narrative == f"Final, {replacement}."
    assert item.title == f"Case {replacement}"
    assert all(replacement in v.narrative for v in AgendaItem.history.filter(id=item.pk) if v.narrative)
    assert (AgendaItem.history.count(), QuarterlyReturn.history.count(), CaseReview.history.count()) == versions_before
    agreed = MinutesSnapshot.objects.get(meeting=records["meeting"], kind=MinutesSnapshot.Kind.AGREED)
    assert replacement in json.dumps(agreed.content, ensure_ascii=False)
    assert Action.objects.get(pk=records["action"].pk).text == f"Check {replacement} again"
    assert ActionUpdate.objects.filter(text=f"Spoke about {replacement}").exists()
    assert MinuteComment.objects.get(pk=records["comment"].pk).text == f"Please remove {replacement}"
    assert QuarterlyReturn.objects.get(pk=records["return"].pk).narrative == f"Update 2: {replacement}"
    assert CaseReview.objects.get(pk=records["review"].pk).learning_summary == replacement
    assert StatusUpdate.objects.filter(narrative=f"Progress 1: {replacement}").exists()

    # The minutes as downloaded (drawn from the records each time) read the same.
    minutes_text = client.get(reverse("meetings:minutes-docx", kwargs={"pk": records["meeting"].pk}))
    assert minutes_text.status_code == 200


def test_the_audit_line_has_who_why_and_the_counts_but_not_the_text(client, secretariat_user, records):
    client.force_login(secretariat_user)
    _erase_through_the_page(client, reason="A date of birth typed into a return")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ERASURE)
    assert event.user == secretariat_user
    assert event.details["reason"] == "A date of birth typed into a return"
    counts = event.details["counts"]
    assert counts["Saved version of an agenda item or its minute"] >= 6
    assert counts["Quarterly return"] == 2  # the narrative and the learning
    assert counts["Recommendation status update"] == 4
    assert event.details["occurrences"] == sum(counts.values())
    assert DOB not in json.dumps(event.details, ensure_ascii=False) + event.label + str(event)


def test_the_preview_and_the_confirmation_page_change_nothing(client, secretariat_user, records):
    before = tables_holding(DOB)
    client.force_login(secretariat_user)
    url = reverse("erasure:erase")
    preview = client.post(url, {"step": "find", "text": DOB})
    page = preview.content.decode()
    assert "Nothing has been changed yet" in page
    assert "Case review record" in page
    assert reverse("case_reviews:detail", kwargs={"pk": records["review"].pk}) in page
    assert client.post(url, {"step": "confirm", "text": DOB}).status_code == 200
    # Not confirmed: refused, nothing erased.
    refused = client.post(url, {"step": "erase", "text": DOB, "reason": "Personal data"})
    assert refused.status_code == 400
    assert "Confirm that the text is to be erased everywhere" in refused.content.decode()
    assert "govuk-error-summary" in refused.content.decode()
    assert tables_holding(DOB) == before
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ERASURE).exists()


def test_the_case_must_match_and_other_text_stays(client, secretariat_user, records):
    client.force_login(secretariat_user)
    url = reverse("erasure:erase")
    lower = DOB.lower()
    preview = client.post(url, {"step": "find", "text": lower})
    assert "It is in no record" in preview.content.decode()
    refused = client.post(url, {"step": "erase", "text": lower, "reason": "Personal data", "confirm": "on"})
    assert refused.status_code == 400
    assert "nothing to erase" in refused.content.decode()
    assert DOB in AgendaItem.objects.get(pk=records["item"].pk).narrative


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"step": "find", "text": "1979"}, "Enter at least 6 characters"),
        ({"step": "find", "text": ""}, "Enter the text to erase"),
        (
            {"step": "erase", "text": DOB, "reason": f"It was {DOB}", "confirm": "on"},
            "The reason must not contain the text being erased",
        ),
        ({"step": "erase", "text": DOB, "reason": "", "confirm": "on"}, "Enter why this text is being erased"),
    ],
)
def test_wrong_answers_are_shown_in_the_error_summary(client, secretariat_user, records, data, message):
    client.force_login(secretariat_user)
    response = client.post(reverse("erasure:erase"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert DOB in AgendaItem.objects.get(pk=records["item"].pk).narrative


def test_a_step_no_page_sends_is_a_bad_request(client, secretariat_user):
    client.force_login(secretariat_user)
    assert client.post(reverse("erasure:erase"), {"step": "drop", "text": DOB}).status_code == 400


@pytest.mark.parametrize("role", ["sog_chair", "nsg_member", "inspector"])
def test_only_the_secretariat_may_erase(client, users_by_role, records, role):
    client.force_login(users_by_role[role])
    url = reverse("erasure:erase")
    assert client.get(url).status_code == 403
    assert client.post(url, {"step": "find", "text": DOB}).status_code == 403
    assert (
        client.post(url, {"step": "erase", "text": DOB, "reason": "Personal data", "confirm": "on"}).status_code == 403
    )
    assert client.get(reverse("erasure:done")).status_code == 403
    assert DOB in AgendaItem.objects.get(pk=records["item"].pk).narrative


def test_the_administrator_may_erase(client, administrator_user, records):
    client.force_login(administrator_user)
    _erase_through_the_page(client)
    assert tables_holding(DOB) == set()
