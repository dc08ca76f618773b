"""Demo actions: those raised at the NSG meetings of 16 February, 31 May and 8 November 2017, and the
updates on them noted as matters arising at the next meeting. Some November actions are left overdue.

Runs after the meetings' seeders (demo/seeders.py), on the demo meetings and minutes of
demo/meetings.py. Idempotent.
"""

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionUpdate
from demo.meetings import seed_snapshots
from demo.world import NAME_OF, _upsert
from meetings.numbering import numbered_agenda

# The actions each demo minute raised, per item number: (item number, [(action text, owners, due date, status)]),
# numbered through the meeting in this order. Owners: "org:SG", "body:nsg" (All NSG members) or a person key.
ACTIONS = {
    "2017-02-16": [
        (
            "4",
            [
                (
                    "Circulate ViSOR figures on the number of RSOs likely to be affected by the additional ERA criteria.",
                    ["nss"],
                    date(2017, 2, 28),
                    "complete",
                ),
                ("Reconvene the ERA short life working group.", ["org:SG"], date(2017, 3, 31), "complete"),
            ],
        ),
        (
            "5",
            [
                (
                    "Report on support available to local authorities for people with no recourse to public funds.",
                    ["org:SG"],
                    date(2017, 5, 31),
                    "complete",
                )
            ],
        ),
    ],
    "2017-05-31": [
        (
            "4.2",
            [
                (
                    "Bring revised Level 1 minimum practice standards to the NSG.",
                    ["csu-policy-lead"],
                    date(2017, 11, 8),
                    "in_progress",
                )
            ],
        ),
        (
            "5.1",
            [
                (
                    "Send comments on the internet offending presentations to the secretariat.",
                    ["body:nsg"],
                    date(2017, 6, 14),
                    "complete",
                )
            ],
        ),
    ],
    "2017-11-08": [
        (
            "3",
            [
                (
                    "Circulate the updated thematic inspection action plan to members.",
                    ["org:SG"],
                    date(2017, 11, 22),
                    "open",
                )
            ],
        ),
        ("4", [("Send final comments on the draft ERA guidance.", ["body:nsg"], date(2017, 11, 22), "open")]),
        (
            "10",
            [
                (
                    "Share the findings of the Grampian SCR with the NSG when available.",
                    ["chair-grampian"],
                    date(2018, 2, 28),
                    "open",
                )
            ],
        ),
    ],
}


# The network's e-mail and telephone as the update gives them: fictional (the .example domain and a
# number from Ofcom's range for drama), for a disclosure to find and redact.
NRPF_CONTACT = "nrpf.network@cosla.example, 0131 496 0857"


def _owners(world, keys):
    people, organisations, bodies = [], [], []
    for key in keys:
        if key.startswith("org:"):
            organisations.append(world.organisations[key[4:]])
        elif key.startswith("body:"):
            bodies.append(world.bodies[key[5:]])
        else:
            people.append(world.people[key])
    return people, organisations, bodies


@transaction.atomic
def seed_actions(world):
    """The demo minutes' actions and the matters arising noted on them; then the minutes' snapshots again."""
    secretariat = get_user_model().objects.get(username="secretariat")
    for key, entries in ACTIONS.items():
        meeting = world.meetings[key]
        by_number = {e.number: e.item for e in numbered_agenda(list(meeting.agenda_items.all()))}
        number = 0
        for item_number, actions in entries:
            item = by_number[item_number]
            for text, owners, due, status in actions:
                number += 1
                action = _upsert(
                    Action,
                    {"meeting": meeting, "number": number},
                    {
                        "agenda_item": item,
                        "text": text,
                        "due_date": due,
                        "original_due_date": due,
                        "status": status,
                        "created_by": secretariat,
                        "created_at": timezone.make_aware(datetime.combine(meeting.date, time(13, 0))),
                    },
                )
                people, organisations, bodies = _owners(world, owners)
                action.owner_people.set(people)
                action.owner_organisations.set(organisations)
                action.owner_bodies.set(bodies)
    february, may, november = (world.meetings[k] for k in ("2017-02-16", "2017-05-31", "2017-11-08"))
    nss, housing, forensic = NAME_OF["nss"], NAME_OF["housing"], NAME_OF["forensic"]
    # The updates as the secretariat noted them, naming the demo's people and, for the network that
    # helps with no recourse to public funds, its (fictional) contact details.
    noted = [
        (
            february,
            1,
            "ViSOR numbers of RSOs likely to be affected by the additional ERA criteria were "
            f"circulated by {nss.full} (NSS) on 23 February 2017.",
            may,
        ),
        (
            february,
            2,
            f"The ERA short life working group reconvened on 16 March 2017, chaired by {housing.full}.",
            may,
        ),
        (
            february,
            3,
            "SG co-funds a CoSLA team that supports local authorities with people who have no "
            f"recourse to public funds. Scottish contact: the NRPF Network, {NRPF_CONTACT}.",
            may,
        ),
        (
            may,
            2,
            f"Comments on the internet offending presentations were received by e-mail and passed to {forensic.full}.",
            november,
        ),
    ]
    for meeting, number, text, at in noted:
        action = Action.objects.get(meeting=meeting, number=number)
        _upsert(
            ActionUpdate,
            {"action": action, "noted_at": at},
            {
                "author": secretariat,
                "text": text,
                "new_status": Action.Status.COMPLETE,
                "reason": text,
                "at": timezone.make_aware(datetime.combine(at.date, time(11, 0))),
            },
        )
    # The snapshots of the minutes (demo.meetings.seed_circulation) were taken before these actions
    # existed: take them again, so the circulated and agreed minutes list their actions.
    seed_snapshots(world)
    return world
