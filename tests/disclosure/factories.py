"""A request logged and scoped through the services, as the secretariat's pages do it."""

from datetime import date

from disclosure.services import requests as request_services


def scoped_request(user, *, bodies, kinds, reference="FOI/202700200", wording="NSG documents of 2017"):
    """A request received on 1 December 2026 for the 2017 documents of ``bodies``, organisation names kept."""
    request = request_services.log_request(
        by=user,
        reference=reference,
        received_on=date(2026, 12, 1),
        wording=wording,
        requester="a journalist",
        handler=user,
    )
    return request_services.set_scope(
        request=request,
        by=user,
        bodies=bodies,
        scope_from=date(2017, 1, 1),
        scope_to=date(2017, 12, 31),
        kinds=kinds,
        keep_organisation_names=True,
        keep_chairs=False,
        kept_people=[],
    )
