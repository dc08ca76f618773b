"""What a meeting allows at each stage, and who may do it: the rules the pages and the services share.

Pure functions over a meeting and a user (no writes, no queries beyond the user's
roles), so the selectors that show a button and the services that do the change
apply the same rule.
"""

from django.utils import timezone

from mappa import access
from meetings.models import Meeting

# A minute may be drafted once the meeting has been held, and until it is agreed.
DRAFTABLE = (Meeting.Status.HELD, Meeting.Status.DRAFT_CIRCULATED)

# The secretariat changes the agenda while the meeting is planned or its agenda issued.
AGENDA_EDITABLE = (Meeting.Status.PLANNED, Meeting.Status.AGENDA_ISSUED)

# Attendance is recorded until the minutes are agreed.
ATTENDANCE_EDITABLE = (
    Meeting.Status.PLANNED,
    Meeting.Status.AGENDA_ISSUED,
    Meeting.Status.HELD,
    Meeting.Status.DRAFT_CIRCULATED,
)

COMMENTERS = (access.Role.SECRETARIAT, access.Role.SOG_CHAIR, access.Role.NSG_MEMBER, access.ADMINISTRATOR)
PROPOSERS = frozenset({access.Role.SECRETARIAT, access.Role.SOG_CHAIR, access.Role.NSG_MEMBER, access.ADMINISTRATOR})


def comments_open(meeting, today=None):
    """Members may comment while the draft is circulated and the deadline has not passed."""
    today = today or timezone.localdate()
    return (
        meeting.status == Meeting.Status.DRAFT_CIRCULATED
        and meeting.comment_deadline is not None
        and today <= meeting.comment_deadline
    )


def proposals_closed_reason(meeting, today=None):
    """Why members cannot propose agenda items for this meeting now, or None while the call is open."""
    today = today or timezone.localdate()
    if meeting.status not in AGENDA_EDITABLE:
        return "This meeting's agenda is settled: agenda items can no longer be proposed."
    if meeting.agenda_items_deadline is None:
        return "The secretariat has not called for agenda items for this meeting."
    if today > meeting.agenda_items_deadline:
        return (
            f"The deadline for proposing agenda items was {meeting.agenda_items_deadline:%-d %B %Y}: "
            "items can no longer be proposed for this meeting. Contact the secretariat if it is urgent."
        )
    return None


def proposals_open(meeting, today=None):
    return proposals_closed_reason(meeting, today) is None


def may_reopen_minutes(user, meeting):
    """Whether ``user`` may reopen ``meeting``'s minutes to correct them: the secretariat, once they are agreed.

    The meeting page shows "Reopen the minutes" on this; the service
    (meetings.services.meetings.reopen_minutes) checks the same again in its transaction.
    """
    return access.has_role(user, *access.SECRETARIAT) and meeting.minutes_are_agreed


def may_read_minutes(user, meeting):
    """Whether ``user`` may read the minute of ``meeting`` (as a PDF or a Word document).

    The secretariat, NSG members and SOG chairs (and administrators) read the
    minute at every stage, from the first draft on. Inspectors read only agreed
    minutes: until the minute is agreed as a true record it is not theirs to
    see, and the documents answer them "not found", as if it did not exist.
    """
    roles = access.roles_of(user)
    if roles - {access.Role.INSPECTOR}:
        return True
    return access.Role.INSPECTOR in roles and meeting.minutes_are_agreed
