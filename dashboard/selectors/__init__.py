"""Reading the dashboard: recommendations, actions and returns for a range of quarters, an area and a group.

One module each:

* ``board``: the whole dashboard for a reader and a scope (``dashboard``), and who sees
  counts below the disclosure threshold (``sees_small_numbers``).
* ``layout``: what it is made of: ``Dashboard``, its ``Section`` s and their ``Figure`` s (a
  table and its chart), and ``day_label`` for the days in titles.
* ``recommendations_section``: the action plan as at the range's end and at each NSG
  meeting in it (``recommendations_section``, ``nsg_meeting_dates``, ``progress_at_meetings``).
* ``actions_section``: actions open, overdue and completed, by group, owner and age
  (``actions_section``, ``scoped_actions``, ``action_figures``).
* ``actions_reference``: the same action figures by direct aggregation, the reference the
  fast ones are tested against (``action_figures``).
* ``returns_section``: the returns' completeness and reporting rates, and the approved case
  review and Category 3 figures under disclosure control (``returns_section``,
  ``approved_figures``).

The filters and the ``Scope`` they describe are dashboard.filters; the tables, charts and
disclosure control, dashboard.tables, dashboard.charts and dashboard.disclosure.

Everything is counted in the database (aggregate, values().annotate(Count)), so the number
of queries is the same for a handful of actions and returns as for a whole country's:
about twenty-five for the page, signing in included, whatever the data
(tests/dashboard/test_queries.py holds it to that). Figures are "as at" the end of the
range (or today, if the range has not ended). The page keeps the drawn dashboard in the cache
until the data changes (dashboard.cache).
"""
