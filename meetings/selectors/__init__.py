"""Reading meetings for pages and documents, one module per concern:

* meetings.py: the meetings list, one meeting's page, what the user may do from it.
* agenda.py: the secretariat's agenda editor, and what stops an item being removed.
* minutes.py: the minute editor, saved versions, the previous minutes at item 2, what changed.
* circulation.py: who receives the draft minute, and the comments page.
* attendance.py: one meeting's attendance sheet, and the attendance summary.
* documents.py: a meeting loaded for its agenda, minute and invitation documents.
* attention.py: home-page items about meetings.
"""
