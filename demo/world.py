"""The demo world: MAPPA in Scotland as the 2017 NSG papers show it.

Organisations, areas and groups are real public bodies as named in the papers
(../shared/seeds). Every person is fictional and named by their role; e-mail
addresses use the reserved .example domain. Nothing here describes an offender.

Each function is idempotent: records are found by their natural keys and only
created or corrected when they differ, so a second run changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from mappa.models import Area, Body, Membership, Organisation, Person

DEMO_PASSWORD = "mappa-demo-2017"
EMAIL_DOMAIN = "mappa-demo.example"

Kind = Organisation.Kind

ORGANISATIONS = [
    # (name, short name, kind, parent name)
    ("Scottish Government", "SG", Kind.GOVERNMENT, None),
    ("Community Safety Unit", "CSU", Kind.GOVERNMENT, "Scottish Government"),
    ("Community Justice Division", "Community Justice", Kind.GOVERNMENT, "Scottish Government"),
    (
        "Social Housing Charter and Regulation",
        "Social Housing Charter & Regulation",
        Kind.GOVERNMENT,
        "Scottish Government",
    ),
    ("Child Protection Unit", "Child Protection", Kind.GOVERNMENT, "Scottish Government"),
    ("Police Scotland", "Police Scotland", Kind.RESPONSIBLE_AUTHORITY, None),
    ("Scottish Prison Service", "SPS", Kind.RESPONSIBLE_AUTHORITY, None),
    ("NHS Forensic Network", "NHS Forensic Network", Kind.RESPONSIBLE_AUTHORITY, None),
    ("Social Work Scotland", "SWS", Kind.PARTNER, None),
    ("Risk Management Authority", "RMA", Kind.PARTNER, None),
    ("NHS National Services Scotland", "NSS", Kind.PARTNER, None),
    ("Victim Support Scotland", "VSS", Kind.PARTNER, None),
    ("HM Inspectorate of Constabulary in Scotland", "HMICS", Kind.INSPECTORATE, None),
    ("Care Inspectorate", "Care Inspectorate", Kind.INSPECTORATE, None),
]

# The local authority that provides each SOG's chair in the demo (councils are
# Responsible Authorities).
AREAS = [
    # (name, slug, code, lead council, started_on, ended_on)
    ("Edinburgh, Lothian & Borders", "edinburgh-lothian-borders", "ELB", "City of Edinburgh Council", None, None),
    ("Fife", "fife", "FIF", "Fife Council", None, None),
    ("Forth Valley", "forth-valley", "FV", "Falkirk Council", None, None),
    ("Glasgow", "glasgow", "GLA", "Glasgow City Council", None, None),
    ("Grampian", "grampian", "GRA", "Aberdeen City Council", date(2017, 4, 1), None),
    ("Highland and Islands", "highland-and-islands", "HI", "The Highland Council", date(2017, 4, 1), None),
    ("Lanarkshire", "lanarkshire", "LAN", "South Lanarkshire Council", None, None),
    ("North Strathclyde", "north-strathclyde", "NS", "Renfrewshire Council", None, None),
    ("South West Scotland", "south-west-scotland", "SW", "Dumfries and Galloway Council", None, None),
    ("Tayside", "tayside", "TAY", "Dundee City Council", None, None),
    ("Northern", "northern", "NOR", "Aberdeen City Council", None, date(2017, 3, 31)),
]

LOGINS = [
    # (username, what the login is for)
    ("secretariat", "NSG secretariat: creates and edits everything"),
    ("chair-fife", "Fife SOG chair: Fife's returns only"),
    ("chair-glasgow", "Glasgow SOG chair: Glasgow's returns only"),
    ("member-rma", "NSG member for the RMA: reads, comments on draft minutes"),
    ("inspector", "HMICS inspector: read-only"),
    ("admin", "Administrator: Django admin"),
]


@dataclass
class DemoWorld:
    """Handles on the demo records, for later phases' seeders to build on."""

    organisations: dict = field(default_factory=dict)
    areas: dict = field(default_factory=dict)
    bodies: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)
    recommendations: dict = field(default_factory=dict)
    returns: dict = field(default_factory=dict)  # "fife/2017-18-q2" -> QuarterlyReturn (demo.returns)


def _upsert(model, lookup, values):
    """get_or_create, then correct any field that differs; saves only on a difference."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
    return obj


def _organisations(world):
    for name, short, kind, parent in ORGANISATIONS:
        world.organisations[short] = _upsert(
            Organisation,
            {"name": name},
            {"short_name": short, "kind": kind, "parent": world.organisations.get(_short_of(parent))},
        )
    for *_, council, _start, _end in AREAS:
        if council not in world.organisations:
            world.organisations[council] = _upsert(
                Organisation, {"name": council}, {"short_name": "", "kind": Kind.RESPONSIBLE_AUTHORITY, "parent": None}
            )


def _short_of(name):
    return next((short for n, short, *_ in ORGANISATIONS if n == name), None)


def _areas(world):
    for name, slug, code, _council, started, ended in AREAS:
        world.areas[slug] = _upsert(
            Area,
            {"slug": slug},
            {"name": name, "code": code, "active": ended is None, "started_on": started, "ended_on": ended},
        )
    northern = world.areas["northern"]
    northern.successors.add(world.areas["grampian"], world.areas["highland-and-islands"])


def _bodies(world):
    B = Body.Kind
    tripartite = _upsert(
        Body,
        {"slug": "tripartite-group"},
        {
            "name": "MAPPA Tripartite Group",
            "short_name": "Tripartite",
            "kind": B.TRIPARTITE_GROUP,
            "area": None,
            "reports_to": None,
            "active": True,
            "remit": "",
        },
    )
    nsg = _upsert(
        Body,
        {"slug": "nsg"},
        {
            "name": "MAPPA National Strategic Group",
            "short_name": "NSG",
            "kind": B.NATIONAL_STRATEGIC_GROUP,
            "area": None,
            "reports_to": tripartite,
            "active": True,
            "remit": "Sets the national direction for MAPPA in Scotland, oversees the response to the "
            "Joint Thematic Review, and hears each Strategic Oversight Group's update.",
        },
    )
    mdg = _upsert(
        Body,
        {"slug": "mdg"},
        {
            "name": "MAPPA Development Group",
            "short_name": "MDG",
            "kind": B.DEVELOPMENT_GROUP,
            "area": None,
            "reports_to": nsg,
            "active": True,
            "remit": "Develops national guidance and practice for MAPPA and reports to the NSG.",
        },
    )
    slwg = _upsert(
        Body,
        {"slug": "level-1-standards-slwg"},
        {
            "name": "Level 1 Minimum Practice Standards Short Life Working Group",
            "short_name": "Level 1 SLWG",
            "kind": B.WORKING_GROUP,
            "area": None,
            "reports_to": nsg,
            "active": True,
            "remit": "Drafts minimum practice standards for the management of Level 1 MAPPA cases.",
        },
    )
    world.bodies.update({"tripartite": tripartite, "nsg": nsg, "mdg": mdg, "level-1-slwg": slwg})
    for name, slug, *_ in AREAS:
        area = world.areas[slug]
        world.bodies[slug] = _upsert(
            Body,
            {"slug": f"{slug}-sog"},
            {
                "name": f"{name} Strategic Oversight Group",
                "short_name": f"{name} SOG",
                "kind": B.STRATEGIC_OVERSIGHT_GROUP,
                "area": area,
                "reports_to": nsg,
                "active": area.active,
                "remit": "",
            },
        )


def _person(world, key, name, job_title, organisation, *, username=None, access_role="", superuser=False, active=True):
    user = None
    if username:
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@{EMAIL_DOMAIN}", "first_name": name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        if superuser and not (user.is_superuser and user.is_staff):
            user.is_superuser = user.is_staff = True
            created = True
        if created:
            user.save()
    email = f"{username or key}@{EMAIL_DOMAIN}"
    world.people[key] = _upsert(
        Person,
        {"email": email},
        {
            "name": name,
            "job_title": job_title,
            "organisation": organisation,
            "user": user,
            "access_role": access_role,
            "active": active,
        },
    )
    return world.people[key]


def _seat(person, body, role, started_on=None, ended_on=None, representing=None):
    return _upsert(
        Membership,
        {"person": person, "body": body, "role": role, "started_on": started_on},
        {"ended_on": ended_on, "representing": representing},
    )


def _people_and_seats(world):
    o, b, R = world.organisations, world.bodies, Membership.Role
    A = Person.AccessRole
    since = date(2016, 4, 1)

    chair = _person(world, "nsg-chair", "NSG Chair", "Head of Community Safety", o["SG"])
    secretariat = _person(
        world,
        "secretariat",
        "NSG Secretariat Officer",
        "Policy Officer, MAPPA",
        o["CSU"],
        username="secretariat",
        access_role=A.SECRETARIAT,
    )
    second = _person(world, "csu-policy-lead", "CSU Policy Lead", "Team Leader, MAPPA policy", o["CSU"])
    _person(world, "admin", "Service Administrator", "Digital services", o["SG"], username="admin", superuser=True)
    for person, role in ((chair, R.CHAIR), (secretariat, R.SECRETARIAT), (second, R.SECRETARIAT)):
        _seat(person, b["nsg"], role, since)
    _seat(second, b["mdg"], R.CHAIR, since)
    _seat(secretariat, b["mdg"], R.SECRETARIAT, since)
    _seat(second, b["level-1-slwg"], R.CHAIR, date(2017, 3, 16))

    partners = [
        ("police", "Police Scotland Representative", "Detective Superintendent, Public Protection", "Police Scotland"),
        ("sps", "SPS Representative", "Head of Public Protection", "SPS"),
        ("sws", "SWS Representative", "Chief Social Work Officer", "SWS"),
        ("nss", "NSS ViSOR Representative", "ViSOR National Systems Support", "NSS"),
        ("forensic", "NHS Forensic Network Representative", "Consultant Forensic Psychiatrist", "NHS Forensic Network"),
        ("vss", "VSS Representative", "Head of Services", "VSS"),
        ("community-justice", "SG Community Justice Representative", "Policy Manager", "Community Justice"),
        (
            "housing",
            "SG Housing Representative",
            "Social Housing Charter & Regulation Manager",
            "Social Housing Charter & Regulation",
        ),
    ]
    for key, name, title, org in partners:
        person = _person(world, key, name, title, o[org])
        _seat(person, b["nsg"], R.MEMBER, since)
    rma = _person(
        world,
        "member-rma",
        "RMA Representative",
        "Head of Practice",
        o["RMA"],
        username="member-rma",
        access_role=A.NSG_MEMBER,
    )
    _seat(rma, b["nsg"], R.MEMBER, since)
    for key in ("police", "sps", "sws"):
        _seat(world.people[key], b["mdg"], R.MEMBER, since)
    _seat(rma, b["mdg"], R.MEMBER, since)
    for key in ("police", "sws"):
        _seat(world.people[key], b["level-1-slwg"], R.MEMBER, date(2017, 3, 16))
    _seat(rma, b["level-1-slwg"], R.MEMBER, date(2017, 3, 16))

    # Named contacts for organisation-owned actions ("Action: SG", "Action: RMA").
    o["SG"].contacts.add(second)
    o["CSU"].contacts.add(secretariat)
    o["RMA"].contacts.add(rma)
    for key, org in (
        ("police", "Police Scotland"),
        ("sps", "SPS"),
        ("sws", "SWS"),
        ("nss", "NSS"),
        ("forensic", "NHS Forensic Network"),
        ("vss", "VSS"),
        ("community-justice", "Community Justice"),
        ("housing", "Social Housing Charter & Regulation"),
    ):
        o[org].contacts.add(world.people[key])

    _person(
        world,
        "inspector",
        "HMICS Lead Inspector",
        "Lead Inspector, thematic reviews",
        o["HMICS"],
        username="inspector",
        access_role=A.INSPECTOR,
    )
    _person(
        world, "care-inspector", "Care Inspectorate Strategic Inspector", "Strategic Inspector", o["Care Inspectorate"]
    )

    logins = {"fife": "chair-fife", "glasgow": "chair-glasgow"}
    for name, slug, _code, council, started, ended in AREAS:
        sog = b[slug]
        username = logins.get(slug)
        chair = _person(
            world,
            f"chair-{slug}",
            f"{name} SOG Chair",
            "Chief Social Work Officer",
            o[council],
            username=username,
            access_role=A.SOG_CHAIR if username else "",
            # A closed area's chair and coordinator (Northern's, after March 2017) have moved on.
            active=ended is None,
        )
        coordinator = _person(
            world,
            f"coordinator-{slug}",
            f"{name} MAPPA Coordinator",
            "MAPPA Coordinator",
            o[council],
            active=ended is None,
        )
        start = started or since
        _seat(chair, sog, R.CHAIR, start, ended)
        _seat(coordinator, sog, R.COORDINATOR, start, ended)
        _seat(chair, b["nsg"], R.MEMBER, start, ended)
        _seat(coordinator, b["mdg"], R.MEMBER, start, ended)
        _seat(world.people["police"], sog, R.MEMBER, start, ended)


@transaction.atomic
def seed_core():
    """Create or correct the organisations, areas, bodies, people and seats of the demo world."""
    world = DemoWorld()
    _organisations(world)
    _areas(world)
    _bodies(world)
    _people_and_seats(world)
    return world
