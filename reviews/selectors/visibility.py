"""Who sees which returns and case review records: the rule every selector of the app applies.

Who sees what:

* the secretariat (and administrators) every return and record, of every area;
* a SOG chair or MAPPA coordinator only their own areas' (mappa.selectors.areas_for):
  another area's return or record is "not found" for them, whatever the address;
* inspectors and NSG members approved returns only, and case reviews whose
  learning has been shared with the SG.

Each page's queries are bounded: their number does not grow with the number of
areas, periods or returns.
"""

from django.core.exceptions import ObjectDoesNotExist

from mappa import access

EDITORS = frozenset({*access.SECRETARIAT, access.Role.SOG_CHAIR})


class NotVisible(ObjectDoesNotExist):
    """No such return or record, or not one this user may see (the same answer: 404)."""


def acts_for_areas(user):
    """Whether the user edits returns at all (the secretariat or a SOG chair/coordinator)."""
    return access.has_role(user, *EDITORS)


def is_secretariat(user):
    return access.has_role(user, *access.SECRETARIAT)
