"""Meeting pages, one module per concern; meetings/urls.py routes to them.

* meetings.py: the meetings list, planning a meeting, a meeting's page and its next step.
* agenda.py: the secretariat's agenda editor.
* proposals.py: the call for agenda items and the secretariat's decisions on proposals.
* minutes.py: the minute editor, saved versions, agreeing the previous minutes, what changed,
  reopening agreed minutes.
* circulation.py: comments on the circulated draft minute, and decisions on them.
* attendance.py: recording attendance, and the attendance summary.
* documents.py: the agenda and minute as PDF, the minute as Word, the invitation (iCalendar).

Recording actions in the minute editor, and matters arising, are the actions app's
(actions/minute_views.py), at URLs under /meetings/ (see meetings/registry.py).
"""
