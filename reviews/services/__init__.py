"""Changes to returns and case review records, one module per concern:

* returns.py: saving a return's sections, a nil return, and every workflow step (submit, return for
  amendment, approve, reopen); ReturnRefused (the refusals of every module here) and require_area.
* case_reviews.py: recording a case review, with its reference, and changing it.
* periods.py: adding a reporting period and moving its due date.
* nsg_meeting.py: the areas' approved updates into the SOG chairs' updates minute, and the national
  case review table into a meeting's papers.
"""
