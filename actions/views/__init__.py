"""The action register's pages, one module per concern; actions/urls.py and config/urls.py route to them.

Views parse the request, call a selector or service, and render.

* register.py: the register: every action the user may read, filtered, sorted, counted, 50 to a page;
  action_filterset (the filters of the query string).
* action.py: one action: its page, a progress update, the secretariat's edit.
* exports.py: exports of the register's current filter: /actions.pdf, /actions.xlsx, /actions.csv.

Recording actions in the minute editor, and matters arising, are actions/minute_views.py.
"""
