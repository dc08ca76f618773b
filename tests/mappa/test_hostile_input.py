"""Hostile input never makes a 500 (issue 11): a bad value is a 400, a form error, a 404 or a redirect.

The story: someone signed in (the secretariat, a SOG chair, an NSG member, an inspector,
an administrator), or a visitor who has not signed in (the sign-in and password pages are
open to anyone), edits an address or a form by hand, or a script does, and sends the
values in CORPUS: "²" (``"²".isdigit()`` is True, but it is no number), a NUL (which
PostgreSQL refuses), 99999999999999999999 and 2**63 (too big for a 64-bit id: SQLite
raises OverflowError), -1, a megabyte of text, bytes that are not UTF-8, a choice that is
not offered, and dates that do not exist (2026-13-45, 2017-02-30). The service answers
each with a 400, a GOV.UK form error, a 404 or a redirect; never a server error.

Every page (tests/mappa/test_url_permissions.py finds them in the URL resolver, and says
how to fill their URLs from the demo world in SAMPLE_KWARGS) is first opened by every role
with GET, and posted a field it does not know by the first role that may post. What each
page reads is discovered, never listed here, so a new page, filter or field is covered
without anyone remembering to:

* query-string parameters: the names the view reads from ``request.GET`` (recorded while it
  answers a plain GET), the fields of the GET forms that target it (filters), and the
  parameters of the links to it, on every page, as every role;
* form fields: the forms on every page, parsed from the HTML (inputs, selects, textareas)
  and filed under the route their action resolves to, with the values they show; and the
  names the view reads from ``request.POST`` when it is posted that unknown field.

Then every parameter and every field gets every value of CORPUS, one at a time, the other
fields of its form keeping the values the page gave them: GET for the query string, POST
for the forms. The roles share the work, each value sent once, by each role that may use
the page or is shown the form in turn (hostile_queries, hostile_forms): every role
meets every page, and every field meets every value, without the cross product. A GOV.UK
date's three boxes count as one field (and also get DATE_TRIPLES, whole dates at once), as
do the fields a form repeats for each row of a table (one radio group per member). A role
the page refuses sends one POST with every field hostile: it must be refused unharmed.

Any 5xx, or any exception a view raises, fails that page's test, listing every request
that failed (role, method, address, field and value) and a traceback for each error.

Nothing a request does lasts: each runs in a transaction rolled back after it, on a demo
world built once for the module (and rolled back after it), so the same test runs on
SQLite and on PostgreSQL (DATABASE_URL). PDFs are rendered to HTML only: WeasyPrint's
layout is not what is under test, and is slow.
"""

import io
import re
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from mappa import access
from tests.mappa.test_url_permissions import ROLES as SIGNED_IN_ROLES
from tests.mappa.test_url_permissions import SITE_ROUTES, site_url

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond a 64-bit integer: SQLite raises OverflowError for it
INVALID_UTF8 = b"\xff\xfe"  # sent as raw bytes: %FF%FE in a query string or a form body
MEGABYTE = "x" * (1024 * 1024)
CORPUS = (
    "²",  # "²".isdigit() is True, but it is no number
    "\x00",  # PostgreSQL refuses NUL in a string
    HUGE,
    "9223372036854775808",  # 2**63: one beyond the largest 64-bit integer (a BigAutoField's)
    "-1",
    MEGABYTE,
    INVALID_UTF8,
    "no-such-choice",
    "2026-13-45",  # no such month, nor day
    "2017-02-30",  # looks right, but there is no 30 February
)
# A GOV.UK date input is three boxes (name_0, name_1, name_2: day, month, year): these also go in together.
DATE_TRIPLES = (("30", "2", "2017"), ("45", "13", "2026"), ("1", "1", HUGE))

# The demo world's logins, one for each role (the demo gives them seats, areas and actions to own); and
# a visitor who has not signed in, for the pages anyone may open (signing in, resetting a password).
LOGINS = {
    "secretariat": "secretariat",
    "sog_chair": "chair-fife",
    "nsg_member": "member-rma",
    "inspector": "inspector",
    "administrator": "admin",
    "visitor": None,
}
ROLES = (*SIGNED_IN_ROLES, "visitor")
assert set(LOGINS) == set(ROLES)
UNKNOWN_FIELD = "no-such-field"
# Forms kept per route and role (a page of comments has one form per comment: a few will do).
FORMS_PER_ROUTE = 5


def _circulated_meeting():
    from meetings.models import Meeting

    return Meeting.objects.get(status=Meeting.Status.DRAFT_CIRCULATED)


def _previous_minutes_item(meeting):
    from meetings.models import AgendaItem

    return meeting.agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)


def _circulated_item_kwargs():
    meeting = _circulated_meeting()
    return [{"pk": meeting.pk, "item_pk": _previous_minutes_item(meeting).pk}]


def _return_awaiting_check():
    """A return submitted and not yet approved or sent back: the secretariat's check pages show their forms."""
    from reviews.models import QuarterlyReturn

    ret = QuarterlyReturn.objects.filter(status__in=QuarterlyReturn.AWAITING_CHECK).order_by("pk").first()
    return [{"period": ret.period.slug, "area": ret.area.slug}] if ret else []


def _new_return_sections():
    """Every section of Fife's return for a new, open quarter (2017-18 Q4): nothing saved yet, all editable."""
    from reviews import rules
    from reviews.models import ReportingPeriod

    period = ReportingPeriod(year=2017, quarter=4)
    period.fill_dates()
    period.save()
    return [{"period": period.slug, "area": "fife", "section": section.slug} for section in rules.SECTIONS]


# SAMPLE_KWARGS (test_url_permissions.py) opens each page for one record. Some pages show their forms
# only in a certain state, so they are also opened for these, built from the demo: a meeting whose
# draft minutes are out for comment (reopened below), a return awaiting the secretariat's check, and
# a return not yet started.
EXTRA_SAMPLES = {
    "meetings:comments": lambda: [{"pk": _circulated_meeting().pk}],
    "meetings:comment-decide": lambda: [
        {"pk": _circulated_meeting().pk, "comment_pk": _circulated_meeting().minute_comments.order_by("pk")[0].pk}
    ],
    "meetings:minute-edit": _circulated_item_kwargs,
    "minute_actions:create": _circulated_item_kwargs,
    "meetings:agree-previous": lambda: [{"pk": _circulated_meeting().pk}],
    "reviews:return-send-back": _return_awaiting_check,
    "reviews:return-approve": _return_awaiting_check,
    "reviews:return-edit": _new_return_sections,
}

ROUTES = [r for r in SITE_ROUTES if r.name]
ROUTES_BY_NAME = {r.name: r for r in ROUTES}


def may_post(route, user):
    """Whether the route's access rule lets ``user`` POST (public pages let everyone)."""
    return route.public or route.rule.allows(access.roles_of(user), "POST")


# ----------------------------------------------------------------------------------------------
# Reading a page: its forms (with the values they would send) and its links
# ----------------------------------------------------------------------------------------------


@dataclass
class Form:
    method: str  # "get" or "post"
    action: str  # the path (and query string) it is sent to
    multipart: bool
    fields: dict = field(default_factory=dict)  # name -> {"kind": ..., "values": [...], "options": [...]}

    @property
    def signature(self):
        """The form's shape, whatever the ids in its field names (one form per comment looks the same)."""
        return (self.method, tuple("".join("#" if c.isdigit() else c for c in name) for name in self.fields))

    def current(self):
        """What a browser would send: [(name, value)], files apart."""
        return [
            (name, value) for name, spec in self.fields.items() if spec["kind"] != "file" for value in spec["values"]
        ]

    def inputs(self):
        """The form's fields as the user sees them, each with the names it is sent under: [[name, ...]].

        The three boxes of a GOV.UK date are one field. So are the fields a form repeats for
        each row of a table (``member-3``, ``member-8``: one radio group per member), named
        alike but for an id. Buttons count only when there is a choice of them.
        """
        dated = {name for group in self.date_groups() for name in group}
        fields = {group: list(group) for group in self.date_groups()}
        for name, spec in self.fields.items():
            if name in dated or spec["kind"] in ("file", "submit", "image", "reset") and len(spec["options"]) < 2:
                continue
            if name == "csrfmiddlewaretoken":  # the test client skips the CSRF check; a wrong token is a 403
                continue
            fields.setdefault(re.sub(r"(?<=[-_])[0-9]+(?=[-_]|$)", "#", name), []).append(name)
        return list(fields.values())

    def date_groups(self):
        """The three boxes of each GOV.UK date input: [(day, month, year) names]."""
        names = set(self.fields)
        return [
            (name, f"{name[:-2]}_1", f"{name[:-2]}_2")
            for name in self.fields
            if name.endswith("_0") and {f"{name[:-2]}_1", f"{name[:-2]}_2"} <= names
        ]


class PageParser(HTMLParser):
    """The forms and links of a page (the standard library's parser: our pages are well formed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links = [], []
        self._form = self._select = self._textarea = self._option = None

    def _field(self, name, kind):
        return self._form.fields.setdefault(name, {"kind": kind, "values": [], "options": [], "checked": False})

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(),
                action=a.get("action", ""),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is None or not a.get("name") and tag != "option" or "disabled" in a and tag != "option":
            return
        elif tag in ("input", "button"):
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            spec = self._field(a["name"], kind)
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            spec["options"].append(value)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    spec["values"].append(value)
                    spec["checked"] = True
            elif kind in ("submit", "image", "reset"):
                if not spec["values"]:
                    spec["values"].append(value)  # the first button stands for the one pressed
            elif kind != "file":
                spec["values"].append(value)
        elif tag == "select":
            self._select = self._field(a["name"], "select-multiple" if "multiple" in a else "select")
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._select["options"].append(self._option or "")
            if "selected" in a:
                self._select["values"].append(self._option or "")
                self._select["checked"] = True
        elif tag == "textarea":
            self._textarea = self._field(a["name"], "textarea")
            self._textarea["values"].append("")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["values"][-1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            for spec in self._form.fields.values():
                # A radio group with none chosen, or a select with none selected, sends its first option.
                if spec["kind"] in ("radio", "select") and not spec["checked"] and spec["options"]:
                    spec["values"] = [spec["options"][0]]
                if spec["kind"] == "textarea" and spec["values"]:
                    spec["values"][-1] = spec["values"][-1].removeprefix("\n")
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def route_of(url):
    """The view name a same-site URL resolves to, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


# ----------------------------------------------------------------------------------------------
# Which names a view reads from request.GET and request.POST
# ----------------------------------------------------------------------------------------------


class ReadRecorder:
    """Records every key read from any QueryDict (request.GET, request.POST, their copies)."""

    READERS = ("__getitem__", "get", "getlist", "__contains__", "pop")

    def __init__(self, monkeypatch):
        self.names = []
        for reader in self.READERS:
            original = getattr(QueryDict, reader)
            monkeypatch.setattr(QueryDict, reader, self._recording(original))
        self.on = False

    def _recording(self, original):
        def read(querydict, key, *args, **kwargs):
            if self.on and isinstance(key, str) and key not in self.names:
                self.names.append(key)
            return original(querydict, key, *args, **kwargs)

        return read

    def record(self):
        self.names = []
        self.on = True
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.on = False


# ----------------------------------------------------------------------------------------------
# Sending one request, and judging its answer
# ----------------------------------------------------------------------------------------------


def _shown(value):
    if isinstance(value, bytes):
        return f"raw bytes {value!r}"
    return repr(value if len(value) <= 40 else f"{value[:20]}... ({len(value)} characters)")


@dataclass
class Probe:
    role: str
    method: str
    url: str
    what: str  # the field or parameter and the value that made the problem
    outcome: str  # "500" or the exception
    trace: str = ""

    def __str__(self):
        return f"{self.role} {self.method.upper()} {self.url} with {self.what}: {self.outcome}"


class Browser:
    """One client per role, signed in (but the visitor's); every request rolled back after it, the session kept."""

    def __init__(self, users):
        self.clients, self.cookies = {}, {}
        for role, user in users.items():
            client = Client()
            if user.is_authenticated:
                client.force_login(user)
            self.clients[role] = client
            self.cookies[role] = SimpleCookie(client.cookies.output(header="", sep="\n"))

    def send(self, role, method, url, pairs=(), files=None):
        """(response, None) or (None, the exception with its traceback)."""
        client = self.clients[role]
        try:
            with transaction.atomic():
                if method == "get":
                    query = urlencode(list(pairs))
                    response = client.get(f"{url}{'&' if '?' in url else '?'}{query}" if query else url)
                elif files:
                    data = defaultdict(list)
                    for name, value in pairs:
                        data[name].append(value)
                    response = client.post(url, data={**data, **files})
                else:
                    response = client.post(
                        url,
                        data=urlencode(list(pairs)).encode("ascii"),
                        content_type="application/x-www-form-urlencoded",
                    )
                transaction.set_rollback(True)
            return response, None
        except Exception as exc:  # the view raised: that is a 500 in production
            return None, (f"{exc.__class__.__name__}: {exc}"[:300], traceback.format_exc())
        finally:
            # Signing out (or changing a password) must not end the session for the next request.
            client.cookies = SimpleCookie(self.cookies[role].output(header="", sep="\n"))


def sample_file():
    return SimpleUploadedFile("paper.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


# ----------------------------------------------------------------------------------------------
# The world, built once: the demo, each route's sample URLs, and what each page reads and shows
# ----------------------------------------------------------------------------------------------


@dataclass
class Catalogue:
    browser: Browser
    users: dict
    urls: dict  # route name -> [sample URL, ...]
    params: dict = field(default_factory=lambda: defaultdict(list))  # route name -> query parameter names
    forms: dict = field(default_factory=lambda: defaultdict(list))  # (route name, role) -> [Form]
    posted: dict = field(default_factory=lambda: defaultdict(list))  # (route, first role may post) -> names read
    problems: dict = field(default_factory=lambda: defaultdict(list))  # route name -> [Probe] while crawling

    def readers(self, route):
        """The roles the route's rule lets open it (all of them for a public page, or one nobody may GET)."""
        roles = [role for role in ROLES if route.public or route.rule.allows(access.roles_of(self.users[role]), "GET")]
        return roles or list(ROLES)

    def add_params(self, name, keys):
        self.params[name].extend(k for k in keys if k not in self.params[name])

    def add_form(self, name, role, form):
        kept = self.forms[(name, role)]
        if form.signature not in {f.signature for f in kept} and len(kept) < FORMS_PER_ROUTE:
            kept.append(form)

    def crawl(self, recorder):
        """Open every sample URL as every role; read its forms and links; and post it nothing, as one role."""
        for name, urls in self.urls.items():
            for url in urls:
                posted = False
                for role in ROLES:
                    with recorder.record():
                        response, error = self.browser.send(role, "get", url)
                    self.add_params(name, recorder.names)
                    if error:
                        self.problems[name].append(Probe(role, "get", url, "nothing", *error))
                        continue
                    if response.status_code >= 500:
                        self.problems[name].append(Probe(role, "get", url, "nothing", str(response.status_code)))
                    if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
                        self.read_page(role, url, response.content.decode())
                    if not posted and may_post(ROUTES_BY_NAME[name], self.users[role]):
                        # One field the view does not know, so that a form bound to ``request.POST or None``
                        # is bound, and reads (and so names) its fields.
                        posted = True
                        with recorder.record():
                            response, error = self.browser.send(role, "post", url, [(UNKNOWN_FIELD, "")])
                        self.posted[(name, role)].extend(
                            n for n in recorder.names if n not in self.posted[(name, role)] and n != UNKNOWN_FIELD
                        )
                        if error or response.status_code >= 500:
                            self.problems[name].append(
                                Probe(role, "post", url, "nothing", *(error or (str(response.status_code),)))
                            )

    def read_page(self, role, url, html):
        parser = PageParser()
        parser.feed(html)
        for href in parser.links:
            target = urljoin(url, href)
            name = route_of(target)
            if name:
                self.add_params(name, [key for key, _ in parse_qsl(urlsplit(target).query, keep_blank_values=True)])
        for form in parser.forms:
            form.action = urljoin(url, form.action or url)
            name = route_of(form.action)
            if name is None:
                continue
            if form.method == "get":
                self.add_params(name, form.fields)
            else:
                self.add_form(name, role, form)


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from config.celery import app
    from demo import world as demo_world
    from demo.seeders import seed_everything
    from meetings.models import Meeting

    monkeypatch = pytest.MonkeyPatch()
    settings = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    settings.enable()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            monkeypatch.setattr("mappa.pdf.HTML", HtmlOnly)
            # Only the status of each answer is judged: the test client need not keep a copy of the
            # context of every template rendered (thousands of answers, a tenth of the time).
            monkeypatch.setattr("django.test.client.store_rendered_templates", lambda *args, **kwargs: None)
            world = demo_world.seed_core()
            # The first meeting is the sample one of SAMPLE_KWARGS: a planned meeting, whose agenda
            # can still be edited; the demo's meetings (agreed, and out for comment) come after it.
            today = timezone.localdate()
            Meeting.objects.create(
                body=world.bodies["nsg"],
                date=today + timedelta(days=60),
                start_time=time(10, 30),
                end_time=time(13, 0),
                venue="St Andrew's House, Edinburgh",
                agenda_items_deadline=today + timedelta(days=30),
            )
            seed_everything(world)
            # The demo's draft minutes were out for comment in 2017: open them again, so that members
            # see (and send) the comment forms.
            Meeting.objects.filter(status=Meeting.Status.DRAFT_CIRCULATED).update(
                comment_deadline=today + timedelta(days=30)
            )
            users = {
                role: get_user_model().objects.get(username=username) if username else AnonymousUser()
                for role, username in LOGINS.items()
            }
            for role, user in users.items():
                expected = set() if role == "visitor" else {role}
                assert access.roles_of(user) == expected, f"{user} should hold the {role} role only"
            urls = {r.name: [site_url(r, world)] for r in ROUTES}
            for name, samples in EXTRA_SAMPLES.items():
                urls[name] += [reverse(name, kwargs=kwargs) for kwargs in samples()]
            found = Catalogue(browser=Browser(users), users=users, urls=urls)
            found.crawl(ReadRecorder(monkeypatch))
            yield found
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            monkeypatch.undo()
            app.conf.task_always_eager = eager
            settings.disable()


class HtmlOnly:
    """Stands in for WeasyPrint's HTML: the document's template is rendered, no PDF laid out.

    It answers with a real PDF of blank pages (from pypdf), so that a pack of papers, which
    counts the pages of its agenda, can still be put together: one page, or as many as the
    sheet of page stamps has (documents/page_stamps.html, a div per page: mappa.pdf_stamps).
    """

    pages = ()  # laid out in no pages: disclosure finds no page for what it marks

    def __init__(self, string=None, **kwargs):
        self.string = string

    def render(self, **kwargs):
        # mappa.pdf lays a document out first (disclosure reads where each page's words are), then writes it.
        return self

    def write_pdf(self, target=None, **kwargs):
        from pypdf import PdfWriter

        writer, out = PdfWriter(), io.BytesIO()
        for _ in range(max(1, (self.string or "").count('<div class="page">'))):
            writer.add_blank_page(width=595, height=842)
        writer.write(out)
        if target is not None:
            target.write(out.getvalue())
            return None
        return out.getvalue()


# ----------------------------------------------------------------------------------------------
# The hostile requests: every value to every parameter and field, shared out among the roles
# ----------------------------------------------------------------------------------------------


def share_out(values, roles, offset):
    """[(role, value)]: each value once, the roles taking turns (``offset`` varies who starts)."""
    return [(roles[(offset + v) % len(roles)], value) for v, value in enumerate(values)]


def hostile_queries(route, catalogue):
    """(role, url, parameter, value): every corpus value in every parameter, at every sample URL,
    each sent by one of the roles that may open the page, in turn."""
    readers = catalogue.readers(route)
    for url in catalogue.urls[route.name]:
        for p, param in enumerate(catalogue.params.get(route.name, [])):
            for role, value in share_out(CORPUS, readers, p):
                yield role, url, param, value


def hostile_forms(route, catalogue):
    """(role, form, what, pairs): every corpus value in every field of every form posted to the route.

    Each value goes into one field at a time, the others keeping the values the page gave
    them. A form shown to several roles has each value of each field sent once, by those
    roles in turn. A field sent under several names (a date's boxes; one radio group per
    member) has the values dealt out among its names; each date also gets DATE_TRIPLES, all
    three boxes at once. A role that may not post sends one request with every field
    hostile: it must be refused before anything is read.
    """
    shown = defaultdict(list)  # form signature -> [(role, form)]
    for role in ROLES:
        forms = list(catalogue.forms.get((route.name, role), []))
        posted = [n for n in catalogue.posted.get((route.name, role), []) if not any(n in f.fields for f in forms)]
        if posted:  # names the view reads that no form on any page shows: sent on their own
            forms.append(
                Form(
                    "post",
                    catalogue.urls[route.name][0],
                    False,
                    {n: {"kind": "text", "values": [], "options": []} for n in posted},
                )
            )
        if not may_post(route, catalogue.users[role]):
            for form in forms[:1]:
                pairs = [(n, CORPUS[i % len(CORPUS)]) for i, n in enumerate(form.fields)]
                yield role, form, "every field hostile", pairs
            continue
        for form in forms:
            shown[form.signature].append((role, form))
    for holders in shown.values():  # the same form, as each role that is shown it
        for f in range(len(holders[0][1].inputs())):
            for v, ((role, form), value) in enumerate(share_out(CORPUS, holders, f)):
                names = form.inputs()[f]
                name = names[v % len(names)]
                yield (
                    role,
                    form,
                    f"{name}={_shown(value)}",
                    [(n, x) for n, x in form.current() if n != name] + [(name, value)],
                )
        for g in range(len(holders[0][1].date_groups())):
            for (role, form), triple in share_out(DATE_TRIPLES, holders, g):
                group = form.date_groups()[g]
                given = dict(zip(group, triple))
                yield (
                    role,
                    form,
                    f"{'/'.join(group)}={'/'.join(triple[:2])}/{_shown(triple[2])}",
                    [(n, x) for n, x in form.current() if n not in given] + list(given.items()),
                )


def probe_route(route, catalogue):
    """Every hostile request for the route: [Probe] for each that made a server error."""
    problems = list(catalogue.problems.get(route.name, []))
    browser = catalogue.browser

    def judge(role, method, url, what, response, error):
        if error:
            problems.append(Probe(role, method, url, what, *error))
        elif response.status_code >= 500:
            problems.append(Probe(role, method, url, what, str(response.status_code)))

    for role, url, param, value in hostile_queries(route, catalogue):
        judge(role, "get", url, f"?{param}={_shown(value)}", *browser.send(role, "get", url, [(param, value)]))
    for role, form, what, pairs in hostile_forms(route, catalogue):
        files = {n: sample_file() for n, spec in form.fields.items() if spec["kind"] == "file"} or None
        judge(role, "post", form.action, what, *browser.send(role, "post", form.action, pairs, files))
    return problems


def report(route, problems):
    """Every request that made a server error, and one traceback for each different error."""
    lines = [f"{route.label}: {len(problems)} request(s) made a server error:"]
    lines += [f"  {p}" for p in problems]
    seen = set()
    for problem in problems:
        if problem.trace and problem.outcome not in seen:
            seen.add(problem.outcome)
            lines += ["", f"Traceback of {problem}:", problem.trace]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# The story
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.label)
def test_hostile_input_never_makes_a_server_error(route, catalogue):
    """Each role opens the page; then every parameter and every field gets every hostile value."""
    problems = probe_route(route, catalogue)
    if problems:
        pytest.fail(report(route, problems), pytrace=False)


def test_the_crawl_finds_the_fields_of_the_pages_it_should(catalogue):
    """The discovery itself works: known parameters and fields are found without being listed."""
    assert {"meeting", "body", "status", "q", "due_days", "sort", "page"} <= set(catalogue.params["actions:list"])
    assert "parent" in catalogue.params["meetings:agenda-item-add"]
    assert {"body", "when"} <= set(catalogue.params["meetings:list"])
    assert {"area", "type"} <= set(catalogue.params["case_reviews:list"])
    assert "item" in catalogue.posted[("meetings:comments", "secretariat")]
    comment_forms = catalogue.forms[("meetings:comments", "nsg_member")]
    assert any("item" in form.fields and any(n.endswith("-text") for n in form.fields) for form in comment_forms)
    assert catalogue.forms[("actions:edit", "secretariat")], "the secretariat's edit form for an action"
    assert any(form.date_groups() for form in catalogue.forms[("meetings:create", "secretariat")])
    assert len(catalogue.forms[("reviews:return-edit", "sog_chair")]) == 4, "a form for each section of a return"
    assert catalogue.forms[("meetings:propose", "nsg_member")], "the call for agenda items is open"
    assert {"username", "password"} <= set(catalogue.forms[("login", "visitor")][0].fields)


def test_every_value_reaches_every_parameter_and_field(catalogue):
    """The sharing out leaves no value out: each parameter, and each field of a form, gets the whole corpus."""
    route = ROUTES_BY_NAME["actions:list"]
    sent = defaultdict(set)
    for _role, _url, param, value in hostile_queries(route, catalogue):
        sent[param].add(value)
    assert sent and all(values == set(CORPUS) for values in sent.values())
    assert {role for role, *_ in hostile_queries(route, catalogue)} == set(SIGNED_IN_ROLES)  # not the visitor

    for name in ("actions:edit", "meetings:attendance"):
        sent = defaultdict(set)  # a field (its first name) -> the values sent to it
        for _role, form, what, pairs in hostile_forms(ROUTES_BY_NAME[name], catalogue):
            hostile, value = pairs[-1]  # the hostile value goes last
            if what != "every field hostile" and "/" not in what.split("=")[0]:  # not a whole date at once
                sent[next(names[0] for names in form.inputs() if hostile in names)].add(value)
        assert all(values == set(CORPUS) for values in sent.values()), {n: len(v) for n, v in sent.items()}
        if name == "actions:edit":
            assert {"text", "owners", "status", "due_date_0"} <= set(sent)
        else:
            assert any(field.startswith("member-") for field in sent)
