"""Returns and case review pages, one module per concern. Views parse the request, call a selector or
service, and render; reviews/urls.py, case_review_urls.py and minute_urls.py route to them.

* returns.py: the returns page (the secretariat's matrix, a chair's own returns, approved returns), and
  one return: its page, a section's form, check your answers, submit, nil, return for amendment,
  approve, reopen, history; not_allowed (the 405 of every module here).
* case_reviews.py: the case review records: the list, recording one, its page, changing it.
* periods.py: the secretariat's reporting periods: the list, adding one, moving its due date;
  period_or_404.
* nsg_meeting.py: for the NSG meeting: the national case review table into a meeting's papers, and the
  areas' approved updates into the SOG chairs' updates minute.

The returns as documents (PDF) are reviews/document_views.py.
"""
