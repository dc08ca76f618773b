"""What a request allows at each stage, and who may do it: the rules the pages and the services share.

Only the NSG secretariat (and administrators) handle requests (the views' access rules);
these say when. Pure functions over records already loaded, plus the count of undecided
proposals the caller gives.
"""

from disclosure.models import DisclosureRequest

Status = DisclosureRequest.Status

# Scope, added terms, keep rules and decisions change until a pack is approved.
REVIEWABLE = (Status.OPEN, Status.IN_REVIEW)

# A request is due soon when its statutory date is this many working days away or fewer.
DUE_SOON_WORKING_DAYS = 5


def may_review(request):
    return request.status in REVIEWABLE


def why_not_find(request, *, active_job):
    """Why personal data cannot be looked for now ("" if it can)."""
    if not may_review(request):
        return "The request's pack has been approved: nothing in it can change."
    if active_job is not None:
        return f"{active_job.get_kind_display()} is under way: wait for it to finish, or cancel it."
    if not request.has_scope:
        return "Set the scope first: at least one group, the dates and a kind of document."
    return ""


def why_not_build(request, *, active_job, undecided, found):
    """Why the pack cannot be built now ("" if it can)."""
    reason = why_not_find(request, active_job=active_job)
    if reason:
        return reason
    if not found:
        return "Find the personal data in the documents first."
    if undecided:
        return f"Decide every proposed redaction first: {undecided} still to decide."
    return ""


def why_not_approve(pack, user):
    """Why ``user`` may not approve ``pack`` ("" if they may): two people see every release."""
    if pack.is_approved:
        return "This pack is already approved."
    if pack.request.status != Status.IN_REVIEW:
        return "Only the pack of a request in review can be approved."
    if pack.request.current_pack != pack:
        return "A newer version of this pack has been built: approve that one."
    if pack.reviewed_by_id == user.pk:
        return "You reviewed this pack: a second member of the secretariat must approve it."
    return ""
