"""The register's filters (django-filter): every filter lives in the query string, so a view can be bookmarked.

    /actions/?body=nsg&owner=organisation-3&status=open&status=in_progress&overdue=yes&due=other&due_days=10&q=guidance

Owner filters are subqueries, never joins, so no filter repeats an action and
the counts stay right. ``ActionFilter.selected()`` describes the filters in
force, for the "Selected filters" panel and the exports.

The linked recommendation is a subquery on the recommendations' ``actions`` link
(one action may serve several recommendations).
"""

import functools
import hashlib
from datetime import timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from actions.models import Action
from actions.selectors.register import due_within_q, overdue_q
from actions.selectors.visibility import owned_by, person_of
from mappa import generation
from mappa.fields import ModelChoiceFilter
from mappa.models import Body, Organisation, Person
from meetings.models import Meeting

# A recommendation names the actions that serve it (recommendations sits above actions), so the
# register reaches recommendations through that relation, not by importing the app.
Recommendation = Action._meta.get_field("recommendations").related_model

# A national register holds thousands of meetings: without a group chosen, the meeting list offers
# only the most recent ones (and the one selected), so the page stays small and quick.
RECENT_MEETINGS_OFFERED = 40
GROUP_MEETINGS_OFFERED = 400

DUE_CHOICES = [
    ("7", "Next 7 days"),
    ("14", "Next 14 days"),
    ("28", "Next 28 days"),
    ("other", "Another number of days"),
]


def _bodies(actions):
    """Groups that have raised any of ``actions``."""
    return Body.objects.filter(Exists(actions.filter(meeting__body=OuterRef("pk")))).order_by("kind", "name")


def _meetings(actions):
    """Meetings that raised any of ``actions``, newest first."""
    return (
        Meeting.objects.filter(Exists(actions.filter(meeting=OuterRef("pk"))))
        .select_related("body")
        .order_by("-date", "-start_time")
    )


def _recommendations(actions):
    """Recommendations that any of ``actions`` serves, in the action plan's order."""
    served = Recommendation.actions.through.objects.filter(action__in=actions.order_by().values("pk"))
    return Recommendation.objects.filter(Exists(served.filter(recommendation=OuterRef("pk")))).select_related(
        "inspection"
    )


def owner_choices(actions, hidden=None):
    """Everyone who owns any of ``actions``, grouped: groups, organisations, people. Three queries.

    With ``hidden`` (the actions the reader may not read, when ``actions`` are all the others:
    visibility.hidden_actions), each owner is one probe of the owner link table's index, leaving the
    few hidden actions out, instead of a join of every action with every owner row (200,000 actions:
    about 4 ms a list instead of 100 to 180).
    """

    def owning(relation, column):
        links = getattr(Action, relation).through.objects
        if hidden is None:
            links = links.filter(action__in=actions.order_by().values("pk"))
        else:
            links = links.exclude(action__in=hidden.order_by().values("pk"))
        return Exists(links.filter(**{column: OuterRef("pk")}))

    bodies = Body.objects.filter(owning("owner_bodies", "body"))
    organisations = Organisation.objects.filter(owning("owner_organisations", "organisation")).select_related("parent")
    people = Person.objects.filter(owning("owner_people", "person")).order_by("name")
    groups = [
        (
            "Groups",
            sorted(
                ((f"group-{b.pk}", f"All {b.short_name or b.name} members") for b in bodies), key=lambda c: c[1].lower()
            ),
        ),
        (
            "Organisations",
            sorted(((f"organisation-{o.pk}", o.label) for o in organisations), key=lambda c: c[1].lower()),
        ),
        ("People", [(f"person-{p.pk}", p.name) for p in people]),
    ]
    return [(heading, choices) for heading, choices in groups if choices]


def _labelled(objects, label):
    return [(obj.pk, label(obj)) for obj in objects]


def recommendation_label(recommendation):
    return f"{recommendation.get_kind_display()} {recommendation}"


def kept_lists(actions, hidden=None):
    """What the group, meeting (most recent), recommendation and owner lists offer for the readable ``actions``,
    as (value, label) pairs: counted once per kind of reader (everything, or an inspector's agreed minutes)
    and kept until the data changes (mappa.generation), as a national register's lists take tens of
    milliseconds to read and change only when someone records something."""

    def lists():
        return {
            "body": [(body.slug, str(body)) for body in _bodies(actions)],
            "meeting": _labelled(_meetings(actions)[: RECENT_MEETINGS_OFFERED + 1], str),
            "recommendation": _labelled(_recommendations(actions), recommendation_label),
            "owner": owner_choices(actions, hidden),
        }

    return generation.kept(f"actions:lists:{_reader(hidden)}", lists)


def _reader(hidden):
    """The kind of reader the lists and counts are for: one who reads every action, or an inspector."""
    return "everything" if hidden is None or hidden.query.is_empty() else "agreed-minutes"


class ListSelect(forms.Select):
    """A select drawn in Python, in one pass over its choices: Django draws each option through a template
    (and copies its attributes), and the owner, meeting and recommendation lists hold hundreds of options
    between them (a quarter of the register's time)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}

        def options(choices):
            for option, label in choices:
                option = "" if option is None else str(option)
                selected = " selected" if option in chosen else ""
                yield f'<option value="{escape(option)}"{selected}>{escape(label)}</option>'

        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        for option, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(option)}">')
                parts.extend(options(label))
                parts.append("</optgroup>")
            else:
                parts.extend(options([(option, label)]))
        parts.append("</select>")
        # Every value and label is escaped above; the attributes by format_html.
        return mark_safe("".join(parts))


# How each filter reads in the sentence that describes the filters (ActionFilter.description).
DESCRIBED_AS = {
    "Search": "matching",
    "Group": "of the",
    "Meeting": "raised at",
    "Linked recommendation": "serving",
    "Owner": "owned by",
    "Status": "with status",
    "Due": "due",
}


# Labels of the filter tags that read otherwise inside a sentence.
IN_A_SENTENCE = {
    "mine": lambda label: "you",  # "My actions" → "owned by you"
    "due": lambda label: label[0].lower() + label[1:],  # "Within 7 days" → "due within 7 days"
    "due_days": lambda label: label[0].lower() + label[1:],
}


def _either(labels):
    """ "A", "A or B", "A, B or C"."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


class ActionFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due") == "other" and not cleaned.get("due_days") and "due_days" not in self.errors:
            self.add_error("due_days", "Enter the number of days")
        return cleaned


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search the action text", method="filter_text", max_length=200)
    body = ModelChoiceFilter(
        label="Group",
        field_name="meeting__body",
        queryset=Body.objects.none(),
        to_field_name="slug",
        empty_label="All groups",
        widget=ListSelect,
        error_messages={"invalid_choice": "Select a group from the list"},
    )
    meeting = ModelChoiceFilter(
        label="Meeting",
        queryset=Meeting.objects.none(),
        empty_label="All meetings",
        widget=ListSelect,
        error_messages={"invalid_choice": "Select a meeting from the list"},
    )
    recommendation = ModelChoiceFilter(
        label="Linked recommendation",
        method="filter_recommendation",
        queryset=Recommendation.objects.none(),
        empty_label="Any or none",
        widget=ListSelect,
        error_messages={"invalid_choice": "Select a recommendation from the list"},
    )
    owner = django_filters.ChoiceFilter(
        label="Owner",
        method="filter_owner",
        choices=[],
        empty_label="Anyone",
        widget=ListSelect,
        error_messages={"invalid_choice": "Select an owner from the list"},
    )
    mine = django_filters.ChoiceFilter(label="Only my actions", method="filter_mine", choices=[("yes", "Yes")])
    status = django_filters.MultipleChoiceFilter(
        label="Status",
        choices=Action.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    overdue = django_filters.ChoiceFilter(
        label="Overdue", method="filter_overdue", choices=[("yes", "Only overdue actions")]
    )
    due = django_filters.ChoiceFilter(
        label="Due", method="filter_nothing", choices=DUE_CHOICES, widget=forms.RadioSelect, empty_label="Any time"
    )
    due_days = django_filters.NumberFilter(
        label="Number of days",
        method="filter_nothing",
        min_value=1,
        max_value=3650,
        widget=forms.TextInput,
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 10",
            "min_value": "The number of days must be 1 or more",
            "max_value": "The number of days must be 3650 or fewer",
        },
    )

    class Meta:
        model = Action
        fields = []
        form = ActionFilterForm

    def __init__(self, *args, today=None, hidden=None, **kwargs):
        """``hidden``: the actions the reader may not read (visibility.hidden_actions), the queryset being
        all the others; it makes the owner list quick (owner_choices)."""
        super().__init__(*args, **kwargs)
        self.hidden = hidden
        self.today = today or timezone.localdate()
        # The choices offer only what the user may read (self.queryset). The querysets check a value chosen;
        # the lists drawn are kept until the data changes (kept_lists), before the form is built.
        self.filters["body"].queryset = _bodies(self.queryset)
        self.filters["meeting"].queryset = _meetings(self.queryset)
        self.filters["recommendation"].queryset = _recommendations(self.queryset)
        self.meetings_cut_short = False
        # Read only when asked for: to draw the lists (offer_lists), or to check an owner chosen.
        self.lists = functools.cache(functools.partial(kept_lists, self.queryset, hidden))
        self.filters["owner"].extra["choices"] = lambda: self.lists()["owner"]
        self._style(self.form)

    def offer_lists(self):
        """Fill the lists the page draws (the group, meeting, recommendation and owner lists) from those kept:
        for the register's page, not for an export."""
        form = self.form
        for name in ("body", "recommendation"):
            field = form.fields[name]
            field.widget.choices = [("", field.empty_label), *self.lists()[name]]
        self._offer_meetings(form)
        return self

    def _offer_meetings(self, form):
        """The meeting list: that group's meetings when a group is chosen, else the most recent few.

        Any meeting that raised a visible action is still a valid choice (the field's queryset);
        only the options drawn are cut, plus the one already selected. One or two queries.
        """
        field = form.fields["meeting"]
        meetings = field.queryset
        # The group and the meeting chosen, as their fields clean them (None if absent or wrong: the
        # form reports a wrong one); never the raw query string, which may hold "²" or a NUL.
        body = self._cleaned(form, "body")
        if body is None:
            offered = list(self.lists()["meeting"])  # the most recent, kept
        else:
            offered = _labelled(meetings.filter(body=body)[: GROUP_MEETINGS_OFFERED + 1], field.label_from_instance)
        limit = RECENT_MEETINGS_OFFERED if body is None else GROUP_MEETINGS_OFFERED
        self.meetings_cut_short = len(offered) > limit
        offered = offered[:limit]
        if self.meetings_cut_short:
            field.widget.attrs["aria-describedby"] = "meeting-hint"
        selected = self._cleaned(form, "meeting")
        if selected is not None and all(pk != selected.pk for pk, _label in offered):
            offered.append((selected.pk, field.label_from_instance(selected)))
        field.widget.choices = [("", field.empty_label), *offered]

    @staticmethod
    def _cleaned(form, name):
        """One field's value from the query string, cleaned by its field; None if it is absent or invalid."""
        try:
            return form.fields[name].clean(form[name].data)
        except ValidationError:
            return None

    def _style(self, form):
        """GOV.UK classes on the widgets Django renders (the selects and text inputs)."""
        fields = form.fields
        fields["recommendation"].label_from_instance = recommendation_label
        fields["q"].widget.attrs.update({"class": "govuk-input", "spellcheck": "false"})
        for name in ("body", "meeting", "recommendation", "owner"):
            fields[name].widget.attrs.update({"class": "govuk-select govuk-!-width-full"})
        fields["due_days"].widget.attrs.update({"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"})

    @property
    def checked_form(self):
        """The form, validated, with the GOV.UK error class on each widget whose value is wrong."""
        form = self.form
        form.is_valid()
        for name in form.errors:
            if name in form.fields:
                widget = form.fields[name].widget
                base = "govuk-select" if "govuk-select" in widget.attrs.get("class", "") else "govuk-input"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {base}--error".strip()
                widget.attrs["aria-describedby"] = f"id_{name}-error"
        return form

    # --- the filters ---

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(text__icontains=word)
        return queryset

    def filter_owner(self, queryset, name, value):
        kind, _, pk = value.partition("-")
        if kind == "group":
            through = Action.owner_bodies.through.objects.filter(body_id=pk)
        elif kind == "organisation":
            through = Action.owner_organisations.through.objects.filter(organisation_id=pk)
        else:
            through = Action.owner_people.through.objects.filter(person_id=pk)
        return queryset.filter(pk__in=through.values("action_id"))

    def filter_recommendation(self, queryset, name, value):
        served = Recommendation.actions.through.objects.filter(recommendation=value)
        return queryset.filter(pk__in=served.values("action_id"))

    def filter_mine(self, queryset, name, value):
        person = person_of(self.request.user) if self.request else None
        if person is None:
            return queryset.none()
        return queryset.filter(owned_by(person, self.today))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(self.today))

    def filter_nothing(self, queryset, name, value):
        return queryset  # "due" and "due_days" together make one window: see filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        days = self.due_window
        return queryset.filter(due_within_q(self.today, days)) if days else queryset

    def key(self):
        """What the actions filtered depend on, for keeping their counts: the kind of reader, the day, the
        filters as given, and the reader themself only for "my actions"."""
        filters = sorted((name, value) for name, values in self.data.lists() for value in values)
        person = person_of(self.request.user) if self.request and "mine" in self.data else None
        parts = [_reader(self.hidden), self.today.isoformat(), repr(filters), str(person.pk if person else "")]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @property
    def due_window(self):
        """The "due within" window in days, or None."""
        data = getattr(self.form, "cleaned_data", {})
        due = data.get("due")
        if due in ("other", "", None) and data.get("due_days"):
            return int(data["due_days"])  # a number of days typed in means "another number of days"
        return int(due) if due and due != "other" else None

    # --- describing them ---

    def selected(self):
        """The filters in force, as [(heading, [(param, value, label), ...]), ...]."""
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        chosen = []
        if data.get("q"):
            chosen.append(("Search", [("q", data["q"], f"“{data['q']}”")]))
        if data.get("body"):
            chosen.append(("Group", [("body", data["body"].slug, data["body"].name)]))
        if data.get("meeting"):
            chosen.append(("Meeting", [("meeting", str(data["meeting"].pk), str(data["meeting"]))]))
        if data.get("recommendation"):
            recommendation = data["recommendation"]
            chosen.append(
                (
                    "Linked recommendation",
                    [
                        (
                            "recommendation",
                            str(recommendation.pk),
                            recommendation_label(recommendation),
                        )
                    ],
                )
            )
        owners = []
        if data.get("owner"):
            labels = {value: label for _, group in self.lists()["owner"] for value, label in group}
            owners.append(("owner", data["owner"], labels.get(data["owner"], data["owner"])))
        if data.get("mine"):
            owners.append(("mine", "yes", "My actions"))
        if owners:
            chosen.append(("Owner", owners))
        if data.get("status"):
            labels = dict(Action.Status.choices)
            chosen.append(("Status", [("status", s, labels[s]) for s in data["status"]]))
        if data.get("overdue"):
            chosen.append(("Overdue", [("overdue", "yes", "Overdue")]))
        if self.due_window:
            days = self.due_window
            until = self.today + timedelta(days=days)
            typed = data.get("due") in ("other", "", None)
            param, value = ("due_days", str(days)) if typed else ("due", data["due"])
            chosen.append(
                ("Due", [(param, value, f"Within {days} day{'s' if days != 1 else ''} (by {until:%-d %B %Y})")])
            )
        return chosen

    def description(self):
        """The filters in force as a sentence, for an export: "Overdue actions only", "Actions of
        the MAPPA National Strategic Group, with status Open or In progress"; "All actions" if none."""
        chosen = dict(self.selected())
        overdue = chosen.pop("Overdue", None)
        clauses = [
            f"{DESCRIBED_AS[heading]} {_either([IN_A_SENTENCE.get(param, str)(label) for param, _, label in items])}"
            for heading, items in chosen.items()
        ]
        if not clauses:
            return "Overdue actions only" if overdue else "All actions"
        return f"{'Overdue actions' if overdue else 'Actions'} {', '.join(clauses)}"
