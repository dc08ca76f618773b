from django.urls import path

from meetings import document_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/advance/", views.meeting_advance, name="advance"),
    path("<int:pk>/minutes/<int:item_pk>/", views.minute_edit, name="minute-edit"),
    path("<int:pk>/minutes/<int:item_pk>/actions/", views.action_create, name="action-create"),
    path("<int:pk>/minutes/<int:item_pk>/history/", views.minute_history, name="minute-history"),
    path("<int:pk>/comments/", views.minute_comments, name="comments"),
    path("<int:pk>/comments/<int:comment_pk>/decision/", views.comment_decide, name="comment-decide"),
    path("<int:pk>/agree-previous-minutes/", views.agree_previous_minutes, name="agree-previous"),
    path("<int:pk>/matters-arising/<int:action_pk>/", views.matter_arising, name="matter-arising"),
    path("<int:pk>/minutes/changes/", views.minutes_changes, name="minutes-changes"),
    # Documents: agenda and minute as PDF, minute as Word, Outlook invitation (meetings/document_views.py).
    path("<int:pk>/agenda.pdf", document_views.agenda_pdf, name="agenda-pdf"),
    path("<int:pk>/minutes.pdf", document_views.minutes_pdf, name="minutes-pdf"),
    path("<int:pk>/minutes.docx", document_views.minutes_docx, name="minutes-docx"),
    path("<int:pk>/invite.ics", document_views.invite_ics, name="invite-ics"),
]

# The agenda editor and the call for agenda items; attendance and its summary.
urlpatterns += [
    path("<int:pk>/agenda/", views.agenda_edit, name="agenda"),
    path("<int:pk>/agenda/items/new/", views.agenda_item_add, name="agenda-item-add"),
    path("<int:pk>/agenda/items/<int:item_pk>/edit/", views.agenda_item_edit, name="agenda-item-edit"),
    path("<int:pk>/agenda/items/<int:item_pk>/remove/", views.agenda_item_remove, name="agenda-item-remove"),
    path("<int:pk>/agenda/items/<int:item_pk>/move/", views.agenda_item_move, name="agenda-item-move"),
    path("<int:pk>/agenda/proposals/<int:proposal_pk>/decision/", views.proposal_decide, name="proposal-decide"),
    path("<int:pk>/propose/", views.agenda_propose, name="propose"),
    path("<int:pk>/attendance/", views.attendance_record, name="attendance"),
    path("<int:pk>/attendance/add/", views.attendance_add, name="attendance-add"),
    path("<int:pk>/attendance/<int:attendance_pk>/remove/", views.attendance_remove, name="attendance-remove"),
    path("attendance/", views.attendance_summary, name="attendance-summary"),
]
