"""Every URL the service answers is checked against the access rule its view declares.

The routes are read from the root URL resolver, so a page added anywhere in the
project is checked here without anyone remembering to list it. A new page fails
this file until its author has said who may use it:

* it declares an AccessRule (``@allow`` / ``own_account``), or it is public and
  named in PUBLIC below (so a newly public page is reviewed before it ships);
* if its URL has parameters, SAMPLE_KWARGS says how to fill them from the demo world.

Then, for every page: a visitor who is not signed in is sent to sign in; each
role gets a 403 exactly where the rule refuses it; and the inspector can change
nothing, except their own password.
"""

import re
from dataclasses import dataclass
from datetime import date, time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from mappa import access
from mappa.access import ADMIN_SITE_RULE, EVERYONE, AccessRule, is_public, rule_for

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")
ALL_METHODS = ("get", *WRITE_METHODS)
ROLES = ("secretariat", "sog_chair", "nsg_member", "inspector", "administrator")

# Pages anyone may open without signing in. Adding a name here is a security
# decision: review the view before you do.
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    # Two-step sign-in's second step (accounts/two_step_views.py): each serves only the person who
    # passed the password step in this session (a few minutes ago), and sends anyone else to sign in.
    *(SECOND_STEP := {"two_step", "two_step_recovery", "two_step_set_up"}),
    # The Django admin's own sign-in address: it only redirects to our sign-in page (accounts/admin.py),
    # so the admin is reached through the same two steps and login throttling.
    "admin:login",
}


def _a_meeting(world):
    """A meeting of the NSG to open: the demo world's first, or a new planned one."""
    from meetings.models import Meeting

    meeting = Meeting.objects.order_by("pk").first()
    if meeting is None:
        meeting = Meeting.objects.create(
            body=world.bodies["nsg"],
            date=date(2017, 6, 8),
            start_time=time(10, 0),
            end_time=time(12, 30),
            venue="St Andrew's House, Edinburgh",
        )
    return meeting


def _an_agenda_item(world):
    """An item on that meeting's agenda: its first, or a new one."""
    meeting = _a_meeting(world)
    item = meeting.agenda_items.order_by("pk").first()
    if item is None:
        item = meeting.agenda_items.create(position=1, title="Joint Thematic Review: action plan")
    return item


def _meeting_kwargs(world):
    return {"pk": _a_meeting(world).pk}


def _item_kwargs(world):
    item = _an_agenda_item(world)
    return {"pk": item.meeting_id, "item_pk": item.pk}


def _comment_kwargs(world):
    """A comment by the RMA's NSG member on the draft minute of that item."""
    item = _an_agenda_item(world)
    comment = item.comments.order_by("pk").first() or item.comments.create(
        meeting=item.meeting, author=world.people["member-rma"].user, text="Please add the RMA's apologies."
    )
    return {"pk": item.meeting_id, "comment_pk": comment.pk}


def _matter_arising_kwargs(world):
    """An action raised under that item, to be followed up at the meeting."""
    item = _an_agenda_item(world)
    action = item.actions.order_by("pk").first() or item.actions.create(
        meeting=item.meeting,
        number=item.meeting.actions.count() + 1,
        text="Circulate the revised MAPPA guidance to SOG chairs.",
        due_date=date(2017, 9, 1),
        original_due_date=date(2017, 9, 1),
        created_by=world.people["secretariat"].user,
    )
    return {"pk": item.meeting_id, "action_pk": action.pk}


def _proposal_kwargs(world):
    """An agenda item proposed by the RMA's NSG member for that meeting."""
    meeting = _a_meeting(world)
    proposal = meeting.agenda_proposals.order_by("pk").first() or meeting.agenda_proposals.create(
        proposed_by=world.people["member-rma"].user,
        title="Risk assessment of internet offenders",
        description="RMA to present its research plan.",
    )
    return {"pk": meeting.pk, "proposal_pk": proposal.pk}


def _attendance_kwargs(world):
    """An attendance record at that meeting."""
    meeting = _a_meeting(world)
    record = meeting.attendance.order_by("pk").first() or meeting.attendance.create(
        person=world.people["member-rma"], status="present"
    )
    return {"pk": meeting.pk, "attendance_pk": record.pk}


def _a_paper(world):
    """A paper (with one version) on that item; its file need not exist: a missing file answers 404."""
    from django.contrib.auth import get_user_model

    from papers.models import Paper, PaperVersion

    item = _an_agenda_item(world)
    paper = Paper.objects.filter(agenda_item=item).first()
    if paper is None:
        user = get_user_model().objects.order_by("pk").first()
        paper = Paper.objects.create(
            agenda_item=item, title="Level 1 minimum practice standards", position=1, created_by=user
        )
        PaperVersion.objects.create(
            paper=paper,
            number=1,
            file="papers/2017/06/sample.pdf",
            original_filename="level-1.pdf",
            content_type="application/pdf",
            size=9,
            uploaded_by=user,
        )
    return paper


def _paper_kwargs(world):
    paper = _a_paper(world)
    return {"pk": paper.agenda_item.meeting_id, "paper_pk": paper.pk}


def _paper_version_kwargs(world):
    return {**_paper_kwargs(world), "number": 1}


def _recommendation_kwargs(world):
    """A recommendation of the thematic review: the demo's first, or a new one."""
    from recommendations.models import Inspection, Recommendation

    recommendation = Recommendation.objects.order_by("pk").first()
    if recommendation is None:
        review = Inspection.objects.create(
            title="Joint Thematic Review of MAPPA in Scotland", published_on=date(2015, 11, 26)
        )
        recommendation = Recommendation.objects.create(
            inspection=review, number=1, short_title="ERA standards", text="Produce additional guidance on ERAs."
        )
    return {"pk": recommendation.pk}


def _action_kwargs(world):
    """An action under that item, owned by every person with a member's or SOG chair's role.

    Adding an update (actions:update) is also refused, with 403, to a member or SOG chair
    who does not own the action (actions.selectors.visibility.may_update); owning it, they reach the form.
    """
    from actions.models import Action
    from mappa.models import Person

    item = _an_agenda_item(world)
    action = Action.objects.filter(agenda_item=item).order_by("pk").first() or Action.objects.create(
        meeting=item.meeting,
        agenda_item=item,
        number=1,
        text="Circulate the revised MAPPA guidance to SOG chairs.",
        due_date=date(2017, 9, 1),
        original_due_date=date(2017, 9, 1),
        created_by=world.people["secretariat"].user,
    )
    action.owner_people.add(*Person.objects.filter(access_role__in=("sog_chair", "nsg_member")))
    return {"pk": action.pk}


def _a_fife_return(world):
    """Fife's return for 2017-18 Q1, submitted: the demo's if seeded, or a new one."""
    from django.utils import timezone

    from reviews.models import QuarterlyReturn, ReportingPeriod

    period, _ = ReportingPeriod.objects.get_or_create(year=2017, quarter=1)
    ret = QuarterlyReturn.objects.filter(area=world.areas["fife"], period=period).first()
    if ret is None:
        now = timezone.now()
        ret = QuarterlyReturn.objects.create(
            area=world.areas["fife"],
            period=period,
            status=QuarterlyReturn.Status.SUBMITTED,
            initial_icrs_processed=10,
            progressed_to_full_icr=4,
            scrs_commissioned=0,
            scrs_completed=0,
            icrs_from_proactive_policing=6,
            category3_received=2,
            category3_accepted=2,
            category3_declined=0,
            narrative="Of the 10 initial ICRs processed, 4 progressed to full ICR.",
            sections_saved=["case-reviews", "category-3", "narrative", "learning"],
            submitted_at=now,
            first_submitted_at=now,
            submitted_by=world.people["secretariat"].user,
        )
    return ret


def _return_kwargs(world):
    ret = _a_fife_return(world)
    return {"period": ret.period.slug, "area": ret.area.slug}


def _return_section_kwargs(world):
    return {**_return_kwargs(world), "section": "case-reviews"}


def _period_kwargs(world):
    """That return's reporting period (2017-18 Q1)."""
    return {"period": _a_fife_return(world).period.slug}


def _sog_updates_item_kwargs(world):
    """The SOG chairs' updates item of that meeting: the demo's, or a new one."""
    from meetings.models import AgendaItem

    meeting = _a_meeting(world)
    item = meeting.agenda_items.filter(kind=AgendaItem.Kind.SOG_UPDATES).order_by("pk").first()
    if item is None:
        last = max(meeting.agenda_items.filter(parent=None).values_list("position", flat=True), default=0)
        item = meeting.agenda_items.create(
            position=last + 1,
            kind=AgendaItem.Kind.SOG_UPDATES,
            title="Update from Strategic Oversight Group Chairs, including SCRs/ICRs",
        )
    return {"pk": meeting.pk, "item_pk": item.pk}


def _case_review_kwargs(world):
    """A Fife case review record (not yet shared with the SG): the demo's first, or a new one."""
    from reviews.models import CaseReview

    review = CaseReview.objects.filter(area=world.areas["fife"]).order_by("pk").first()
    if review is None:
        review = CaseReview.objects.create(
            area=world.areas["fife"],
            year=2017,
            sequence=1,
            reference="FIF-2017-001",
            review_type=CaseReview.Type.INITIAL_ICR,
            mappa_category=1,
            mappa_level=1,
            commissioned_on=date(2017, 7, 12),
            created_by=world.people["secretariat"].user,
        )
    return {"pk": review.pk}


def _email_kwargs(world):
    """An e-mail in the outbox: draft minutes to the secretariat's person."""
    from outbox.models import Email

    person = world.people["secretariat"]
    email, _ = Email.objects.get_or_create(
        key="url-permissions",
        defaults={
            "kind": "draft_minutes",
            "subject_id": _a_meeting(world).pk,
            "recipient": person,
            "to": person.email or "secretariat@test.example",
        },
    )
    return {"pk": email.pk}


def _reminder_digest_kwargs(world):
    """A reminder digest claimed for an action of the demo world, not yet sent."""
    from actions.models import Action
    from reminders.models import Reminder

    action = Action.objects.get(pk=_action_kwargs(world)["pk"])
    reminder, _ = Reminder.objects.get_or_create(
        kind=Reminder.Kind.ACTION_DIGEST,
        recipient=world.people["secretariat"],
        subject_key=f"action:{action.pk}",
        period=date(2017, 12, 1),
        defaults={"action": action},
    )
    return {"digest_id": reminder.digest_id}


def _a_disclosure_pack(world):
    """A freedom-of-information request with a pack (version 1) built, not yet approved."""
    from django.core.files.base import ContentFile

    from disclosure.models import DisclosureRequest, Pack

    user = world.people["secretariat"].user
    request, _ = DisclosureRequest.objects.get_or_create(
        reference="FOI/202700999",
        defaults={
            "received_on": date(2017, 12, 1),
            "due_on": date(2018, 1, 8),
            "wording": "NSG minutes of 2017",
            "requester": "a journalist",
            "handler": user,
            "created_by": user,
        },
    )
    pack = request.packs.first()
    if pack is None:
        pack = Pack(request=request, version=1, page_count=1, document_count=0, redaction_count=0, reviewed_by=user)
        pack.pdf.save("pack.pdf", ContentFile(b"%PDF-1.4 sample"), save=False)
        pack.zip.save("pack.zip", ContentFile(b"PK sample"), save=False)
        pack.save()
    return pack


def _disclosure_kwargs(world):
    return {"pk": _a_disclosure_pack(world).request_id}


def _disclosure_pack_kwargs(world):
    return {**_disclosure_kwargs(world), "version": 1}


def _disclosure_paper_kwargs(world):
    return {**_disclosure_kwargs(world), "paper_pk": _a_paper(world).pk}


def _disclosure_job_kwargs(world):
    from disclosure.models import Job

    pack = _a_disclosure_pack(world)
    job = pack.request.jobs.first() or Job.objects.create(
        request=pack.request, kind=Job.Kind.FIND, status=Job.Status.DONE, started_by=pack.reviewed_by
    )
    return {"pk": pack.request_id, "job_pk": job.pk}


def _disclosure_term_kwargs(world):
    from disclosure.models import AddedTerm

    pack = _a_disclosure_pack(world)
    term = pack.request.added_terms.first() or AddedTerm.objects.create(
        request=pack.request, term="sample", added_by=pack.reviewed_by
    )
    return {"pk": pack.request_id, "term_pk": term.pk}


# How to fill each parametrised route from the demo world (demo.world.DemoWorld).
SAMPLE_KWARGS = {
    "outbox:send-again": _email_kwargs,
    "reminders:send-now": _reminder_digest_kwargs,
    "body-detail": lambda world: {"slug": world.bodies["fife"].slug},
    "password_reset_confirm": lambda world: {"uidb64": "MQ", "token": "not-a-real-token"},
    "meetings:detail": _meeting_kwargs,
    "meetings:advance": _meeting_kwargs,
    "meetings:comments": _meeting_kwargs,
    "meetings:comment-decide": _comment_kwargs,
    "meetings:agree-previous": _meeting_kwargs,
    "minute_actions:matter-arising": _matter_arising_kwargs,
    "meetings:minutes-changes": _meeting_kwargs,
    "meetings:minutes-reopen": _meeting_kwargs,
    "meetings:agenda-pdf": _meeting_kwargs,
    "meetings:minutes-pdf": _meeting_kwargs,
    "meetings:minutes-docx": _meeting_kwargs,
    "meetings:invite-ics": _meeting_kwargs,
    "meetings:minute-edit": _item_kwargs,
    "minute_actions:create": _item_kwargs,
    "meetings:minute-history": _item_kwargs,
    "meetings:agenda": _meeting_kwargs,
    "meetings:agenda-item-add": _meeting_kwargs,
    "meetings:agenda-item-edit": _item_kwargs,
    "meetings:agenda-item-remove": _item_kwargs,
    "meetings:agenda-item-move": _item_kwargs,
    "meetings:proposal-decide": _proposal_kwargs,
    "meetings:propose": _meeting_kwargs,
    "meetings:attendance": _meeting_kwargs,
    "meetings:attendance-all-present": _meeting_kwargs,
    "meetings:attendance-add": _meeting_kwargs,
    "meetings:attendance-remove": _attendance_kwargs,
    "papers:upload": _item_kwargs,
    "papers:replace": _paper_kwargs,
    "papers:publication": _paper_kwargs,
    "papers:download": _paper_kwargs,
    "papers:download-version": _paper_version_kwargs,
    "papers:pack": _meeting_kwargs,
    "recommendations:detail": _recommendation_kwargs,
    "recommendations:update-create": _recommendation_kwargs,
    "recommendations:assessment-create": _recommendation_kwargs,
    "reviews:return-detail": _return_kwargs,
    "reviews:return-edit": _return_section_kwargs,
    "reviews:return-check": _return_kwargs,
    "reviews:return-submit": _return_kwargs,
    "reviews:return-nil": _return_kwargs,
    "reviews:return-send-back": _return_kwargs,
    "reviews:return-approve": _return_kwargs,
    "reviews:return-reopen": _return_kwargs,
    "reviews:return-history": _return_kwargs,
    "reviews:period-edit": _period_kwargs,
    "reviews:case-review-table": _period_kwargs,
    "reviews:case-review-table-attach": _period_kwargs,
    "sog_updates:add": _sog_updates_item_kwargs,
    "case_reviews:detail": _case_review_kwargs,
    "case_reviews:edit": _case_review_kwargs,
    "actions:detail": _action_kwargs,
    "actions:update": _action_kwargs,
    "actions:edit": _action_kwargs,
    # One of the dashboard's tables as CSV (dashboard/selectors/*_section.py name them).
    "dashboard:table-csv": lambda world: {"table": "actions-by-group"},
    "dashboard:table": lambda world: {"table": "actions-by-group"},
    "disclosure:request": _disclosure_kwargs,
    "disclosure:scope": _disclosure_kwargs,
    "disclosure:find": _disclosure_kwargs,
    "disclosure:build": _disclosure_kwargs,
    "disclosure:progress": _disclosure_kwargs,
    "disclosure:close": _disclosure_kwargs,
    "disclosure:review": _disclosure_kwargs,
    "disclosure:decide": _disclosure_kwargs,
    "disclosure:add-term": _disclosure_kwargs,
    "disclosure:remove-term": _disclosure_term_kwargs,
    "disclosure:include-paper": _disclosure_paper_kwargs,
    "disclosure:leave-out-paper": _disclosure_paper_kwargs,
    "disclosure:cancel-job": _disclosure_job_kwargs,
    "disclosure:pack-pdf": _disclosure_pack_kwargs,
    "disclosure:pack-zip": _disclosure_pack_kwargs,
    "disclosure:approve": _disclosure_pack_kwargs,
    "disclosure:publish": _disclosure_pack_kwargs,
    "disclosure:withdraw": _disclosure_pack_kwargs,
}


@dataclass(frozen=True)
class Route:
    route: str  # the full pattern, e.g. "groups/<slug:slug>/"
    name: str | None  # the full name with namespaces, e.g. "meetings:detail"
    callback: object
    parameters: tuple
    in_admin: bool

    @property
    def label(self):
        return self.name or self.route

    @property
    def rule(self):
        if self.in_admin:
            return ADMIN_SITE_RULE
        return rule_for(self.callback)

    @property
    def public(self):
        return is_public(self.callback)


def _parameters(pattern):
    regex = pattern.pattern.regex
    return tuple(regex.groupindex)


def walk(resolver, prefix="", namespaces=(), params=(), in_admin=False):
    """Every URLPattern under ``resolver``, with its full route and name."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(
                entry,
                route,
                namespaces + ((entry.namespace,) if entry.namespace else ()),
                params + _parameters(entry),
                in_admin or entry.app_name == "admin",
            )
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Route(route, name, entry.callback, params + _parameters(entry), in_admin)


def all_routes(urlconf=None):
    return list(walk(get_resolver(urlconf)))


ROUTES = all_routes()
SITE_ROUTES = [r for r in ROUTES if not r.in_admin]
ADMIN_ROUTES = [r for r in ROUTES if r.in_admin]


def declaration_problems(routes):
    """Why each route fails the 'public and reviewed, or declares a rule' test."""
    problems = []
    for r in routes:
        if r.public:
            if r.label not in PUBLIC:
                problems.append(
                    f"{r.label} ({r.route}) is public (login_not_required) but not in PUBLIC: "
                    "review it, then add it to PUBLIC in tests/mappa/test_url_permissions.py"
                )
        elif r.rule is None:
            problems.append(
                f"{r.label} ({r.route}) declares no access rule: decorate its view with "
                "mappa.access.allow(...) or own_account"
            )
    return problems


def site_url(r, world):
    if r.name is None:
        pytest.fail(f"The route {r.route!r} has no name: name it so this test can find it.")
    if not r.parameters:
        return reverse(r.name)
    if r.name not in SAMPLE_KWARGS:
        pytest.fail(
            f"The route {r.name} ({r.route}) takes {', '.join(r.parameters)}: add an entry for it to "
            "SAMPLE_KWARGS in tests/mappa/test_url_permissions.py (a function of the demo world)."
        )
    return reverse(r.name, kwargs=SAMPLE_KWARGS[r.name](world))


def admin_sample_path(r):
    """A path that the admin route ``r`` answers (admin pages take any object id)."""
    path = r.route.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[0], path)  # (?P<app_label>auth|...)
    path = re.sub(r"\(\?P<\w+>\.\*\)", "no-such-page/", path)  # the catch-all
    path = re.sub(r"<(?:\w+:)?\w+>", "1", path)  # <path:object_id>
    return "/" + path


def send(client, method, url):
    if method in ("get", "post"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, data="", content_type="application/x-www-form-urlencoded")


def sends_to_sign_in(response, *, admin=False):
    """A redirect to the sign-in page (the admin's pages send people to the admin's own form)."""
    pages = (reverse("login"), reverse("admin:login")) if admin else (reverse("login"),)
    return response.status_code == 302 and response["Location"].startswith(pages)


@pytest.fixture
def clients(users_by_role):
    signed_in = {}
    for role, user in users_by_role.items():
        client = Client()
        client.force_login(user)
        signed_in[role] = client
    return signed_in


# --- Every page says who may use it ---------------------------------------------------------


def test_the_walk_finds_the_service_pages():
    names = {r.name for r in ROUTES}
    assert {"home", "healthz", "body-list", "body-detail", "login", "password_change", "admin:index"} <= names


@pytest.mark.parametrize("r", ROUTES, ids=lambda r: r.label)
def test_every_page_is_reviewed_public_or_declares_who_may_use_it(r):
    problems = declaration_problems([r])
    assert not problems, problems[0]


def test_a_page_with_no_rule_or_an_unreviewed_public_page_is_reported_by_name():
    routes = all_routes("tests.mappa.undeclared_urls")
    problems = declaration_problems(routes)
    assert len(problems) == 2
    assert any(p.startswith("undeclared-page (undeclared/) declares no access rule") for p in problems)
    assert any(p.startswith("unreviewed-public-page (unreviewed-public/) is public") for p in problems)


def test_every_public_page_in_the_allowlist_exists():
    assert PUBLIC <= {r.name for r in ROUTES if r.public}


def test_a_parametrised_page_with_no_sample_kwargs_is_reported_by_name():
    r = Route("things/<int:pk>/", "things:detail", lambda request, pk: None, ("pk",), False)
    expected = r"things:detail \(things/<int:pk>/\) takes pk: add an entry for it to SAMPLE_KWARGS"
    with pytest.raises(pytest.fail.Exception, match=expected):
        site_url(r, world=None)


# --- Not signed in ----------------------------------------------------------------------------


@pytest.mark.parametrize("r", [r for r in ROUTES if not r.public], ids=lambda r: r.label)
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(r, client, request):
    url = admin_sample_path(r) if r.in_admin else site_url(r, request.getfixturevalue("demo_world"))
    for method in ALL_METHODS:
        response = send(client, method, url)
        assert sends_to_sign_in(response, admin=r.in_admin), (
            f"{method.upper()} {url} gave {response.status_code}, not a redirect to sign in"
        )


@pytest.mark.parametrize("r", [r for r in SITE_ROUTES if r.public], ids=lambda r: r.label)
def test_a_public_page_opens_without_signing_in(r, client, demo_world):
    url = site_url(r, demo_world)
    response = client.get(url)
    if r.name in SECOND_STEP:
        # Only for someone who has just given their password (tests/accounts/test_two_step.py).
        assert sends_to_sign_in(response)
        return
    assert not sends_to_sign_in(response)
    # Signing out only accepts POST; every other public page shows itself.
    assert response.status_code == (405 if r.name == "logout" else 200)


# --- Each role, each page ---------------------------------------------------------------------


@pytest.mark.parametrize("r", [r for r in SITE_ROUTES if not r.public], ids=lambda r: r.label)
def test_each_role_is_refused_exactly_where_the_rule_says(r, clients, users_by_role, demo_world):
    url = site_url(r, demo_world)
    wrong = []
    for role in ROLES:
        roles = access.roles_of(users_by_role[role])
        for method in ALL_METHODS:
            allowed = r.rule.allows(roles, method)
            status = send(clients[role], method, url).status_code
            if allowed and status == 403:
                wrong.append(f"{role} {method.upper()} {url}: 403, but the rule allows it")
            elif not allowed and status != 403:
                wrong.append(f"{role} {method.upper()} {url}: {status}, but the rule refuses it (expected 403)")
    assert not wrong, "\n".join(wrong)


def test_each_fixture_user_holds_the_role_it_is_named_for(users_by_role):
    for role, user in users_by_role.items():
        assert access.roles_of(user) == {role}


# --- The inspector changes nothing ------------------------------------------------------------


def test_the_inspector_can_change_nothing_but_their_own_account(clients, demo_world):
    inspector = clients["inspector"]
    changed_something = set()
    for r in ROUTES:
        if r.public:
            continue  # public pages are the same for everyone, signed in or not
        url = admin_sample_path(r) if r.in_admin else site_url(r, demo_world)
        for method in WRITE_METHODS:
            status = send(inspector, method, url).status_code
            if not 400 <= status < 500:
                changed_something.add(r.label)
            elif not (r.rule and (r.rule.own_account or r.rule.asks_for_a_document)):
                assert status in (403, 405), f"{method.upper()} {url} gave {status}"
    own_account_routes = {r.label for r in ROUTES if not r.public and r.rule and r.rule.own_account}
    asking_routes = {r.label for r in ROUTES if not r.public and r.rule and r.rule.asks_for_a_document}
    # They may ask for the dashboard's report to be prepared: a document of what they read, no record changed.
    assert asking_routes == {"dashboard:report"}
    # Their password, and their two-step sign-in and sessions (accounts/two_step_views.py).
    assert own_account_routes == {
        "password_change",
        "account",
        "two_step_replace",
        "recovery_codes_regenerate",
        "recovery_codes",
        "recovery_codes_download",
        "sign_out_other_sessions",
    }
    assert changed_something <= own_account_routes | asking_routes


def test_an_access_rule_cannot_let_the_inspector_write():
    with pytest.raises(ImproperlyConfigured, match="Inspectors can change nothing"):
        AccessRule(read=EVERYONE, write=frozenset({access.Role.INSPECTOR}))
    with pytest.raises(ImproperlyConfigured):
        access.allow(read=EVERYONE, write=EVERYONE)
    # Their own password is theirs to change; a document of what they read is theirs to ask for.
    assert AccessRule(read=EVERYONE, write=EVERYONE, own_account=True).allows({access.Role.INSPECTOR}, "POST")
    assert AccessRule(read=EVERYONE, write=EVERYONE, asks_for_a_document=True).allows({access.Role.INSPECTOR}, "POST")


def test_an_access_rule_refuses_unknown_roles():
    with pytest.raises(ImproperlyConfigured, match="Unknown roles"):
        AccessRule(read=frozenset({"caretaker"}))


# --- The Django admin -------------------------------------------------------------------------


def test_the_admin_sends_a_visitor_who_is_not_signed_in_to_sign_in(client):
    response = client.get("/admin/")
    assert sends_to_sign_in(response, admin=True)
    assert response["Location"] == f"{reverse('admin:login')}?next=/admin/"
    # Signing in there (as a non-administrator) still does not open the admin: see below.


@pytest.mark.parametrize("role", [r for r in ROLES if r != "administrator"])
def test_the_admin_refuses_everyone_but_administrators(role, clients):
    response = clients[role].get("/admin/")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


def test_the_administrator_opens_the_admin(clients):
    response = clients["administrator"].get("/admin/")
    assert response.status_code == 200
    assert "MAPPA Governance administration" in response.content.decode()


def test_every_admin_sample_path_reaches_its_own_admin_page():
    assert ADMIN_ROUTES
    for r in ADMIN_ROUTES:
        path = admin_sample_path(r)
        assert resolve(path).func is r.callback, f"{path} does not reach {r.label} ({r.route})"


# --- The middleware refuses a page that declares nothing --------------------------------------


def test_the_middleware_refuses_a_page_with_no_access_rule(settings, clients, client, caplog):
    settings.ROOT_URLCONF = "tests.mappa.undeclared_urls"
    for role in ROLES:
        for method in ALL_METHODS:
            response = send(clients[role], method, "/undeclared/")
            assert response.status_code == 403, f"{role} {method.upper()}: {response.status_code}"
            assert "nobody should see this" not in response.content.decode()
    assert "View undeclared-page declares no access rule; refusing." in caplog.text
    # Not signed in: sent to sign in, as for any other page.
    assert sends_to_sign_in(client.get("/undeclared/"))


# --- A SOG chair acts for their own area only -------------------------------------------------

AREA_ROUTES = [r for r in SITE_ROUTES if r.name and r.name.startswith(("reviews:", "case_reviews:")) and r.parameters]


@pytest.mark.parametrize("r", AREA_ROUTES, ids=lambda r: r.label)
def test_a_chair_of_another_area_gets_404_for_another_areas_return_or_record(r, demo_world):
    """Glasgow's chair is refused Fife's return and case reviews as if they did not exist.

    Every method the route's rule lets a SOG chair use answers 404, exactly as for an id that
    does not exist; the others are refused by role (403) before any look-up, whatever the id.
    """
    from tests.factories import user_with_role

    url = site_url(r, demo_world)
    glasgow_chair = Client()
    glasgow_chair.force_login(
        user_with_role(access.Role.SOG_CHAIR, username="t-chair-glasgow", areas=[demo_world.areas["glasgow"]])
    )
    chair_roles = frozenset({access.Role.SOG_CHAIR})
    for method in ALL_METHODS:
        expected = 404 if r.rule.allows(chair_roles, method) else 403
        response = send(glasgow_chair, method, url)
        assert response.status_code == expected, f"{method.upper()} {url} gave {response.status_code}, not {expected}"
