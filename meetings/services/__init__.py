"""Changes to meetings, one module per concern:

* meetings.py: planning a meeting, its lifecycle steps, reopening agreed minutes, MeetingStepRefused (the
  refusals' base).
* documents.py: the PDFs kept in storage once they can no longer change (StoredDocument).
* agenda.py: adding, editing, removing and moving agenda items (AgendaChangeRefused).
* proposals.py: the call for agenda items: proposing, accepting, declining.
* minutes.py: saving an item's minute, with conflict detection (EditConflict).
* snapshots.py: the minute as circulated and as agreed (MinutesSnapshot).
* circulation.py: members' comments on the circulated draft, and the secretariat's decisions.
* attendance.py: recording who was present, sent apologies or attended (AttendanceRefused).
"""
