"""Reading returns and case review records for pages, documents and chasing, one module per concern:

* visibility.py: who sees what (EDITORS, NotVisible, acts_for_areas, is_secretariat): the area rule.
* returns.py: one return as its page shows it, and the area's previous approved return.
* history.py: every saved version of a return, with what changed.
* matrix.py: many returns at once: the completeness matrix, a chair's own returns, approved and late returns.
* case_reviews.py: the case review records a user may see, and a quarter's figures as they give them.
* nsg_meeting.py: for the NSG meeting: the areas' approved updates, the national case review table,
  the meetings a paper can go to.
* periods.py: the secretariat's list of reporting periods, and the next one to add.
* attention.py: home-page items about returns.
"""
