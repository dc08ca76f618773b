"""The demo world: MAPPA in Scotland as the 2017 NSG papers show it.

Organisations, areas and groups are real public bodies as named in the papers
(../shared/seeds). Every person is fictional: an invented name from NAMES (the one
list of them), with their role in the demo as part of their job title; e-mail
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


@dataclass(frozen=True)
class Name:
    """An invented person of the demo world, as the minutes would name them."""

    key: str  # their key in DemoWorld.people
    honorific: str  # "Ms", "Mr" or "Dr", as minutes write it
    forename: str
    surname: str

    @property
    def full(self):
        """Forename and surname, as Person.name holds it: "Eilidh Crawford"."""
        return f"{self.forename} {self.surname}"

    @property
    def titled(self):
        """The first mention in a minute: "Ms Eilidh Crawford"."""
        return f"{self.honorific} {self.full}"

    @property
    def formal(self):
        """Later mentions: "Ms Crawford"."""
        return f"{self.honorific} {self.surname}"

    @property
    def email(self):
        return f"{self.forename}.{self.surname}@{EMAIL_DOMAIN}".lower()


# Every person of the demo world, one name each. The names are invented: ordinary Scottish forenames
# and surnames put together for the demo, chosen not to be anyone in public life; any likeness to a
# real person is coincidence. No surname is used twice, so "Ms Crawford" in a minute is one person.
# Each person's role (Chair of the NSG, Fife SOG Chair, ...) is in their job title (_people_and_seats).
NAMES = [
    Name("nsg-chair", "Ms", "Morag", "Lindsay"),
    Name("secretariat", "Mr", "Niall", "Cowie"),
    Name("csu-policy-lead", "Ms", "Aileen", "Drummond"),
    Name("admin", "Mr", "Gordon", "Petrie"),
    Name("police", "Mr", "Graeme", "Lennox"),
    Name("sps", "Ms", "Lorna", "Guthrie"),
    Name("sws", "Mr", "Hamish", "Dunlop"),
    Name("nss", "Ms", "Kirsty", "Imrie"),
    Name("forensic", "Dr", "Ruth", "Galbraith"),
    Name("vss", "Mr", "Alan", "Tulloch"),
    Name("community-justice", "Mr", "Douglas", "Affleck"),
    Name("housing", "Ms", "Heather", "Nisbet"),
    Name("member-rma", "Ms", "Eilidh", "Crawford"),
    Name("inspector", "Ms", "Catriona", "Pringle"),
    Name("care-inspector", "Mr", "Ewan", "Laidlaw"),
    # Each area's SOG chair and MAPPA coordinator.
    Name("chair-edinburgh-lothian-borders", "Ms", "Jennifer", "Haldane"),
    Name("coordinator-edinburgh-lothian-borders", "Mr", "Scott", "Bremner"),
    Name("chair-fife", "Ms", "Karen", "Wishart"),
    Name("coordinator-fife", "Mr", "Derek", "Lumsden"),
    Name("chair-forth-valley", "Mr", "Colin", "Mathieson"),
    Name("coordinator-forth-valley", "Ms", "Gillian", "Rae"),
    Name("chair-glasgow", "Ms", "Pauline", "Brodie"),
    Name("coordinator-glasgow", "Mr", "Gary", "Colquhoun"),
    Name("chair-grampian", "Mr", "Ruaridh", "Forsyth"),
    Name("coordinator-grampian", "Ms", "Elaine", "Cruickshank"),
    Name("chair-highland-and-islands", "Ms", "Mairi", "Sinclair"),
    Name("coordinator-highland-and-islands", "Mr", "Calum", "Nicolson"),
    Name("chair-lanarkshire", "Mr", "Brian", "Gemmell"),
    Name("coordinator-lanarkshire", "Ms", "Susan", "Hendry"),
    Name("chair-north-strathclyde", "Ms", "Alison", "Kirkwood"),
    Name("coordinator-north-strathclyde", "Mr", "Robert", "Semple"),
    Name("chair-south-west-scotland", "Mr", "Graham", "McCaig"),
    Name("coordinator-south-west-scotland", "Ms", "Joanne", "Irving"),
    Name("chair-tayside", "Ms", "Linda", "Ogilvie"),
    Name("coordinator-tayside", "Mr", "Steven", "Soutar"),
    Name("chair-northern", "Mr", "Roderick", "Urquhart"),
    Name("coordinator-northern", "Ms", "Janice", "Leask"),
]
NAME_OF = {name.key: name for name in NAMES}

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


def _person(world, key, job_title, organisation, *, username=None, access_role="", superuser=False, active=True):
    name = NAME_OF[key]
    user = None
    if username:
        User = get_user_model()
        names = {"email": name.email, "first_name": name.forename, "last_name": name.surname}
        user, created = User.objects.get_or_create(username=username, defaults=names)
        if created:
            user.set_password(DEMO_PASSWORD)
        changed = [field for field, value in names.items() if getattr(user, field) != value]
        for field in changed:
            setattr(user, field, names[field])
        if superuser and not (user.is_superuser and user.is_staff):
            user.is_superuser = user.is_staff = True
            changed += ["is_superuser", "is_staff"]
        if created:
            user.save()
        elif changed:
            user.save(update_fields=changed)
    _rename_legacy_email(f"{username or key}@{EMAIL_DOMAIN}", name.email)
    world.people[key] = _upsert(
        Person,
        {"email": name.email},
        {
            "name": name.full,
            "job_title": job_title,
            "organisation": organisation,
            "user": user,
            "access_role": access_role,
            "active": active,
        },
    )
    return world.people[key]


def _rename_legacy_email(legacy, email):
    """A demo database seeded before the people had names knows them by their key's address
    (nsg-chair@mappa-demo.example): move that person to their new address, so the rerun corrects
    them rather than adding a second person."""
    if legacy != email and not Person.objects.filter(email=email).exists():
        person = Person.objects.filter(email=legacy).first()
        if person is not None:
            person.email = email
            person.save(update_fields=["email"])


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

    chair = _person(world, "nsg-chair", "Chair of the NSG; Head of Community Safety", o["SG"])
    secretariat = _person(
        world,
        "secretariat",
        "NSG Secretariat Officer; Policy Officer, MAPPA",
        o["CSU"],
        username="secretariat",
        access_role=A.SECRETARIAT,
    )
    second = _person(world, "csu-policy-lead", "CSU Policy Lead; Team Leader, MAPPA policy", o["CSU"])
    _person(world, "admin", "Service Administrator; Digital services", o["SG"], username="admin", superuser=True)
    for person, role in ((chair, R.CHAIR), (secretariat, R.SECRETARIAT), (second, R.SECRETARIAT)):
        _seat(person, b["nsg"], role, since)
    _seat(second, b["mdg"], R.CHAIR, since)
    _seat(secretariat, b["mdg"], R.SECRETARIAT, since)
    _seat(second, b["level-1-slwg"], R.CHAIR, date(2017, 3, 16))

    partners = [
        # (key, role in the demo, job title, organisation)
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
    for key, role, title, org in partners:
        person = _person(world, key, f"{role}; {title}", o[org])
        _seat(person, b["nsg"], R.MEMBER, since)
    rma = _person(
        world,
        "member-rma",
        "RMA Representative; Head of Practice",
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
        "HMICS Lead Inspector, thematic reviews",
        o["HMICS"],
        username="inspector",
        access_role=A.INSPECTOR,
    )
    _person(world, "care-inspector", "Care Inspectorate Strategic Inspector", o["Care Inspectorate"])

    logins = {"fife": "chair-fife", "glasgow": "chair-glasgow"}
    for name, slug, _code, council, started, ended in AREAS:
        sog = b[slug]
        username = logins.get(slug)
        chair = _person(
            world,
            f"chair-{slug}",
            f"{name} SOG Chair; Chief Social Work Officer",
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
