"""Demo meetings: the NSG meetings of 16 February, 31 May and 8 November 2017.

Agendas follow the papers in ../shared/seeds; attendance is by organisation as
the minutes record it, with the demo world's fictional people. The minutes
name those people as real minutes do ("Ms Eilidh Crawford (RMA) presented
paper 5.2", "Ms Crawford agreed"), and the minutes and covering notes give
the secretariat's e-mail address and telephone number (fictional: the
.example domain and Ofcom's drama range), so a disclosure has names and
contact details to redact. The February and May minutes are agreed (May's
subject to the Glasgow correction); the November draft is out for comment
until 27 November 2017. Idempotent.
"""

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.world import NAME_OF, _upsert
from meetings.models import AgendaItem, Attendance, Meeting, MeetingTransition, MinuteComment, MinutesSnapshot
from meetings.numbering import numbered_agenda
from meetings.services.snapshots import minute_content

K = AgendaItem.Kind
S = Meeting.Status

ST_ANDREWS_HOUSE = "St Andrew's House, Regent Road, Edinburgh EH1 3DG"
HAMILTON = "Committee Room 5, South Lanarkshire Council HQ, Almada Street, Hamilton"
# The secretariat's telephone line, as the minutes and covering notes give it (a number from Ofcom's
# range for drama, which no real line has).
SECRETARIAT_PHONE = "0131 496 0233"

# (title, kind, lead key in world.people or world.organisations, sub-items)
FEBRUARY_AGENDA = [
    ("Welcome, introductions and apologies", K.WELCOME, None, []),
    ("Minutes of previous meeting and matters arising", K.PREVIOUS_MINUTES, None, []),
    ("MAPPA: Thematic Inspection Action Plan", K.TOPIC, "org:SG", []),
    ("Environmental Risk Assessment: additional criteria", K.TOPIC, "housing", []),
    ("Registered sex offenders with no recourse to public funds", K.TOPIC, "org:SG", []),
    ("MAPPA Development Group Update", K.TOPIC, "csu-policy-lead", []),
    ("Update from Scottish Prison Service", K.TOPIC, "sps", []),
    ("Update from Police Scotland", K.TOPIC, "police", []),
    ("Update from Strategic Oversight Group Chairs, including SCRs/ICRs", K.SOG_UPDATES, None, []),
    ("AOCB", K.AOB, None, []),
    ("Date of Next Meeting", K.NEXT_MEETING, None, []),
]
MAY_AGENDA = [
    ("Welcome, Introductions and Apologies", K.WELCOME, None, []),
    ("Minutes of previous meeting and matters arising", K.PREVIOUS_MINUTES, None, []),
    ("Victims – Engagement with victim support services (VSS)", K.TOPIC, "vss", []),
    (
        "MAPPA: Thematic Inspection Action Plan",
        K.TOPIC,
        "org:SG",
        [
            ("Environmental Risk Assessment standards", "housing"),
            ("Level 1 standards", "csu-policy-lead"),
            ("Offender Management Engagement Strategy", "org:SG"),
        ],
    ),
    (
        "Internet Offending",
        K.TOPIC,
        None,
        [
            ("Child abuse image offenders and risk", "forensic"),
            ("Risk assessment of internet offenders (RMA)", "org:RMA"),
        ],
    ),
    ("MAPPA Development Group Update", K.TOPIC, "csu-policy-lead", []),
    ("Update from Scottish Prison Service", K.TOPIC, "sps", []),
    ("Update from Police Scotland", K.TOPIC, "police", []),
    ("Update from Strategic Oversight Group Chairs, including SCRs/ICRs", K.SOG_UPDATES, None, []),
    ("AOCB", K.AOB, None, []),
    ("Date of Next Meeting", K.NEXT_MEETING, None, []),
]
NOVEMBER_AGENDA = [
    ("Welcome, Introductions and Apologies", K.WELCOME, None, []),
    ("Minutes of previous meeting and matters arising", K.PREVIOUS_MINUTES, None, []),
    ("MAPPA: Thematic Inspection Action Plan", K.TOPIC, "org:SG", []),
    ("Environmental Risk Assessment standards", K.TOPIC, "housing", []),
    ("Level 1 Minimum Practice Standards", K.TOPIC, "csu-policy-lead", []),
    ("Offender Management Engagement Strategy", K.TOPIC, "org:SG", []),
    ("MAPPA Development Group Update", K.TOPIC, "csu-policy-lead", []),
    ("Update from Scottish Prison Service", K.TOPIC, "sps", []),
    ("Update from Police Scotland", K.TOPIC, "police", []),
    ("Update from Strategic Oversight Group Chairs, including SCRs/ICRs", K.SOG_UPDATES, None, []),
    ("AOCB", K.AOB, None, []),
    ("Date of Next Meeting", K.NEXT_MEETING, None, []),
]

ALL_SOGS = [
    "south-west-scotland",
    "forth-valley",
    "highland-and-islands",
    "north-strathclyde",
    "grampian",
    "lanarkshire",
    "edinburgh-lothian-borders",
    "glasgow",
    "tayside",
    "fife",
]
# Who the minutes list as present and as sending apologies (by organisation; people are the demo's).
ATTENDANCE = {
    date(2017, 2, 16): {
        "present": [
            "nsg-chair",
            "secretariat",
            "csu-policy-lead",
            "police",
            "sps",
            "sws",
            "member-rma",
            "nss",
            "forensic",
            "housing",
        ]
        + [f"chair-{slug}" for slug in ALL_SOGS if slug not in ("grampian", "highland-and-islands")],
        "apologies": ["community-justice", "vss"],
    },
    date(2017, 5, 31): {
        "present": [
            "nsg-chair",
            "secretariat",
            "csu-policy-lead",
            "vss",
            "police",
            "sws",
            "member-rma",
            "nss",
            "forensic",
            "community-justice",
            "housing",
        ]
        + [f"chair-{slug}" for slug in ALL_SOGS if slug not in ("grampian", "north-strathclyde")],
        "apologies": ["chair-grampian", "chair-north-strathclyde", "sps"],
        "in_attendance": [("coordinator-highland-and-islands", "5.1")],
    },
    date(2017, 11, 8): {
        "present": [
            "nsg-chair",
            "secretariat",
            "csu-policy-lead",
            "sps",
            "sws",
            "member-rma",
            "nss",
            "forensic",
            "housing",
        ]
        + [f"chair-{slug}" for slug in ALL_SOGS],
        "apologies": ["police", "community-justice"],
    },
}


def _lead(world, key):
    if key is None:
        return {"lead_person": None, "lead_organisation": None}
    if key.startswith("org:"):
        return {"lead_person": None, "lead_organisation": world.organisations[key[4:]]}
    return {"lead_person": world.people[key], "lead_organisation": None}


def _agenda(world, meeting, agenda):
    numbers = {}
    for position, (title, kind, lead, subs) in enumerate(agenda, start=1):
        item = _upsert(
            AgendaItem,
            {"meeting": meeting, "parent": None, "position": position},
            {"title": title, "kind": kind, **_lead(world, lead)},
        )
        numbers[str(position)] = item
        for sub_position, (sub_title, sub_lead) in enumerate(subs, start=1):
            sub = _upsert(
                AgendaItem,
                {"meeting": meeting, "parent": item, "position": sub_position},
                {"title": sub_title, "kind": K.TOPIC, **_lead(world, sub_lead)},
            )
            numbers[f"{position}.{sub_position}"] = sub
    return numbers


def _attendance(world, meeting, numbers):
    record = ATTENDANCE[meeting.date]
    for key in record["present"]:
        _upsert(Attendance, {"meeting": meeting, "person": world.people[key]}, {"status": Attendance.Status.PRESENT})
    for key in record["apologies"]:
        _upsert(Attendance, {"meeting": meeting, "person": world.people[key]}, {"status": Attendance.Status.APOLOGIES})
    for key, item_number in record.get("in_attendance", []):
        _upsert(
            Attendance,
            {"meeting": meeting, "person": world.people[key]},
            {"status": Attendance.Status.IN_ATTENDANCE, "for_item": numbers[item_number]},
        )


def _history(meeting, steps, by):
    """Record the lifecycle as it happened, with the dates of the papers."""
    previous = S.PLANNED
    for to_status, on, note in steps:
        at = timezone.make_aware(datetime.combine(on, time(16, 0)))
        _upsert(
            MeetingTransition,
            {"meeting": meeting, "to_status": to_status},
            {"from_status": previous, "by": by, "at": at, "note": note},
        )
        previous = to_status


@transaction.atomic
def seed_meetings(world):
    """Create the three 2017 NSG meetings with agendas, attendance and lifecycle history."""
    nsg = world.bodies["nsg"]
    chair = world.people["nsg-chair"]
    secretariat = get_user_model().objects.get(username="secretariat")
    secretariat_name = NAME_OF["secretariat"]
    common = {"start_time": time(10, 30), "end_time": time(13, 0), "chair": chair}
    february = _upsert(
        Meeting,
        {"body": nsg, "date": date(2017, 2, 16)},
        {**common, "venue": ST_ANDREWS_HOUSE, "status": S.MINUTES_AGREED, "comment_deadline": date(2017, 3, 10)},
    )
    may = _upsert(
        Meeting,
        {"body": nsg, "date": date(2017, 5, 31)},
        {
            **common,
            "venue": ST_ANDREWS_HOUSE,
            "status": S.MINUTES_AGREED,
            "agenda_items_deadline": date(2017, 5, 12),
            "comment_deadline": date(2017, 6, 30),
        },
    )
    november = _upsert(
        Meeting,
        {"body": nsg, "date": date(2017, 11, 8)},
        {**common, "venue": HAMILTON, "status": S.DRAFT_CIRCULATED, "comment_deadline": date(2017, 11, 27)},
    )
    _upsert(Meeting, {"pk": february.pk}, {"agreed_at": may, "agreed_subject_to": ""})
    _upsert(
        Meeting,
        {"pk": may.pk},
        {
            "agreed_at": november,
            "agreed_subject_to": "the Glasgow SOG update noting that 3 initial ICRs had been processed, "
            "of which 1 had progressed to full ICR (page 9).",
        },
    )
    for meeting, agenda in ((february, FEBRUARY_AGENDA), (may, MAY_AGENDA), (november, NOVEMBER_AGENDA)):
        numbers = _agenda(world, meeting, agenda)
        _attendance(world, meeting, numbers)
    _history(
        february,
        [
            (S.AGENDA_ISSUED, date(2017, 2, 8), "Agenda and papers sent to members."),
            (S.HELD, date(2017, 2, 16), ""),
            (S.DRAFT_CIRCULATED, date(2017, 3, 1), "Comments invited by 10 March 2017."),
            (S.MINUTES_AGREED, date(2017, 5, 31), "Agreed as a true record at the meeting of 31 May 2017."),
        ],
        secretariat,
    )
    _history(
        may,
        [
            (S.AGENDA_ISSUED, date(2017, 5, 22), "Agenda and papers sent to members."),
            (S.HELD, date(2017, 5, 31), ""),
            (S.DRAFT_CIRCULATED, date(2017, 6, 16), "Comments invited by 30 June 2017."),
            (
                S.MINUTES_AGREED,
                date(2017, 11, 8),
                "Agreed as a true record at the meeting of 8 November 2017, subject to the Glasgow SOG update.",
            ),
        ],
        secretariat,
    )
    _history(
        november,
        [
            (S.AGENDA_ISSUED, date(2017, 10, 30), "Agenda and papers sent to members."),
            (S.HELD, date(2017, 11, 8), ""),
            (
                S.DRAFT_CIRCULATED,
                date(2017, 11, 20),
                f"Comments invited by 27 November 2017, to {secretariat_name.full} ({secretariat_name.email}, "
                f"{SECRETARIAT_PHONE}).",
            ),
        ],
        secretariat,
    )
    world.meetings = {"2017-02-16": february, "2017-05-31": may, "2017-11-08": november}
    return world


# The May draft as circulated said this of Glasgow; the agreed minute carries the correction.
MAY_GLASGOW_AS_CIRCULATED = "Glasgow: 7 initial ICRs had been processed, none of which had progressed to full ICR."
MAY_GLASGOW_AS_AGREED = "Glasgow: 3 initial ICRs had been processed, of which 1 had progressed to full ICR."


def _minutes():
    """Minutes in our own words, per item number: (item number, narrative, decisions).

    The demo's people are named as a secretariat writes minutes: in full with their title at first
    mention ("Ms Eilidh Crawford (RMA)"), by title and surname after ("Ms Crawford"), from the one list
    of their names (demo.world.NAMES). The actions the minutes raised are demo.actions'.
    """
    chair, secretariat, policy = NAME_OF["nsg-chair"], NAME_OF["secretariat"], NAME_OF["csu-policy-lead"]
    police, sps, sws, nss = NAME_OF["police"], NAME_OF["sps"], NAME_OF["sws"], NAME_OF["nss"]
    forensic, vss, housing, rma = NAME_OF["forensic"], NAME_OF["vss"], NAME_OF["housing"], NAME_OF["member-rma"]
    community_justice = NAME_OF["community-justice"]
    sog_chair = {slug: NAME_OF[f"chair-{slug}"] for slug in ALL_SOGS}
    hi_coordinator = NAME_OF["coordinator-highland-and-islands"]
    return {
        "2017-02-16": [
            (
                "1",
                f"{chair.titled} (Chair) welcomed members. Apologies were noted from {community_justice.titled} "
                f"(SG, Community Justice) and {vss.titled} (VSS).",
                "",
            ),
            (
                "3",
                f"{policy.titled} (SG, CSU) took members through the thematic inspection action plan. "
                "Recommendation 6, on the role of MAPPA Coordinators, was complete; work on the other "
                "recommendations continued.",
                "",
            ),
            (
                "4",
                f"{housing.titled} (SG, Social Housing Charter & Regulation) presented the proposed additional ERA "
                "criteria. Members discussed how many registered sex offenders the criteria would affect, and "
                f"{nss.titled} (NSS) agreed to circulate ViSOR figures before the end of the month. Members agreed the "
                "working group should meet again to finalise the criteria.",
                "It was agreed that the ERA short life working group would be reconvened.",
            ),
            (
                "5",
                "Members raised the difficulty of managing RSOs who have no recourse to public funds. "
                f"{sog_chair['lanarkshire'].titled} (Lanarkshire SOG) asked whether a national network could still "
                f"help; {policy.formal} agreed that the SG would report on the support available.",
                "",
            ),
            (
                "6",
                f"{policy.formal} reported that the MAPPA Development Group had met in January and was reviewing the "
                "ViSOR improvement plan with the Chief Social Work Officers Group.",
                "",
            ),
            (
                "8",
                f"{police.titled} (Police Scotland) reported that the force's review of initial and significant case "
                "reviews would inform its training for offender management supervisors.",
                "",
            ),
        ],
        "2017-05-31": [
            (
                "1",
                f"{chair.titled} (Chair) welcomed members. {vss.titled} attended for VSS for item 3, and "
                f"{hi_coordinator.titled} (Highland and Islands MAPPA Coordinator) joined {forensic.titled} for "
                f"item 5.1. Apologies were noted from {sps.titled} (SPS), {sog_chair['grampian'].titled} "
                f"(Grampian SOG) and {sog_chair['north-strathclyde'].titled} (North Strathclyde SOG).",
                "",
            ),
            (
                "2",
                # "The minute of the meeting held on 16 February 2017 was agreed as a true record." is printed
                # from the agreement itself (Meeting.agreement_sentence): the narrative does not repeat it.
                f"{secretariat.titled} (Secretariat) reported that actions 1 to 3 from the meeting of 16 February "
                f"2017 were complete: {nss.titled} (NSS) had circulated the ViSOR figures on 23 February 2017.",
                "",
            ),
            (
                "3",
                f"{policy.titled} (SG, CSU) introduced the item: the thematic review had found that engagement "
                "with victim support services could be improved through SOG chairs at a national level. "
                f"{vss.formal} explained how VSS could bring a victim's perspective to MAPPA planning, and "
                "acknowledged that several SOGs already had victim support representation. "
                f"{vss.forename} would report back on VSS's capacity to join more SOGs.",
                "",
            ),
            (
                "4.2",
                "The working group on Level 1 minimum practice standards met on 30 May 2017. "
                f"{police.titled} (Police Scotland) and {sws.titled} (SWS) set out differing views on the ERA "
                f"section, and {policy.formal} agreed to reconcile them before the next meeting.",
                "It was agreed that the working group would bring revised standards to the next meeting.",
            ),
            (
                "5.1",
                f"{forensic.formal} (NHS Forensic Network) presented paper 5.1 on child abuse image offenders and "
                f"risk, with {hi_coordinator.formal}. Members were invited to send further thoughts by e-mail to "
                f"{secretariat.formal} ({secretariat.email}, telephone {SECRETARIAT_PHONE}) by 14 June 2017.",
                "",
            ),
            (
                "5.2",
                f"{rma.titled} (RMA) presented paper 5.2: the RMA had drawn up a research and implementation plan "
                "on the risk assessment of internet offenders and was recruiting a research lead. "
                f"{rma.formal} agreed to keep members informed.",
                "",
            ),
            (
                "7",
                f"No update was given: {sps.formal} had sent apologies.",
                "",
            ),
            (
                "9",
                "Each SOG chair gave a short update. Fife: of the 10 initial ICRs processed, 4 had progressed to "
                f"full ICR. {MAY_GLASGOW_AS_AGREED} Lanarkshire: 4 initial ICRs had not proceeded to full ICR: 2 "
                "internet offending, 2 contact offending, all uncovered by proactive policing. "
                f"{sog_chair['lanarkshire'].titled} (Lanarkshire) asked that the work of proactive policing be "
                "recognised.",
                "",
            ),
        ],
        "2017-11-08": [
            (
                "1",
                f"{chair.titled} (Chair) welcomed members to Hamilton and thanked two departing members for their "
                f"contribution. Apologies were noted from {police.titled} (Police Scotland) and "
                f"{community_justice.titled} (SG, Community Justice).",
                "",
            ),
            (
                "2",
                f"{secretariat.titled} (Secretariat) took members through the updates on the open actions from "
                "earlier meetings.",
                "",
            ),
            (
                "3",
                f"{chair.formal} summarised the inspectorates' progress review of 29 June 2017: 4 recommendations "
                f"complete, 4 partially met and 2 not met. {policy.titled} (SG, CSU) would circulate the updated "
                "action plan to members on behalf of the SG.",
                "",
            ),
            (
                "4",
                f"{housing.titled} (SG, Social Housing Charter & Regulation) presented the final draft ERA "
                "guidance following further consultation.",
                f"It was agreed that members would send final comments to {housing.formal} within 2 weeks of "
                "circulation.",
            ),
            (
                "5",
                f"{policy.formal} reported that the working group had met on 25 October 2017 and presented the "
                f"final draft standards. {sws.titled} (SWS) welcomed the revised ERA section.",
                "",
            ),
            (
                "7",
                f"{policy.formal} gave an overview of the MAPPA Development Group's work. Local ViSOR action plan "
                "templates had been sent to local authorities, to be completed by 30 November. "
                f"{nss.titled} (NSS) confirmed that NSS would help local authorities review their registered "
                "ViSOR users.",
                "",
            ),
            (
                "8",
                f"{sps.titled} (SPS) confirmed that SPS were working with {sog_chair['tayside'].titled} "
                "(Tayside SOG) on an initial case review.",
                "",
            ),
            (
                "9",
                f"In {police.formal}'s absence, {secretariat.formal} would circulate the Police Scotland update "
                "with the draft minute.",
                "",
            ),
            (
                "10",
                "Each SOG chair gave a short update on case reviews, including initial and full ICRs. "
                f"{sog_chair['highland-and-islands'].titled} (Highland and Islands) reported that an SCR was "
                f"nearing completion, and {sog_chair['grampian'].titled} (Grampian) undertook to share the "
                "findings of the Grampian SCR when they were available.",
                "",
            ),
            (
                "12",
                f"The next meeting would be in February 2018; {secretariat.formal} would confirm the date and venue.",
                "",
            ),
        ],
    }


MINUTES = _minutes()


@transaction.atomic
def seed_minutes(world):
    """Minutes for the three demo meetings (their actions: demo.actions.seed_actions)."""
    secretariat = get_user_model().objects.get(username="secretariat")
    for key, entries in MINUTES.items():
        meeting = world.meetings[key]
        by_number = {e.number: e.item for e in numbered_agenda(list(meeting.agenda_items.all()))}
        for item_number, narrative, decisions in entries:
            item = by_number[item_number]
            if (item.narrative, item.decisions) != (narrative, decisions):
                item.narrative, item.decisions = narrative, decisions
                item.version += 1
                item._history_user = secretariat
                item.save()
    return world


@transaction.atomic
def seed_snapshots(world):
    """The demo minutes as circulated and as agreed (May's circulated draft without the Glasgow correction).

    Idempotent: demo.actions.seed_actions takes them again once the minutes' actions exist.
    """
    secretariat = get_user_model().objects.get(username="secretariat")
    february, may, november = (world.meetings[k] for k in ("2017-02-16", "2017-05-31", "2017-11-08"))
    for meeting, on in ((february, date(2017, 3, 1)), (may, date(2017, 6, 16)), (november, date(2017, 11, 20))):
        content = minute_content(meeting)
        if meeting == may:
            for entry in content:
                entry["narrative"] = entry["narrative"].replace(MAY_GLASGOW_AS_AGREED, MAY_GLASGOW_AS_CIRCULATED)
        _upsert(
            MinutesSnapshot,
            {"meeting": meeting, "kind": MinutesSnapshot.Kind.CIRCULATED},
            {
                "taken_by": secretariat,
                "content": content,
                "taken_at": timezone.make_aware(datetime.combine(on, time(16, 0))),
            },
        )
    for meeting, at in ((february, may), (may, november)):
        _upsert(
            MinutesSnapshot,
            {"meeting": meeting, "kind": MinutesSnapshot.Kind.AGREED},
            {
                "taken_by": secretariat,
                "content": minute_content(meeting),
                "taken_at": timezone.make_aware(datetime.combine(at.date, time(13, 0))),
            },
        )
    return world


@transaction.atomic
def seed_circulation(world):
    """Snapshots of the demo minutes as circulated and agreed, and a member's comment on the November draft."""
    seed_snapshots(world)
    november = world.meetings["2017-11-08"]
    rma = get_user_model().objects.get(username="member-rma")
    item = next(i for i in november.agenda_items.all() if i.position == 3 and i.parent_id is None)
    _upsert(
        MinuteComment,
        {"meeting": november, "agenda_item": item, "author": rma},
        {
            "text": "Please name the four recommendations that are complete: 4, 6, 8 and 9.",
            "created_at": timezone.make_aware(datetime.combine(date(2017, 11, 22), time(9, 30))),
        },
    )
    return world
