"""Forms for actions: recording one and noting a matter arising in the minute editor; an owner's progress
update and the secretariat's edit on the register. The rules (who may, what needs a reason) are in
actions.services; these forms collect the input."""

from datetime import timedelta

from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.db.models import Q

from actions.models import Action
from mappa.fields import GovukDateField, ModelChoiceField
from mappa.forms import govuk_helper
from mappa.models import Body, Organisation, Person
from meetings.models import Meeting

OWNER_REQUIRED = "Select at least one owner: a person, an organisation or a group"
OWNER_INVALID = "Select owners from the list"


class OwnersField(forms.MultipleChoiceField):
    """An action's owners: people, organisations and groups in one ``<select multiple name="owners">``.

    The options are grouped (People, Organisations, Groups) and valued ``person-3``,
    ``organisation-5``, ``body-2``: without JavaScript it is a plain multiple select; with it,
    static/js/owner-picker.mjs lays Tom Select over it, a searchable picker (the select stays the
    form's value). Only the values offered are accepted (no query runs on a value sent); the form
    gives the chosen records back as ``people``, ``organisations`` and ``bodies``.
    """

    KINDS = (("person", "People"), ("organisation", "Organisations"), ("body", "Groups"))

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Owners")
        kwargs.setdefault(
            "help_text",
            'People, organisations (for example "SG" or "RMA") or whole groups (shown as "All NSG members"). '
            "Choose as many as you need.",
        )
        kwargs.setdefault("error_messages", {"required": OWNER_REQUIRED, "invalid_choice": OWNER_INVALID})
        super().__init__(**kwargs)
        self.widget.attrs.update({"data-module": "app-owner-picker", "size": 10, "class": "govuk-select"})
        self.records = {}

    def offer(self, *, people, organisations, bodies):
        """Offer these records (each an iterable of model instances), grouped by kind."""
        self.records = {}
        groups = []
        for (kind, heading), records, label in (
            (self.KINDS[0], people, lambda p: p.described),
            (self.KINDS[1], organisations, _organisation_label),
            (self.KINDS[2], bodies, _body_label),
        ):
            options = []
            for record in records:
                key = f"{kind}-{record.pk}"
                self.records[key] = record
                options.append((key, label(record)))
            if options:
                groups.append((heading, options))
        self.choices = groups

    def chosen(self, keys):
        """The records for ``keys`` (already validated), as a dict of people, organisations and bodies."""
        split = {"people": [], "organisations": [], "bodies": []}
        names = {"person": "people", "organisation": "organisations", "body": "bodies"}
        for key in keys:
            split[names[key.split("-", 1)[0]]].append(self.records[key])
        return split


def owner_key(record):
    """The ``owners`` value of a person, organisation or group."""
    kind = {"Person": "person", "Organisation": "organisation", "Body": "body"}[type(record).__name__]
    return f"{kind}-{record.pk}"


def _organisation_label(organisation):
    """ "SG, CSU (Community Safety Unit)": as minutes write it, with its full name to search by."""
    label = organisation.label
    return label if label == organisation.name else f"{label} ({organisation.name})"


def _body_label(body):
    return f"All {body.short_name or body.name} members ({body.name})" if body.short_name else body.name


def _people(*, keep=()):
    """People offered as owners: those still active, and any of ``keep`` (an action's present owners)."""
    return (
        Person.objects.filter(Q(active=True) | Q(pk__in=[p.pk for p in keep]))
        .select_related("organisation__parent")
        .order_by("name")
    )


def _bodies(*, keep=()):
    """Groups offered as owners: those still meeting, and any of ``keep``."""
    return Body.objects.filter(Q(active=True) | Q(pk__in=[b.pk for b in keep])).order_by("name")


def _organisations():
    return Organisation.objects.select_related("parent").order_by("name")


def _split_owners(form, cleaned):
    """Put the chosen owners in ``cleaned`` as people, organisations and bodies (empty when none or invalid)."""
    keys = cleaned.get("owners") or []
    cleaned.update(form.fields["owners"].chosen(keys))


class ActionForm(forms.Form):
    DUE_NEXT_MEETING = "next_meeting"
    DUE_TWO_WEEKS = "two_weeks"
    DUE_OTHER = "other"

    text = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what is to be done"},
    )
    owners = OwnersField()
    due = forms.ChoiceField(
        label="Due", widget=forms.RadioSelect, error_messages={"required": "Select when the action is due"}
    )
    due_date = GovukDateField(label="Due date", required=False)

    def __init__(self, *args, meeting, next_meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.two_weeks = meeting.date + timedelta(days=14)
        self.next_meeting_date = next_meeting.date if next_meeting else None
        choices = []
        if self.next_meeting_date:
            choices.append((self.DUE_NEXT_MEETING, f"By the next meeting ({self.next_meeting_date:%-d %B %Y})"))
        choices.append((self.DUE_TWO_WEEKS, f"Within 2 weeks ({self.two_weeks:%-d %B %Y})"))
        choices.append((self.DUE_OTHER, "Another date"))
        self.fields["due"].choices = choices
        self.fields["owners"].offer(people=_people(), organisations=_organisations(), bodies=_bodies())
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(
            Field.textarea("text"),
            Field.select("owners", css_class="govuk-!-width-full"),
            Field.radios("due", inline=False),
            Field("due_date"),
            Submit("add_action", "Add action"),
        )

    def clean(self):
        cleaned = super().clean()
        _split_owners(self, cleaned)
        due = cleaned.get("due")
        if due == self.DUE_NEXT_MEETING:
            cleaned["due_date"] = self.next_meeting_date
        elif due == self.DUE_TWO_WEEKS:
            cleaned["due_date"] = self.two_weeks
        elif due == self.DUE_OTHER and "due_date" not in self.errors:
            if not cleaned.get("due_date"):
                self.add_error("due_date", "Enter the due date")
            elif cleaned["due_date"] < self.meeting.date:
                self.add_error("due_date", due_before_meeting_message(self.meeting))
        return cleaned


def due_before_meeting_message(meeting):
    return (
        f"The due date must be on or after the meeting ({meeting.date:%-d %B %Y}): "
        "an action cannot be overdue when it is raised"
    )


class MatterArisingForm(forms.Form):
    """At item 2 of a later meeting: an update on an earlier action, perhaps closing it."""

    text = forms.CharField(
        label="Update",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the update, or the reason for closing the action"},
    )
    new_status = forms.ChoiceField(
        label="Action status",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", "Leave as it is"),
            ("in_progress", "In progress"),
            ("complete", "Complete"),
            ("dropped", "Dropped or superseded"),
        ],
    )

    def __init__(self, *args, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(Field.textarea("text"), Field.radios("new_status", inline=True))


class _NotedAtChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.body.short_name or obj.body.name}, {obj.date:%-d %B %Y}"


class ProgressUpdateForm(forms.Form):
    """An update on an action: what has happened, and perhaps a new status with the reason."""

    text = forms.CharField(
        label="Update",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has been done, and what is still to do.",
        error_messages={"required": "Enter the update"},
    )
    new_status = forms.ChoiceField(label="Status", required=False, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed if you mark the action complete: how it was done, or where the evidence is.",
    )
    noted_at = _NotedAtChoice(
        label="Noted at meeting (optional)",
        required=False,
        queryset=Meeting.objects.none(),
        empty_label="Not noted at a meeting",
        help_text="The later meeting of the group at which this update was noted.",
    )

    def __init__(self, *args, action, secretariat=False, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = (
            Action.Status.choices
            if secretariat
            else [(s, label) for s, label in Action.Status.choices if s in ("in_progress", "complete")]
        )
        self.fields["new_status"].choices = [("", f"Leave as it is ({action.get_status_display().lower()})")] + [
            (s, label) for s, label in statuses if s != action.status
        ]
        layout = [
            Field.textarea("text", rows=4),
            Field.radios("new_status", small=True),
            Field.textarea("reason", rows=2),
        ]
        if secretariat and meetings is not None:
            self.fields["noted_at"].queryset = meetings
            layout.append(Field.select("noted_at"))
        else:
            del self.fields["noted_at"]
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(*layout)


class ActionEditForm(forms.Form):
    """The secretariat's edit of an action: text, owners, due date and status, with the reason for a change."""

    text = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what is to be done"},
    )
    owners = OwnersField()
    due_date = GovukDateField(label="Due date")
    status = forms.ChoiceField(
        label="Status",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the due date moves, and when the action is closed or reopened. "
        "It is shown in the action's timeline.",
    )
    noted_at = _NotedAtChoice(
        label="Noted at meeting (optional)",
        required=False,
        queryset=Meeting.objects.none(),
        empty_label="Not noted at a meeting",
        help_text="The later meeting of the group at which the change was noted or agreed.",
    )

    def __init__(self, *args, action, meetings, **kwargs):
        people, organisations, bodies = (
            list(action.owner_people.all()),
            list(action.owner_organisations.all()),
            list(action.owner_bodies.all()),
        )
        initial = {
            "text": action.text,
            "owners": [owner_key(record) for record in (*people, *organisations, *bodies)],
            "due_date": action.due_date,
            "status": action.status,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["noted_at"].queryset = meetings
        # Owners who have since left (or groups that no longer meet) stay on the action, and on offer for it.
        self.fields["owners"].offer(
            people=_people(keep=people), organisations=_organisations(), bodies=_bodies(keep=bodies)
        )
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(
            Field.textarea("text", rows=3),
            Field.select("owners", css_class="govuk-!-width-full"),
            Field("due_date"),
            Field.radios("status", small=True),
            Field.textarea("reason", rows=2),
            Field.select("noted_at"),
        )

    def clean(self):
        cleaned = super().clean()
        _split_owners(self, cleaned)
        return cleaned
