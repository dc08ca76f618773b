"""Reading actions for the register, an action's page and the exports, one module per concern:

* visibility.py: who may read and who may update: visible_actions (inspectors: actions of agreed
  minutes only), may_update and owned_by, may_edit, person_of; UPDATER_ROLES.
* register.py: the register: rows with their owners, the sorts (SORTS, parse_sort, sort_label),
  the counts (register_counts, overdue_q, due_within_q) and a page of it (register_page).
* action.py: one action: get_action, its page (action_page: owners, item number, timeline), and
  the meetings at which an update on it may be noted.
* exports.py: the rows of a spreadsheet export (export_rows), and the open actions by owner for
  the PDF (open_actions_by_owner).

Every query here is bounded: however many actions there are, a page of the register, an
action's page or an export takes the same number of queries.
"""
