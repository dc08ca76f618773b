"""Demo: the 10 recommendations of the Joint Thematic Review (November 2015), the SG action plan's
status in February, May and October/November 2017, and the inspectors' grades of June 2017.

Recommendation texts are the public report's; updates are summarised in our own words from the
papers in ../shared/seeds. Idempotent.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from actions.models import Action
from demo.world import _upsert
from meetings.models import AgendaItem
from recommendations.models import Assessment, Inspection, Recommendation, StatusUpdate

S = StatusUpdate.Status
P = StatusUpdate.Progress
G = Assessment.Grade

SAFER = "Directorate of Safer Communities"
JUSTICE = "Directorate for Justice, Community Justice Division"

RECOMMENDATIONS = [
    # (number, short title, text, directorate, lead person key)
    (
        1,
        "ERA standards",
        "Scottish Government in partnership with Responsible Authorities should work together to "
        "produce additional guidance on the parameters and minimum practice standards for conducting an Environmental "
        "Risk Assessment which is proportionate, practicable and sustainable.",
        "DG Communities",
        "housing",
    ),
    (
        2,
        "Risk assessment of internet offenders",
        "Scottish Government in partnership with the Risk Management "
        "Authority and Responsible Authorities should provide additional guidance to enable staff (Offender Management "
        "Unit and Criminal Justice Social Work staff) to better assess the risk posed by internet offenders.",
        JUSTICE,
        "community-justice",
    ),
    (
        3,
        "Social media device monitoring",
        "Scottish Government in partnership with Responsible Authorities should "
        "undertake a technical capacity and capability review of equipment, training and guidance required to support "
        "staff in monitoring the use of social media devices by registered sex offenders to ensure compliance with "
        "licence conditions.",
        JUSTICE,
        "community-justice",
    ),
    (
        4,
        "'Sexting' strategy",
        "Scottish Government in partnership with Responsible Authorities should develop a "
        "strategy to address the risks posed to children and young people from 'sexting' in order to build healthy "
        "respect and avoid the potential for exploitation and criminalisation.",
        "Directorate for Children and Families",
        None,
    ),
    (
        5,
        "Level 1 minimum practice standards",
        "Scottish Government in partnership with Responsible Authorities "
        "should collaborate in order to develop minimum practice standards for the management of Level 1 registered "
        "sex offenders in order to support consistent and efficient practice.",
        SAFER,
        "csu-policy-lead",
    ),
    (
        6,
        "MAPPA Coordinator role",
        "Scottish Government in partnership with Responsible Authorities should review "
        "the function and role of the MAPPA Co-ordinator to ensure compliance with agreed guidance and to meet the "
        "challenges of the MAPPA extension.",
        SAFER,
        "csu-policy-lead",
    ),
    (
        7,
        "ViSOR use by criminal justice social work",
        "Scottish Government should lead on the development and "
        "delivery of an action plan in order to overcome the barriers to the effective and efficient usage of ViSOR by "
        "Criminal Justice Social Work, outlining owners and timeframes.",
        SAFER,
        "csu-policy-lead",
    ),
    (
        8,
        "Public engagement strategy",
        "Scottish Government in partnership with Responsible Authorities should "
        "design a national public engagement strategy regarding offender management that includes the management of "
        "registered sex offenders in the community.",
        SAFER,
        "csu-policy-lead",
    ),
    (
        9,
        "Governance and trend data",
        "Scottish Government in partnership with Responsible Authorities should "
        "establish a robust national governance structure to develop and utilise trend data relating to sex offending "
        "to better inform strategic planning for the continued effective and efficient delivery of MAPPA.",
        SAFER,
        "csu-policy-lead",
    ),
    (
        10,
        "ICR/SCR learning",
        "Scottish Government in partnership with Responsible Authorities should develop and "
        "introduce a structured and standardised process to maximise the learning and development emanating from both "
        "Initial Case Reviews and Significant Case Reviews.",
        SAFER,
        "csu-policy-lead",
    ),
]

# number -> (status, progress, review date, completion date, update in our words)
FEBRUARY = {
    1: (
        S.ON_HOLD,
        P.SOME,
        date(2017, 5, 31),
        None,
        "The ERA short life working group is to be reconvened to settle the additional criteria.",
    ),
    2: (S.NO_CHANGE, P.NOT_STARTED, date(2017, 5, 31), None, "The RMA is scoping research on internet offenders."),
    3: (S.NO_CHANGE, P.NOT_STARTED, date(2017, 5, 31), None, "An expert adviser on device monitoring is being sought."),
    4: (
        S.ON_TARGET,
        P.SOME,
        date(2017, 5, 31),
        None,
        "A national action plan on internet safety for children and young people is being prepared.",
    ),
    5: (S.ON_HOLD, P.SOME, date(2017, 5, 31), None, "A short life working group on Level 1 standards is planned."),
    6: (
        S.MET,
        P.COMPLETE,
        None,
        date(2016, 9, 28),
        "Revised roles and responsibilities of MAPPA Coordinators were approved by the NSG on 28 September 2016.",
    ),
    7: (
        S.OUT_OF_TARGET,
        P.SOME,
        date(2017, 5, 31),
        None,
        "SG met the Chief Social Work Officers Group in January 2017 to press for better ViSOR access for CJSW staff.",
    ),
    8: (S.ON_TARGET, P.SOME, date(2017, 5, 31), None, "A draft MAPPA engagement strategy was approved by the MDG."),
    9: (
        S.ON_TARGET,
        P.SOME,
        date(2017, 5, 31),
        None,
        "A new national oversight structure was agreed in September 2016; trend data work continues.",
    ),
    10: (S.ON_TARGET, P.SOME, date(2017, 5, 31), None, "The revised SCR Initial Notification Report is in use."),
}
MAY = {
    1: (
        S.ON_TARGET,
        P.SIGNIFICANT,
        date(2017, 11, 8),
        None,
        "The reconvened SLWG met on 16 March 2017; Police "
        "Scotland and SWS views on the draft standards are being reconciled.",
    ),
    2: (
        S.ON_HOLD,
        P.NOT_STARTED,
        date(2017, 11, 8),
        None,
        "The RMA produced a research and implementation plan in May 2017; recruitment of a research lead is under way.",
    ),
    3: (S.NO_CHANGE, P.NOT_STARTED, date(2017, 11, 8), None, "No change since February."),
    4: (
        S.MET,
        P.COMPLETE,
        None,
        date(2017, 4, 21),
        "The National Action Plan on Internet Safety for Children and Young People was published on 21 April 2017.",
    ),
    5: (S.ON_TARGET, P.SIGNIFICANT, date(2017, 11, 8), None, "The SLWG on Level 1 standards first met on 30 May 2017."),
    6: (S.MET, P.COMPLETE, None, date(2016, 9, 28), "Complete September 2016."),
    7: (
        S.OUT_OF_TARGET,
        P.SOME,
        date(2017, 11, 8),
        None,
        "Local ViSOR action plans were endorsed by the SWS Standing Committee; progress remains slow.",
    ),
    8: (
        S.ON_TARGET,
        P.SIGNIFICANT,
        date(2017, 11, 8),
        None,
        "The MAPPA Engagement Strategy was endorsed by the NSG on 31 May 2017.",
    ),
    9: (
        S.ON_TARGET,
        P.SIGNIFICANT,
        date(2017, 11, 8),
        None,
        "SG has funded Police Scotland research on trends in sex offender management.",
    ),
    10: (
        S.ON_TARGET,
        P.SIGNIFICANT,
        date(2017, 11, 8),
        None,
        "MAPPA Coordinators collate every ICR/SCR commissioned in their area.",
    ),
}
OCTOBER = {
    1: (
        S.ON_TARGET,
        P.SIGNIFICANT,
        date(2018, 2, 28),
        None,
        "Following further consultation, final draft ERA "
        "guidance to be considered at the NSG meeting on 8 November 2017.",
    ),
    2: (
        S.ON_HOLD,
        P.SOME,
        date(2018, 2, 28),
        None,
        "The RMA has recruited a research lead and assistant; the "
        "research will take about 12 months, then 6 months to produce practical guidelines.",
    ),
    3: (
        S.NO_CHANGE,
        P.NOT_STARTED,
        date(2018, 2, 28),
        None,
        "Social Work Scotland and the Chief Social Work "
        "Adviser are working together to take this recommendation forward.",
    ),
    4: (S.MET, P.COMPLETE, None, date(2017, 4, 21), "Complete April 2017."),
    5: (
        S.ON_TARGET,
        P.SIGNIFICANT,
        date(2018, 2, 28),
        None,
        "The SLWG met on 25 October 2017; final draft "
        "standards to be considered at the NSG meeting on 8 November 2017.",
    ),
    6: (S.MET, P.COMPLETE, None, date(2016, 9, 28), "Complete September 2016."),
    7: (
        S.OUT_OF_TARGET,
        P.SOME,
        date(2018, 1, 31),
        None,
        "SG is working with CSWOs to improve local authorities' "
        "use of ViSOR; local action plans are due by 30 November.",
    ),
    8: (
        S.MET,
        P.COMPLETE,
        None,
        date(2017, 5, 31),
        "The national MAPPA Engagement Strategy was endorsed by the NSG on 31 May 2017.",
    ),
    9: (
        S.MET,
        P.COMPLETE,
        None,
        date(2016, 9, 28),
        "The national governance structure is in place; trend data research is funded.",
    ),
    10: (
        S.ON_TARGET,
        P.SIGNIFICANT,
        date(2018, 2, 28),
        None,
        "ICR/SCR learning is shared nationally through the "
        "revised notification report; further work on national learning events.",
    ),
}
JUNE_GRADES = {
    4: G.FULLY_MET,
    6: G.FULLY_MET,
    8: G.FULLY_MET,
    9: G.FULLY_MET,
    1: G.PARTIALLY_MET,
    2: G.PARTIALLY_MET,
    5: G.PARTIALLY_MET,
    10: G.PARTIALLY_MET,
    3: G.NOT_MET,
    7: G.NOT_MET,
}


@transaction.atomic
def seed_recommendations(world):
    """The review, its follow-up, the 10 recommendations, three rounds of updates and the June 2017 grades."""

    secretariat = get_user_model().objects.get(username="secretariat")
    o = world.organisations
    review = _upsert(
        Inspection,
        {"title": "Joint Thematic Review of MAPPA in Scotland"},
        {"published_on": date(2015, 11, 26), "follow_up_of": None},
    )
    follow_up = _upsert(
        Inspection, {"title": "MAPPA progress review"}, {"published_on": date(2017, 6, 29), "follow_up_of": review}
    )
    for inspection in (review, follow_up):
        inspection.inspectorates.set([o["HMICS"], o["Care Inspectorate"]])

    plan_items = {}
    for key, meeting in world.meetings.items():
        item = AgendaItem.objects.filter(
            meeting=meeting, parent=None, title__icontains="Thematic Inspection Action Plan"
        ).first()
        plan_items[key] = item
    recs = {}
    for number, short, text, directorate, lead in RECOMMENDATIONS:
        rec = _upsert(
            Recommendation,
            {"inspection": review, "kind": Recommendation.Kind.RECOMMENDATION, "number": number},
            {
                "short_title": short,
                "text": text,
                "policy_directorate": directorate,
                "policy_lead": world.people[lead] if lead else None,
            },
        )
        rec.directed_at.set([o["SG"]] + ([o["RMA"]] if number == 2 else []))
        rec.agenda_items.add(*[item for item in plan_items.values() if item])
        recs[number] = rec

    rounds = [
        (date(2017, 2, 16), FEBRUARY, "2017-02-16", "Action plan, February 2017"),
        (date(2017, 5, 31), MAY, "2017-05-31", "Action plan, May 2017"),
        (date(2017, 11, 8), OCTOBER, "2017-11-08", "Action plan, October 2017"),
    ]
    for as_of, updates, meeting_key, note in rounds:
        for number, (status, progress, review_date, completed, narrative) in updates.items():
            _upsert(
                StatusUpdate,
                {"recommendation": recs[number], "as_of": as_of},
                {
                    "status": status,
                    "progress": progress,
                    "review_date": review_date,
                    "completion_date": completed,
                    "narrative": narrative,
                    "source": StatusUpdate.Source.MEETING_ITEM,
                    "source_item": plan_items[meeting_key],
                    "source_note": note,
                    "recorded_by": secretariat,
                },
            )
    for number, grade in JUNE_GRADES.items():
        _upsert(
            Assessment,
            {"recommendation": recs[number], "review": follow_up},
            {"as_of": date(2017, 6, 29), "grade": grade, "summary": "", "recorded_by": secretariat},
        )

    # Where topic items and actions serve one recommendation.
    topic_links = {
        1: "Environmental Risk Assessment",
        5: "Level 1",
        8: "Engagement Strategy",
        2: "Risk assessment of internet offenders",
    }
    for number, words in topic_links.items():
        recs[number].agenda_items.add(
            *AgendaItem.objects.filter(meeting__in=world.meetings.values(), title__icontains=words)
        )
    for number, words in ((5, "Level 1"), (1, "ERA guidance"), (7, "action plan")):
        recs[number].actions.add(*Action.objects.filter(meeting__in=world.meetings.values(), text__icontains=words))
    world.recommendations = recs
    return world
