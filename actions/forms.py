"""Forms for actions: recording one and noting a matter arising in the minute editor; an owner's progress
update and the secretariat's edit on the register. The rules (who may, what needs a reason) are in
actions.services; these forms collect the input."""

from datetime import timedelta

from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from actions.models import Action
from mappa.fields import GovukDateField, ModelChoiceField, ModelMultipleChoiceField
from mappa.forms import govuk_helper
from mappa.models import Body, Organisation, Person
from meetings.models import Meeting


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
    organisations = ModelMultipleChoiceField(
        queryset=Organisation.objects.select_related("parent").order_by("name"),
        required=False,
        label="Owning organisations",
        help_text='For example "SG" or "RMA".',
    )
    bodies = ModelMultipleChoiceField(
        queryset=Body.objects.filter(active=True).order_by("name"),
        required=False,
        label="Owning groups",
        help_text='A whole group, shown as "All NSG members".',
    )
    people = ModelMultipleChoiceField(
        queryset=Person.objects.select_related("organisation").order_by("name"),
        required=False,
        label="Owning people",
    )
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
        for name in ("organisations", "bodies", "people"):
            self.fields[name].label_from_instance = lambda obj: getattr(obj, "label", None) or str(obj)
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(
            Field.textarea("text"),
            Field.select("organisations"),
            Field.select("bodies"),
            Field.select("people"),
            Field.radios("due", inline=False),
            Field("due_date"),
            Submit("add_action", "Add action"),
        )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("organisations") or cleaned.get("bodies") or cleaned.get("people")):
            self.add_error("organisations", "Select at least one owner: an organisation, a group or a person")
        due = cleaned.get("due")
        if due == self.DUE_NEXT_MEETING:
            cleaned["due_date"] = self.next_meeting_date
        elif due == self.DUE_TWO_WEEKS:
            cleaned["due_date"] = self.two_weeks
        elif due == self.DUE_OTHER and not cleaned.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", "Enter the due date")
        return cleaned


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
    organisations = ModelMultipleChoiceField(
        queryset=Organisation.objects.select_related("parent").order_by("name"),
        required=False,
        label="Owning organisations",
        help_text='For example "SG" or "RMA".',
    )
    bodies = ModelMultipleChoiceField(
        queryset=Body.objects.order_by("name"),
        required=False,
        label="Owning groups",
        help_text='A whole group, shown as "All NSG members".',
    )
    people = ModelMultipleChoiceField(
        queryset=Person.objects.select_related("organisation").order_by("name"),
        required=False,
        label="Owning people",
    )
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
        initial = {
            "text": action.text,
            "organisations": list(action.owner_organisations.all()),
            "bodies": list(action.owner_bodies.all()),
            "people": list(action.owner_people.all()),
            "due_date": action.due_date,
            "status": action.status,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["noted_at"].queryset = meetings
        for name in ("organisations", "bodies", "people"):
            self.fields[name].label_from_instance = lambda obj: getattr(obj, "label", None) or str(obj)
            self.fields[name].widget.attrs.update({"size": 8})
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(
            Field.textarea("text", rows=3),
            *(Field.select(name, css_class="govuk-!-width-full") for name in ("organisations", "bodies", "people")),
            Field("due_date"),
            Field.radios("status", small=True),
            Field.textarea("reason", rows=2),
            Field.select("noted_at"),
        )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("organisations") or cleaned.get("bodies") or cleaned.get("people")):
            self.add_error("organisations", "Select at least one owner: an organisation, a group or a person")
        return cleaned
