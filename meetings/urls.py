"""The meetings app's pages, under /meetings/ (config/urls.py); one view module per concern (meetings/views/).

Papers, the SOG chairs' updates minute and the actions recorded at a meeting have URLs
under /meetings/ too, routed by their own apps (config/urls.py): papers/urls.py,
reviews/minute_urls.py, actions/minute_urls.py.
"""

from django.urls import path

from meetings.views import agenda, attendance, circulation, documents, meetings, minutes, proposals

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("new/", meetings.meeting_create, name="create"),
    path("<int:pk>/", meetings.meeting_detail, name="detail"),
    path("<int:pk>/advance/", meetings.meeting_advance, name="advance"),
    path("<int:pk>/minutes/<int:item_pk>/", minutes.minute_edit, name="minute-edit"),
    path("<int:pk>/minutes/<int:item_pk>/history/", minutes.minute_history, name="minute-history"),
    path("<int:pk>/comments/", circulation.minute_comments, name="comments"),
    path("<int:pk>/comments/<int:comment_pk>/decision/", circulation.comment_decide, name="comment-decide"),
    path("<int:pk>/agree-previous-minutes/", minutes.agree_previous_minutes, name="agree-previous"),
    path("<int:pk>/minutes/changes/", minutes.minutes_changes, name="minutes-changes"),
    path("<int:pk>/minutes/reopen/", minutes.minutes_reopen, name="minutes-reopen"),
    # Documents: agenda and minute as PDF, minute as Word, Outlook invitation (meetings/views/documents.py).
    path("<int:pk>/agenda.pdf", documents.agenda_pdf, name="agenda-pdf"),
    path("<int:pk>/minutes.pdf", documents.minutes_pdf, name="minutes-pdf"),
    path("<int:pk>/minutes.docx", documents.minutes_docx, name="minutes-docx"),
    path("<int:pk>/invite.ics", documents.invite_ics, name="invite-ics"),
    # The agenda editor and the call for agenda items.
    path("<int:pk>/agenda/", agenda.agenda_edit, name="agenda"),
    path("<int:pk>/agenda/items/new/", agenda.agenda_item_add, name="agenda-item-add"),
    path("<int:pk>/agenda/items/<int:item_pk>/edit/", agenda.agenda_item_edit, name="agenda-item-edit"),
    path("<int:pk>/agenda/items/<int:item_pk>/remove/", agenda.agenda_item_remove, name="agenda-item-remove"),
    path("<int:pk>/agenda/items/<int:item_pk>/move/", agenda.agenda_item_move, name="agenda-item-move"),
    path("<int:pk>/agenda/proposals/<int:proposal_pk>/decision/", proposals.proposal_decide, name="proposal-decide"),
    path("<int:pk>/propose/", proposals.agenda_propose, name="propose"),
    # Attendance and its summary.
    path("<int:pk>/attendance/", attendance.attendance_record, name="attendance"),
    path("<int:pk>/attendance/all-present/", attendance.attendance_all_present, name="attendance-all-present"),
    path("<int:pk>/attendance/add/", attendance.attendance_add, name="attendance-add"),
    path("<int:pk>/attendance/<int:attendance_pk>/remove/", attendance.attendance_remove, name="attendance-remove"),
    path("attendance/", attendance.attendance_summary, name="attendance-summary"),
]
