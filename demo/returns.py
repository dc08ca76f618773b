"""Demo returns and case review records: 2016-17 Q3 to 2017-18 Q3.

The figures follow the SOG chairs' updates in the 2017 NSG minutes
(../shared/seeds): Fife's 10 initial ICRs of which 4 progressed to full ICR;
Lanarkshire's 4 initial ICRs, none progressed, 2 internet and 2 contact
offending, all from proactive policing; Glasgow's corrected 3 initial ICRs with
1 progressed (first submitted as 7 and none, returned and amended); Grampian's
7 and Highland and Islands' 4. The narratives are our own words, and fictional;
none names or describes an offender. A few name the areas' own (invented) staff
and give a contact's e-mail or telephone (the .example domain, Ofcom's drama
range), as real returns do; without a title ("Ms ..."), which the returns'
personal data check would ask the chair to confirm. Quarters the minutes say
nothing about get modest routine figures.

Most returns are approved. Forth Valley's 2017-18 Q2 return is returned for
amendment; Tayside's 2017-18 Q2 was submitted after its due date; Glasgow's
2017-18 Q3 waits for the secretariat's check; Fife's 2017-18 Q3 is a draft past
its due date (late), for the demo chair to finish.

Areas without a demo login (every area but Fife and Glasgow) sent their returns
by e-mail and the secretariat entered them on their behalf, as the transitions
say. Idempotent: a return's history is written once, when it is first created.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.world import NAME_OF, _upsert
from reviews import rules
from reviews.models import (
    FIGURES,
    THEME_FIELDS,
    CaseReview,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnTransition,
    SectionComment,
)

S = QuarterlyReturn.Status
PERIODS = [(2016, 3), (2016, 4), (2017, 1), (2017, 2), (2017, 3)]
LOGIN_FOR_AREA = {"fife": "chair-fife", "glasgow": "chair-glasgow"}
ON_BEHALF = "Entered by the secretariat from the return the area sent by e-mail."


@dataclass
class Spec:
    area: str
    period: str
    figures: tuple  # initial ICRs, progressed to full ICR, SCRs commissioned, SCRs completed, from proactive policing
    category3: tuple  # received, accepted, declined
    narrative: str
    themes: tuple = ()
    learning: str = ""
    escalations: str = ""
    decline_reasons: str = ""
    state: str = "approved"  # approved, submitted, returned, draft
    submitted_on: date | None = None  # default: 5 days before the due date
    approved_on: date | None = None  # default: 8 days after submission
    first_figures: tuple | None = None  # as first submitted, when returned and amended
    returned_comment: tuple | None = None  # (section slug, comment) when returned for amendment
    returned_on: date | None = None


ROUTINE_DECLINE = "Risk judged manageable by a single agency under existing arrangements."
LANARKSHIRE_COORDINATOR = NAME_OF["coordinator-lanarkshire"]
FIFE_COORDINATOR = NAME_OF["coordinator-fife"]
HIGHLAND_COORDINATOR = NAME_OF["coordinator-highland-and-islands"]
CSU_POLICY_LEAD = NAME_OF["csu-policy-lead"]

SPECIFIC = [
    # 2016-17 Q3 (October to December 2016): heard at the NSG on 16 February 2017.
    Spec(
        "edinburgh-lothian-borders",
        "2016-17-q3",
        (6, 0, 0, 0, 5),
        (3, 2, 1),
        "A steady flow of initial ICRs this quarter, none leading to an SCR. A joint training event on internet "
        "offending with the NHS sex offender liaison service is planned for March. The SOG expects the new "
        "Category 3 to bring referrals linked to domestic abuse.",
        themes=("internet_offending",),
        decline_reasons=ROUTINE_DECLINE,
    ),
    Spec(
        "fife",
        "2016-17-q3",
        (3, 0, 0, 0, 3),
        (2, 2, 0),
        "Initial ICRs this quarter arose through proactive work by practitioners, which partners welcomed. "
        "Staff from child and adult services were trained in a systems methodology for case reviews.",
        themes=("internet_offending",),
        learning="Training 24 staff from child and adult services together in one case review methodology gave "
        "a shared language for reviews across services.",
    ),
    Spec(
        "northern",
        "2016-17-q3",
        (5, 1, 1, 0, 3),
        (2, 1, 1),
        "The area is preparing to split into two SOGs, Grampian and Highland and Islands, from April. One SCR "
        "continues and its findings are expected within six weeks. A seminar on internet offending is planned "
        "for April.",
        themes=("internet_offending", "contact_offending"),
        decline_reasons=ROUTINE_DECLINE,
    ),
    Spec(
        "lanarkshire",
        "2016-17-q3",
        (2, 0, 0, 0, 2),
        (1, 1, 0),
        f"{LANARKSHIRE_COORDINATOR.full} has taken up post as MAPPA Coordinator. A training day on internet "
        "offending has been arranged.",
        themes=("internet_offending",),
        escalations="Advice is sought on managing MAPPA cases where the person has no recourse to public funds: "
        f"is there still a national network that can help? Contact: {LANARKSHIRE_COORDINATOR.full}, "
        "07700 900418.",
    ),
    Spec(
        "tayside",
        "2016-17-q3",
        (1, 1, 1, 0, 0),
        (2, 1, 1),
        "Scoping continues to find an external reviewer for an SCR, and how to resource an independent review.",
        themes=("contact_offending",),
        decline_reasons=ROUTINE_DECLINE,
        escalations="Help from SG and NSG members in identifying and resourcing an independent SCR reviewer "
        "would be welcome.",
    ),
    # 2016-17 Q4 (January to March 2017): heard at the NSG on 31 May 2017.
    Spec(
        "forth-valley",
        "2016-17-q4",
        (3, 1, 0, 0, 1),
        (2, 2, 0),
        "Three ICRs are in progress; one has drawn significant media attention and is likely to progress to an "
        "SCR. The area continues to act on and share the 12-point action plan from its earlier SCR, which had "
        "implications for adult protection.",
        themes=("adult_protection",),
        learning="A 12-point action plan from the area's SCR, shared with other SOGs on request.",
    ),
    Spec(
        "edinburgh-lothian-borders",
        "2016-17-q4",
        (4, 0, 0, 0, 3),
        (2, 2, 0),
        "Four ICRs processed with no issues emerging. An internet campaign has begun, with preventative work, "
        "a diversionary pilot and messages encouraging people worried about their own thoughts or online "
        "behaviour to seek help before an offence is committed.",
        themes=("internet_offending",),
        learning="The prevention campaign's communications plan is available to other areas.",
    ),
    Spec(
        "fife",
        "2016-17-q4",
        (10, 0, 0, 0, 7),
        (3, 2, 1),
        "Ten initial ICRs processed. The area hosted a seminar on internet offending with a national charity "
        "and is planning a multi-agency audit of internet offender files later in the year.",
        themes=("internet_offending",),
        decline_reasons=ROUTINE_DECLINE,
        learning="The internet offending seminar materials can be shared with other SOGs.",
    ),
    Spec(
        "northern",
        "2016-17-q4",
        (2, 0, 0, 0, 1),
        (1, 1, 0),
        "A transitional quarter before the split into two SOGs. Local research reported a rise of about a "
        "quarter in the registered population, mostly from non-recent sexual crime and internet offending. One "
        "SCR continues and its results will be shared.",
        themes=("internet_offending",),
    ),
    Spec(
        "south-west-scotland",
        "2016-17-q4",
        (2, 0, 0, 0, 0),
        (1, 1, 0),
        "Two ICRs processed, both involving young people. ViSOR use is expected to improve now that terminals "
        "have moved to more accessible offices.",
        themes=("young_people",),
    ),
    Spec(
        "glasgow",
        "2016-17-q4",
        (3, 1, 0, 0, 2),
        (4, 3, 1),
        "Initial ICRs were processed and one progressed to a full ICR. A review of the registered population "
        "found a small increase. A protocol on block profiling has been agreed with the social landlords.",
        themes=("housing",),
        decline_reasons=ROUTINE_DECLINE,
        first_figures=(7, 0, 0, 0, 7),
        returned_comment=(
            "case-reviews",
            "The figures differ from the area's spoken update at the NSG: please check the "
            "number of initial ICRs processed and how many progressed to full ICR.",
        ),
        submitted_on=date(2017, 4, 24),
        returned_on=date(2017, 6, 20),
        approved_on=date(2017, 6, 30),
    ),
    # 2017-18 Q1 (April to June 2017): the first quarter of Grampian and Highland and Islands.
    Spec(
        "grampian",
        "2017-18-q1",
        (7, 0, 0, 0, 5),
        (2, 1, 1),
        "The first return of the new Grampian SOG. Seven initial ICRs were processed; none needed further "
        "scrutiny. The SOG's membership and terms of reference are being agreed.",
        themes=("internet_offending",),
        decline_reasons=ROUTINE_DECLINE,
    ),
    Spec(
        "highland-and-islands",
        "2017-18-q1",
        (4, 0, 0, 0, 2),
        (1, 1, 0),
        "The first return of the new Highland and Islands SOG. Four initial ICRs were processed. The SCR begun "
        "under the Northern SOG continues.",
        themes=("contact_offending",),
    ),
    # 2017-18 Q2 (July to September 2017): heard at the NSG on 8 November 2017.
    Spec(
        "fife",
        "2017-18-q2",
        (10, 4, 0, 0, 6),
        (3, 3, 0),
        "Of the 10 initial ICRs processed, 4 progressed to full ICR. The area is writing an easy-read resource "
        "on autism and internet offending.",
        themes=("internet_offending", "missing_persons"),
        learning="An easy-read resource on autism and internet offending, to be shared when ready: "
        f"{FIFE_COORDINATOR.full} ({FIFE_COORDINATOR.email}) will send it to any SOG that asks.",
        escalations="Are there links to be made between MAPPA and the National Missing Persons Framework?",
    ),
    Spec(
        "lanarkshire",
        "2017-18-q2",
        (4, 0, 0, 0, 4),
        (2, 2, 0),
        "Four initial ICRs did not proceed to full ICR: two concerned internet offending and two contact "
        "offending, all uncovered by proactive policing. A public protection event in the area was well "
        "received.",
        themes=("internet_offending", "contact_offending"),
        learning="Information sharing protocols with the agencies responsible for missing persons would "
        "strengthen links; joint working around mental health assessments remains difficult.",
    ),
    Spec(
        "glasgow",
        "2017-18-q2",
        (7, 0, 0, 0, 7),
        (3, 2, 1),
        "Following proactive policing, 7 initial ICRs were processed; none warranted further scrutiny. A new "
        "SOG chair has been appointed.",
        themes=("internet_offending",),
        decline_reasons=ROUTINE_DECLINE,
    ),
    Spec(
        "highland-and-islands",
        "2017-18-q2",
        (2, 0, 0, 1, 1),
        (1, 1, 0),
        "One SCR is nearing completion: after a factual accuracy check in December, "
        f"{HIGHLAND_COORDINATOR.full} will send it to {CSU_POLICY_LEAD.full} at the SG. New information sharing "
        "protocols and a quality assurance sub-group support the SOG. In-house delivery of a groupwork programme "
        "is working well.",
        themes=("contact_offending",),
        escalations="One Category 3 case continues to need intensive resources.",
    ),
    Spec(
        "south-west-scotland",
        "2017-18-q2",
        (2, 0, 0, 0, 1),
        (1, 0, 1),
        "No case progressed to full ICR. The area is addressing a number of staffing issues.",
        themes=("contact_offending",),
        decline_reasons=ROUTINE_DECLINE,
    ),
    Spec(
        "edinburgh-lothian-borders",
        "2017-18-q2",
        (5, 0, 0, 0, 4),
        (3, 2, 1),
        "An acting chair is in place until March. Most ICRs in the area are a direct result of proactive "
        "policing, which should be recognised.",
        themes=("internet_offending",),
        decline_reasons=ROUTINE_DECLINE,
    ),
    Spec(
        "forth-valley",
        "2017-18-q2",
        (3, 0, 0, 0, 1),
        (2, 1, 1),
        "Three ICRs are being processed; one has had significant media attention and is likely to progress to "
        "an SCR. A peer review process for MAPPA chairs has been introduced.",
        themes=("adult_protection",),
        decline_reasons=ROUTINE_DECLINE,
        state="returned",
        submitted_on=date(2017, 10, 26),
        returned_on=date(2017, 11, 2),
        returned_comment=(
            "case-reviews",
            "Your update says one ICR is likely to progress to an SCR. Please confirm whether "
            "an SCR was commissioned in the quarter and, if so, record it in the figures.",
        ),
    ),
    Spec(
        "tayside",
        "2017-18-q2",
        (1, 0, 0, 0, 0),
        (2, 2, 0),
        "An independent SOG chair is being recruited. One ICR continues and partners are aware of it.",
        themes=("contact_offending",),
        submitted_on=date(2017, 11, 10),
        approved_on=date(2017, 11, 20),
    ),
    Spec(
        "north-strathclyde",
        "2017-18-q2",
        (2, 0, 0, 0, 1),
        (1, 1, 0),
        "Routine quarter. Local ViSOR action plans are not yet complete in every council.",
        themes=("internet_offending",),
        escalations="Could the chief social work officers' request to complete local ViSOR action plans be reissued?",
    ),
    Spec(
        "grampian",
        "2017-18-q2",
        (3, 0, 0, 0, 2),
        (2, 1, 1),
        "A quality assurance exercise has been completed. The area is working through challenges around one "
        "order for lifelong restriction that affect housing and home leave processes.",
        themes=("housing",),
        decline_reasons=ROUTINE_DECLINE,
    ),
    # 2017-18 Q3 (October to December 2017).
    Spec(
        "glasgow",
        "2017-18-q3",
        (5, 1, 0, 0, 4),
        (3, 2, 1),
        "Five initial ICRs were processed and one progressed to full ICR. The block profiling protocol with "
        "social landlords is working well.",
        themes=("internet_offending", "housing"),
        decline_reasons=ROUTINE_DECLINE,
        state="submitted",
        submitted_on=date(2018, 1, 24),
    ),
    Spec("fife", "2017-18-q3", (8, 3, 0, 0, 5), (None, None, None), "", themes=("internet_offending",), state="draft"),
]

ROUTINE_NARRATIVES = [
    "A routine quarter. Initial ICRs were processed in line with national guidance and none raised issues for the NSG.",
    "The SOG met as planned. Case reviews were processed without issues emerging; local training continues.",
    "Case reviews this quarter raised no new themes. The SOG's quality assurance work continues.",
]


def _routine(area_slug, period_slug, index):
    """Modest, rule-abiding figures for a quarter the minutes say nothing about."""
    seed = sum(map(ord, area_slug)) + index * 7
    initial = 1 + seed % 4
    received = 1 + seed % 3
    declined = 1 if received > 1 else 0
    return Spec(
        area_slug,
        period_slug,
        (initial, 0, 0, 0, initial // 2),
        (received, received - declined, declined),
        ROUTINE_NARRATIVES[seed % len(ROUTINE_NARRATIVES)],
        themes=(("internet_offending",), ("contact_offending",), ("mental_health",))[seed % 3],
        decline_reasons=ROUTINE_DECLINE if declined else "",
    )


def _at(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _values(spec, figures=None):
    figures = figures or spec.figures
    values = dict(zip(FIGURES, (*figures, *spec.category3)))
    for name in THEME_FIELDS:
        values[name] = name.removeprefix("theme_") in spec.themes
    values.update(
        {
            "theme_other_text": "",
            "category3_decline_reasons": spec.decline_reasons,
            "narrative": spec.narrative,
            "learning": spec.learning,
            "escalations": spec.escalations,
            "is_nil_return": False,
        }
    )
    return values


def _periods():
    periods = {}
    for year, quarter in PERIODS:
        start, end = ReportingPeriod.quarter_dates(year, quarter)
        period = ReportingPeriod(year=year, quarter=quarter)
        period.fill_dates()
        periods[period.slug] = _upsert(
            ReportingPeriod,
            {"year": year, "quarter": quarter},
            {"starts_on": start, "ends_on": end, "opens_on": period.opens_on, "due_on": period.due_on},
        )
    return periods


class _Writer:
    """Writes one return's history as it happened: each step a saved version with its date and author."""

    def __init__(self, ret, secretariat, submitter):
        self.ret, self.secretariat, self.submitter = ret, secretariat, submitter

    def save(self, at, by):
        self.ret._history_user = by
        self.ret._history_date = at
        self.ret.save()

    def step(self, to_status, at, by, comment=""):
        transition = ReturnTransition(
            quarterly_return=self.ret, from_status=self.ret.status, to_status=to_status, by=by, at=at, comment=comment
        )
        self.ret.status = to_status
        if to_status in (S.SUBMITTED, S.RESUBMITTED):
            self.ret.submitted_at, self.ret.submitted_by = at, self.submitter
            self.ret.first_submitted_at = self.ret.first_submitted_at or at
        if to_status == S.APPROVED:
            self.ret.approved_at, self.ret.approved_by = at, by
        self.save(at, by)
        transition.quarterly_return = self.ret
        transition.save()
        return transition


def _create(spec, area, period, secretariat, submitter):
    """A new return, written step by step so its history and transitions show how it got here."""
    ret = QuarterlyReturn(area=area, period=period)
    writer = _Writer(ret, secretariat, submitter)
    on_behalf = ON_BEHALF if submitter == secretariat else ""
    submitted_on = spec.submitted_on or period.due_on - timedelta(days=5)
    for name, value in _values(spec, spec.first_figures).items():
        setattr(ret, name, value)
    if spec.state == "draft":
        ret.sections_saved = [rules.S.CASE_REVIEWS]
        writer.step(S.DRAFT, _at(period.due_on - timedelta(days=20)), submitter)
        return ret
    ret.sections_saved = [section.slug for section in rules.SECTIONS]
    writer.step(S.DRAFT, _at(submitted_on - timedelta(days=3)), submitter, on_behalf)
    writer.step(S.SUBMITTED, _at(submitted_on, 15), submitter, on_behalf)
    if spec.returned_comment:
        returned = writer.step(S.RETURNED, _at(spec.returned_on, 11), secretariat)
        section, text = spec.returned_comment
        SectionComment.objects.create(quarterly_return=ret, transition=returned, section=section, text=text)
        if spec.state == "returned":
            return ret
        for name, value in _values(spec).items():
            setattr(ret, name, value)
        writer.save(_at(spec.returned_on + timedelta(days=2), 9), submitter)
        writer.step(S.RESUBMITTED, _at(spec.returned_on + timedelta(days=2), 9, 30), submitter, on_behalf)
    if spec.state == "approved":
        approved_on = spec.approved_on or submitted_on + timedelta(days=8)
        writer.step(S.APPROVED, _at(approved_on, 14), secretariat)
    return ret


def _correct(ret, spec, secretariat):
    """On a second run: put back any answer someone changed (a no-op when nothing did)."""
    values = (
        _values(spec) if not (spec.state == "returned" and spec.first_figures) else _values(spec, spec.first_figures)
    )
    changed = [name for name, value in values.items() if getattr(ret, name) != value]
    if changed:
        for name in changed:
            setattr(ret, name, values[name])
        ret._history_user = secretariat
        ret.save()
    return ret


@transaction.atomic
def seed_returns(world):
    """Reporting periods 2016-17 Q3 to 2017-18 Q3, a return from every area expected, and case review records."""
    User = get_user_model()
    secretariat = User.objects.get(username="secretariat")
    logins = {slug: User.objects.get(username=username) for slug, username in LOGIN_FOR_AREA.items()}
    periods = _periods()
    specs = {(spec.area, spec.period): spec for spec in SPECIFIC}
    for index, (slug, period) in enumerate(periods.items()):
        for area_slug, area in sorted(world.areas.items()):
            if not period.expects(area):
                continue
            spec = specs.get((area_slug, slug)) or _routine(area_slug, slug, index)
            existing = QuarterlyReturn.objects.filter(area=area, period=period).first()
            if existing is None:
                ret = _create(spec, area, period, secretariat, logins.get(area_slug, secretariat))
            else:
                ret = _correct(existing, spec, secretariat)
            world.returns[f"{area_slug}/{slug}"] = ret
    _case_reviews(world, secretariat, logins)
    return world


# (area, year, sequence, type, category, level, commissioned, proactive, follows, stage, status, completed,
#  themes, learning, shared with the SG)
T, St, Stat = CaseReview.Type, CaseReview.Stage, CaseReview.Status
CASE_REVIEWS = [
    (
        "forth-valley",
        2016,
        1,
        T.SCR,
        1,
        2,
        date(2016, 6, 1),
        False,
        None,
        St.REPORTED,
        Stat.COMPLETED,
        date(2016, 12, 15),
        ("adult_protection",),
        "Adult protection and MAPPA processes need a shared route for escalating concerns. The area's 12-point "
        "action plan covers information sharing, joint risk assessment and training.",
        date(2017, 1, 20),
    ),
    (
        "tayside",
        2017,
        1,
        T.SCR,
        3,
        3,
        date(2017, 2, 10),
        False,
        None,
        St.SCOPING,
        Stat.OPEN,
        None,
        ("contact_offending",),
        "",
        None,
    ),
    (
        "glasgow",
        2017,
        1,
        T.INITIAL_ICR,
        1,
        1,
        date(2017, 1, 18),
        True,
        None,
        St.REPORTED,
        Stat.PROGRESSED,
        date(2017, 2, 15),
        ("housing",),
        "",
        None,
    ),
    (
        "glasgow",
        2017,
        2,
        T.FULL_ICR,
        1,
        2,
        date(2017, 2, 20),
        False,
        ("glasgow", 2017, 1),
        St.UNDER_REVIEW,
        Stat.OPEN,
        None,
        ("housing",),
        "",
        None,
    ),
    (
        "highland-and-islands",
        2017,
        1,
        T.SCR,
        1,
        2,
        date(2017, 4, 20),
        False,
        None,
        St.FACTUAL_ACCURACY,
        Stat.OPEN,
        None,
        ("contact_offending",),
        "To be shared with the SG in December after the factual accuracy check.",
        None,
    ),
    (
        "fife",
        2017,
        1,
        T.INITIAL_ICR,
        1,
        1,
        date(2017, 7, 12),
        True,
        None,
        St.REPORTED,
        Stat.PROGRESSED,
        date(2017, 8, 30),
        ("internet_offending",),
        "",
        None,
    ),
    (
        "fife",
        2017,
        2,
        T.FULL_ICR,
        1,
        2,
        date(2017, 9, 4),
        False,
        ("fife", 2017, 1),
        St.UNDER_REVIEW,
        Stat.OPEN,
        None,
        ("internet_offending",),
        "",
        None,
    ),
    (
        "fife",
        2017,
        3,
        T.INITIAL_ICR,
        1,
        1,
        date(2017, 10, 16),
        True,
        None,
        St.REPORTED,
        Stat.NO_FURTHER_ACTION,
        date(2017, 11, 20),
        ("internet_offending",),
        "",
        None,
    ),
    (
        "fife",
        2017,
        4,
        T.INITIAL_ICR,
        1,
        1,
        date(2017, 11, 6),
        False,
        None,
        St.UNDER_REVIEW,
        Stat.OPEN,
        None,
        ("contact_offending",),
        "",
        None,
    ),
]


def _case_reviews(world, secretariat, logins):
    made = {}
    for (
        area_slug,
        year,
        sequence,
        kind,
        category,
        level,
        commissioned,
        proactive,
        follows,
        stage,
        status,
        completed,
        themes,
        learning,
        shared,
    ) in CASE_REVIEWS:
        area = world.areas[area_slug]
        values = {
            "review_type": kind,
            "mappa_category": category,
            "mappa_level": level,
            "commissioned_on": commissioned,
            "from_proactive_policing": proactive,
            "progressed_from": made.get(follows),
            "stage": stage,
            "status": status,
            "completed_on": completed,
            "learning_summary": learning,
            "shared_with_sg_on": shared,
            "reference": CaseReview.make_reference(area, year, sequence),
            "created_by": logins.get(area_slug, secretariat),
            "created_at": _at(commissioned, 12),
            "theme_other_text": "",
            **{name: name.removeprefix("theme_") in themes for name in THEME_FIELDS},
        }
        made[(area_slug, year, sequence)] = _upsert(
            CaseReview, {"area": area, "year": year, "sequence": sequence}, values
        )
    return made
